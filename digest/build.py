"""The build pipeline: files -> entries -> site model -> rendered files -> swapped-in output."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from digest.config import Config
from digest.entry import Entry
from digest.loader import load_all
from digest.refdata import RefData, load
from digest.render import Renderer
from digest.sitemodel import build_model
from digest.writer import check_output_dir, write_site


@dataclass(frozen=True)
class BuildReport:
    entries: int
    skipped: int
    pages: int
    feeds: int
    files: int
    seconds: float


def is_public(entry: Entry, today: dt.date | None, drafts: bool = False, future: bool = False) -> bool:
    """Drafts, and entries published after `today` (scheduled), stay off the site unless asked."""
    if entry.draft and not drafts:
        return False
    scheduled = today is not None and entry.published is not None and entry.published.date() > today
    return future or not scheduled


def build(config: Config, *, drafts: bool = False, future: bool = False, today: dt.date | None = None,
          preview: bool = False, ref: RefData | None = None, config_path: Path | None = None) -> BuildReport:
    """Build the whole site; raises DigestError (output untouched) on any invalid input.

    `today` decides what counts as scheduled; without it nothing is held back as future, so a
    build with no clock involved stays reproducible.
    """
    start = time.perf_counter()
    ref = ref or load()
    check_output_dir(config.output, [p for p in (config.content, config.templates, config_path) if p])
    loaded = load_all(config.content, ref)
    entries = [e for e in loaded if is_public(e, today, drafts, future)]
    model = build_model(entries, config, ref)
    renderer = Renderer(config, ref, preview)
    files = write_site(renderer.render(model), config.output, config.templates / "static")
    return BuildReport(len(entries), len(loaded) - len(entries), len(model.pages), len(model.feeds) * 2, files, time.perf_counter() - start)
