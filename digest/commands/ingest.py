"""`digest ingest`: raw news articles (.txt copies, saved .html pages) -> new content entries.

Every readable news article becomes an entry: one whose date, province, election or stage the
text cannot settle is written as a draft naming what is missing. The closing table (or
`--format json`) gives every input's outcome.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from digest import config as config_mod
from digest.commands import progress
from digest.content.writer import under_free_name
from digest.errors import DigestError, Problem, escape
from digest.ingest import hints as hints_mod
from digest.ingest import pipeline, source
from digest.ingest.compose import Draft, with_id
from digest.ingest.hints import Hints
from digest.ingest.write import Existing
from digest.output.atomic import write_text
from digest.reference.refdata import RefData, load

COLUMNS = ("file", "province", "stage", "date", "review", "result")
HINT_OPTIONS = ("province", "regency", "date", "election", "stage")


@dataclass
class Outcome:
    """What happened to one input: written, draft, duplicate, refused or dry run."""

    file: str
    result: str  # "written" | "replaced" | "draft" | "duplicate" | "refused" | "dry run"
    path: str = ""
    province: str = ""
    stage: str = ""
    date: str = ""
    missing: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    message: str = ""  # why it was refused or not written


@dataclass(frozen=True)
class Job:
    """One input to ingest: its name in messages, its file (None for stdin) and the hints for it."""

    name: str
    path: Path | None
    hints: Hints


@dataclass(frozen=True)
class Session:
    """Where and how this run writes: the content folder, the entries already there, the options."""

    content: Path
    existing: Existing
    ref: RefData
    dry_run: bool
    force: bool
    table: bool  # the closing report is a table (not JSON)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="turn raw news articles (.txt, .html) into content entries")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="a .txt file copied from a news page, a saved .html page, a folder of them, or - for stdin")
    p.add_argument("--manifest", type=Path, metavar="FILE",
                   help="CSV or YAML list of inputs with hints (columns: " + ", ".join(hints_mod.MANIFEST_KEYS) + ")")
    p.add_argument("--content", type=Path, help="content folder to write into (default from config: content/)")
    p.add_argument("--published", metavar="DATE",
                   help="publication date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, WIB) when the text shows none")
    p.add_argument("--url", help="the article's source address (one input only)")
    p.add_argument("--province", help="the story's province (one input only; wins over the text)")
    p.add_argument("--regency", help="the story's kab/kota, e.g. 'Kota Serang' (one input only)")
    p.add_argument("--date", help="the event date YYYY-MM-DD (one input only)")
    p.add_argument("--election", help="pemilu-2024 or pilkada-2024 (one input only)")
    p.add_argument("--stage", help="stage slug, e.g. logistik (one input only)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="closing report: a table (default) or JSON on stdout for scripts")
    p.add_argument("--dry-run", action="store_true", help="print the front matter instead of writing files")
    p.add_argument("--force", action="store_true",
                   help="replace the entry with the same source URL or id (it keeps its published id)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only problems: no review notes, no table")


def run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, content=args.content)
    ref = load()
    jobs = _jobs(args, ref)
    table = args.format == "table"
    session = Session(cfg.content, Existing.scan(cfg.content, ref), ref, dry_run=args.dry_run, force=args.force,
                    table=table)
    outcomes: list[Outcome] = []
    with progress.bar(table and not args.quiet and len(jobs) > 1 and sys.stderr.isatty(),
                      {"read": "membaca artikel"}) as step:
        for job in _counted(jobs, step):
            outcome = _one(job, session)
            outcomes.append(outcome)
            if table:
                _report(outcome, quiet=args.quiet)
    if args.format == "json":
        print(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=2))
    elif not args.quiet:
        _table(outcomes)
    refused = sum(o.result == "refused" for o in outcomes)
    if refused:
        print(f"ingest: {refused} of {len(outcomes)} input{'s' if len(outcomes) != 1 else ''} refused",
              file=sys.stderr)
    return 1 if refused else 0


def _jobs(args: argparse.Namespace, ref: RefData) -> list[Job]:
    """Every input with its hints, from the paths and the manifest."""
    given = {k: getattr(args, k) for k in (*HINT_OPTIONS, "url", "published")}
    options = hints_mod.parse(given, ref)
    jobs = [Job(name, path, options) for name, path in (source.collect(args.paths) if args.paths else [])]
    if args.manifest:
        jobs += [Job(str(row.path), row.path, row.hints.over(options))
                 for row in hints_mod.manifest(args.manifest, ref)]
    if not jobs:
        raise DigestError(Problem("digest ingest", 0, "name the articles to ingest, or give --manifest"))
    one_only = [f"--{k}" for k in (*HINT_OPTIONS, "url") if getattr(args, k)]
    if one_only and len(jobs) != 1:
        raise DigestError(Problem(one_only[0], 0, f"describes one article but {len(jobs)} inputs were given "
                                                  "(use a manifest for a batch)"))
    return jobs


def _one(job: Job, session: Session) -> Outcome:
    """Ingest one input and write it (or show it); a refusal is an outcome, never an exception."""
    try:
        draft = pipeline.ingest(source.read(job.name, job.path), job.hints, ref=session.ref)
    except DigestError as exc:
        return Outcome(job.name, "refused", message="; ".join(p.message for p in exc.problems))
    outcome = Outcome(job.name, "dry run", province=draft.meta.get("province") or "",
                      stage=draft.meta.get("stage") or "", date=str(draft.meta.get("date") or ""),
                      missing=draft.missing, review=list(draft.meta.get("review", [])),
                      reasons={f: draft.reasons[f] for f in draft.meta.get("review", [])}, notes=draft.notes)
    if session.dry_run:
        if session.table:
            print(f"# {draft.name}")
            print(draft.front)
        return outcome
    _write(draft, session, outcome)
    return outcome


def _write(draft: Draft, session: Session, outcome: Outcome) -> None:
    """Write a new entry. An entry with the same source URL or id is a duplicate, or with --force
    is replaced in its own file under its published id; a file that merely has the name is never touched."""
    existing = session.existing
    clash = existing.clash(draft.id, draft.source_url)
    if clash and not clash.entry_id:  # a file that only has the name: left alone, the entry goes beside it
        outcome.notes.append(f"{clash.path} has the entry's name but is no readable entry; it is left as it is")
        clash = None
    if clash and not session.force:
        outcome.result, outcome.path = "duplicate", str(clash.path)
        outcome.message = f"{clash.why} as {clash.path} (--force replaces it)"
        return
    if clash:
        draft = with_id(draft, clash.entry_id or draft.id, clash.added)
        write_text(clash.path, draft.text, overwrite=True)
        path = clash.path
    else:  # beside a file that has the name, as <id>-2.md: the entry's id is its file's name
        path = under_free_name(session.content, draft.id, lambda name: with_id(draft, name).text, write_text,
                               taken=existing.ids)
        draft = with_id(draft, path.stem)
    existing.add(draft.id, draft.source_url, path)
    outcome.path = str(path)
    outcome.result = "replaced" if clash else ("draft" if draft.missing else "written")


def _report(outcome: Outcome, *, quiet: bool) -> None:
    """Refusals on stderr; review reasons and contradicted hints on stdout unless --quiet. A file
    name is printed escaped: it could carry terminal escape codes."""
    name = escape(outcome.file)
    if outcome.result == "refused":
        print(f"{name}: {escape(outcome.message)}", file=sys.stderr)
        return
    for note in outcome.notes:
        print(f"{name}: {note}", file=sys.stderr if quiet else sys.stdout)
    if not quiet:
        for field in outcome.review:
            print(f"{name}: review {field}: {outcome.reasons[field]}")


def _counted(jobs: list[Job], step: progress.Advance | None) -> Iterator[Job]:
    """The inputs, moving the progress bar on as each one is done (refused ones included)."""
    for job in jobs:
        yield job
        if step:
            step("read", 1, len(jobs))


def _result(o: Outcome) -> str:
    """The table's last column: what happened, and where or why."""
    if o.result == "draft":
        return f"draft (missing {', '.join(o.missing)}) {o.path}"
    if o.result in ("written", "replaced"):
        return f"{o.result} {o.path}"
    if o.result in ("duplicate", "refused"):
        return f"{o.result}: {o.message}"
    return o.result


def _table(outcomes: list[Outcome]) -> None:
    """A plain-text table: one row per input."""
    rows = [COLUMNS] + [(escape(o.file), o.province, o.stage, o.date, ",".join(o.review) or "-", escape(_result(o)))
                        for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
