"""Shared fixtures: a built copy of the shipped content and of a generated corpus; clean reference
builds shared by the tests that reach the same inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from digest import config as config_mod
from digest.build import build
from digest.content.schema import WIB
from tests.corpus import write_corpus
from tests.sitetools import tree_bytes

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def make_config(tmp: Path, content: Path, **overrides):
    """Config for a build of `content` into tmp/site with the project's templates."""
    return config_mod.load(ROOT / "digest.yaml", content=content, output=tmp / "site",
                           templates=ROOT / "templates", **overrides)


def ingest_text(text: str, **options):
    """`digest ingest` on an article written inline in a test (dedented, as a .txt copy)."""
    from digest.ingest import pipeline
    from digest.ingest.source import Input
    from digest.reference.refdata import load
    return pipeline.ingest(Input("artikel.txt", dedent(text).strip(), False), ref=load(), **options)


def run_digest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the real command line as a user would."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300, check=False)


_CLEAN: dict[bytes, dict[str, bytes]] = {}


def _inputs_key(config: Path) -> bytes:
    """A digest of everything a build of `config` reads: the file, its content and templates folders."""
    cfg = config_mod.load(config)
    key = hashlib.sha256(config.read_bytes())
    for folder in (cfg.content, cfg.templates):
        for path in sorted(folder.rglob("*")):
            key.update(f"{path.relative_to(folder)}\0{path.is_symlink()}\0".encode())
            if path.is_file():
                key.update(path.read_bytes())
    return key.digest()


def clean_build(project: Path) -> dict[str, bytes]:
    """The site `digest build --clean --no-search` makes of `project` as it is now, built in this
    process into folders of its own. Output depends only on the inputs (tests/test_incremental.py),
    so tests that reach the same inputs share one build."""
    config = project / "digest.yaml"
    key = _inputs_key(config)
    if key not in _CLEAN:
        ref = project.parent / f"{project.name}-clean-{key.hex()[:12]}"
        cfg = config_mod.load(config, output=ref / "site", search=False)
        build(cfg, today=dt.datetime.now(WIB).date(), config_path=config, clean=True, cache_dir=ref / "cache")
        _CLEAN[key] = tree_bytes(ref / "site")
    return _CLEAN[key]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """(generated entries, site folder, config) for a 320-entry corpus over 14 provinces."""
    tmp = tmp_path_factory.mktemp("corpus")
    generated = write_corpus(tmp / "content")
    cfg = make_config(tmp, tmp / "content")
    build(cfg)
    return generated, cfg.output, cfg


@pytest.fixture
def project(tmp_path):
    """A copy of the project's content, templates and config to break and rebuild."""
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "digest.yaml", tmp_path / "digest.yaml")
    return tmp_path
