"""The package's shape: layers import downwards only (pyproject.toml's [tool.importlinter]) and
digest/ keeps a handful of top-level modules, the rest in layer packages (README, "Layout")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_every_layer_imports_only_the_layers_below_it():
    """An upward import (say, site/ importing the cache machinery) breaks the contract."""
    run = subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_the_top_level_holds_at_most_eight_modules():
    """Only the command line, config, errors and the build's orchestration sit beside the packages."""
    modules = sorted(p.name for p in (ROOT / "digest").glob("*.py"))
    assert len(modules) <= 8, modules
    packages = {p.name for p in (ROOT / "digest").iterdir() if (p / "__init__.py").exists()}
    assert {"reference", "content", "site", "incremental", "output", "serve", "ingest", "commands"} <= packages
