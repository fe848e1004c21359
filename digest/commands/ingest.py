"""`digest ingest`: raw news articles (.txt copies, saved .html pages) -> new content entries."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Iterator

from digest import config as config_mod
from digest.errors import DigestError, Problem
from digest.ingest import pipeline, source
from digest.ingest.compose import Draft
from digest.atomic import write_text
from digest.ingest.write import Existing
from digest.commands import progress

COLUMNS = ("file", "province", "stage", "date", "review", "result")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="turn raw news articles (.txt, .html) into content entries")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="a .txt file copied from a news page, a saved .html page, a folder of them, or - for stdin")
    p.add_argument("--content", type=Path, help="content folder to write into (default from config: content/)")
    p.add_argument("--published", type=_when, metavar="DATE",
                   help="publication date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, WIB) when the text shows none")
    p.add_argument("--url", help="the article's source address (one input only)")
    p.add_argument("--dry-run", action="store_true", help="print the front matter instead of writing files")
    p.add_argument("--force", action="store_true", help="replace an entry with the same id or source URL")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems: no review notes, no table")


def _when(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: write YYYY-MM-DD, e.g. 2023-10-16") from None


def run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, content=args.content)
    inputs = source.collect(args.paths)
    if args.url and len(inputs) != 1:
        raise DigestError(Problem("--url", 0, f"names one article's address but {len(inputs)} inputs were given"))
    existing = Existing.scan(cfg.content)
    rows: list[tuple[str, ...]] = []
    failed = 0
    with progress.bar(not args.quiet and len(inputs) > 1 and sys.stderr.isatty(), {"read": "membaca artikel"}) as step:
        for name, path in _counted(inputs, step):
            try:
                draft = pipeline.ingest(source.read(name, path), published=args.published, url=args.url or "")
            except DigestError as exc:
                for problem in exc.problems:
                    print(problem, file=sys.stderr)
                rows.append((name, "", "", "", "", "failed"))
                failed += 1
                continue
            for field in draft.meta.get("review", []) if not args.quiet else ():
                print(f"{name}: review {field}: {draft.reasons[field]}")
            result = _show(draft) if args.dry_run else _write(draft, existing, cfg.content, args.force)
            rows.append((name, draft.meta["province"], draft.meta["stage"], str(draft.meta["date"]),
                         ",".join(draft.meta.get("review", [])) or "-", result))
    if not args.quiet:
        _table(rows)
    if failed:
        print(f"ingest: {failed} of {len(inputs)} input{'s' if len(inputs) != 1 else ''} failed", file=sys.stderr)
    return 1 if failed else 0


def _counted(inputs: list[tuple[str, Path | None]], step: progress.Advance | None
             ) -> Iterator[tuple[str, Path | None]]:
    """The inputs, moving the progress bar on as each one is done (failed ones included)."""
    for item in inputs:
        yield item
        if step:
            step("read", 1, len(inputs))


def _show(draft: Draft) -> str:
    print(f"# {draft.name}")
    print(draft.text.split("\n---\n", 1)[0] + "\n---")
    return "dry run"


def _write(draft: Draft, existing: Existing, content: Path, force: bool) -> str:
    """Write a new entry; an entry with the same source URL or id is reported, or replaced with --force."""
    clash = existing.clash(draft.id, draft.source_url)
    if clash and not force:
        return f"not written: {clash[0]} as {clash[1]} (--force replaces it)"
    target = clash[1] if clash else content / f"{draft.id}.md"
    try:
        write_text(target, draft.text, overwrite=force)
    except FileExistsError:  # a file of that name holds another entry: never replace it unasked
        return f"not written: {target} already exists (--force replaces it)"
    existing.add(draft.id, draft.source_url, target)
    return f"{'replaced' if clash else 'written'} {target}"


def _table(rows: list[tuple[str, ...]]) -> None:
    """A plain-text table: one row per input."""
    widths = [max(len(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    for row in [COLUMNS, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
