"""The build pipeline: files -> entries -> site model -> rendered files -> swapped-in output."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from digest.config import Config
from digest.loader import load_all
from digest.refdata import RefData, load
from digest.render import Renderer
from digest.sitemodel import build_model
from digest.writer import check_output_dir, write_site


@dataclass(frozen=True)
class BuildReport:
    entries: int
    pages: int
    feeds: int
    files: int
    seconds: float


def build(config: Config, *, drafts: bool = False, ref: RefData | None = None,
          config_path: Path | None = None) -> BuildReport:
    """Build the whole site; raises DigestError (output untouched) on any invalid input."""
    start = time.perf_counter()
    ref = ref or load()
    check_output_dir(config.output, [p for p in (config.content, config.templates, config_path) if p])
    entries = [e for e in load_all(config.content, ref) if drafts or not e.draft]
    model = build_model(entries, config, ref)
    renderer = Renderer(config, ref)
    files = write_site(renderer.render(model), config.output, config.templates / "static")
    return BuildReport(len(entries), len(model.pages), len(model.feeds) * 2, files, time.perf_counter() - start)
