"""`digest build`: render content/ into the static site."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from pathlib import Path

from digest import config as config_mod
from digest.build import build
from digest.commands.progress import bar as progress_bar
from digest.content.schema import WIB
from digest.errors import DigestError
from digest.incremental.explain import Explanation

LABELS = {"parse": "parsing entries", "render": "rendering pages"}  # progress bar per build step


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("build", help="render content/ into a static site")
    b.add_argument("--content", type=Path, help="content folder (default from config: content/)")
    b.add_argument("--output", type=Path, help="output folder (default from config: site/)")
    b.add_argument("--base-url", help="absolute URL the site is published at")
    b.add_argument("--drafts", action="store_true", help="include entries marked draft: true")
    b.add_argument("--future", action="store_true", help="include entries whose published date is in the future")
    b.add_argument("--clean", action="store_true", help="ignore the cache and build everything anew")
    b.add_argument("--jobs", type=int, help="worker processes (default: one per core; 1 builds in one process)")
    b.add_argument("--cache", type=Path, help="cache folder (default: .digest-cache/ beside the content folder)")
    b.add_argument("--no-search", dest="search", action="store_false", default=None,
                   help="skip the Pagefind search index and the /cari/ page")
    talk = b.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", action="store_true", help="print nothing on success, show no progress")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="explain what was rebuilt: entries parsed, pages re-rendered and why, files written")


def run(args: argparse.Namespace) -> int:
    # The process ends after this one build (cli.run), so the cycle collector has nothing to win:
    # re-enabled after the build, it scanned every object the build kept, a noticeable part of an edit.
    gc.disable()
    cfg = config_mod.load(args.config, content=args.content, output=args.output, base_url=args.base_url,
                          search=args.search)
    with progress_bar(not args.quiet and sys.stderr.isatty(), LABELS) as progress:
        try:
            report = build(cfg, drafts=args.drafts, future=args.future, today=dt.datetime.now(WIB).date(),
                           config_path=args.config or Path(config_mod.CONFIG_NAME), clean=args.clean,
                           jobs=args.jobs, cache_dir=args.cache, progress=progress, on_wait=_say)
        except DigestError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            n = len(exc.problems)
            print(f"build failed: {n} problem{'s' if n != 1 else ''}; {cfg.output} was left unchanged",
                  file=sys.stderr)
            return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        skipped = f" ({report.skipped} drafts/scheduled left out)" if report.skipped else ""
        print(f"built {report.entries} entries{skipped} into {cfg.output}/: {report.pages} pages, "
              f"{report.feeds} feeds, {report.files} files ({report.changed} changed) in {report.seconds:.2f} s")
    if args.verbose and report.explanation:
        print(explain(report.explanation))
    return 0


def _say(line: str) -> None:
    """A note to the operator (waiting for another build), on stderr as it happens."""
    print(line, file=sys.stderr, flush=True)


def explain(why: Explanation) -> str:
    """--verbose: the build's explanation as a few indented lines."""
    lines = [why.reason,
             f"entries: {why.parsed} parsed, {why.reused} reused from the cache",
             f"pages: {why.pages[0]} rendered, {why.pages[1]} reused",
             f"feeds: {why.feeds[0]} rendered, {why.feeds[1]} reused",
             *why.causes,
             f"files: {why.written} written, {why.removed} removed"]
    return "\n".join(f"  {line}" for line in lines)
