"""`digest new`: scaffold a valid, uniquely named entry; asks for missing values in a terminal."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from digest import config as config_mod
from digest.content.scaffold import NewEntry, render
from digest.content.schema import WIB
from digest.content.writer import under_free_name
from digest.errors import DigestError, Problem, did_you_mean, quote
from digest.ingest import hints
from digest.ingest.classify import election_by_date
from digest.ingest.compose import today
from digest.output.atomic import write_text
from digest.reference.refdata import RefData, load, slugify


def register(sub: argparse._SubParsersAction) -> None:
    n = sub.add_parser("new", help="create a new content entry with every field ready to fill")
    n.add_argument("--content", type=Path, help="content folder (default from config: content/)")
    n.add_argument("--title", help="headline")
    n.add_argument("--province", help="province name, short name or slug")
    n.add_argument("--stage", help="stage slug, e.g. kampanye")
    n.add_argument("--date", help="event date YYYY-MM-DD (default: today)")
    n.add_argument("--election", help="pemilu-2024 or pilkada-2024 (default: guessed from the date, flagged)")
    n.add_argument("--url", help="source article URL")


def _ask(label: str, check: Callable[[str], str | None]) -> str:
    """Prompt until `check` accepts the answer (it returns an error message or None)."""
    while True:
        print(f"{label}: ", end="", file=sys.stderr, flush=True)  # stdout carries only the new path
        answer = sys.stdin.readline().strip()
        error = check(answer)
        if error is None:
            return answer
        print(f"  {error}", file=sys.stderr)


def _checks(ref: RefData) -> dict[str, Callable[[str], str | None]]:
    def date(v: str) -> str | None:
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            return f"'{v}' is not a date: write YYYY-MM-DD"
        return None
    return {
        "title": lambda v: None if v else "a headline is needed",
        "province": lambda v: None if ref.province(v) else
        f"province '{v}' is unknown{did_you_mean(v, ref.province_choices())}",
        "stage": lambda v: None if v in ref.stages else
        f"stage '{v}' is unknown{did_you_mean(v, ref.stages)}; one of: {', '.join(ref.stages)}",
        "election": lambda v: None if v in ref.elections else f"one of: {', '.join(ref.elections)}",
        "date": date,
    }


def _values(args: argparse.Namespace, ref: RefData, *, interactive: bool) -> NewEntry:
    checks = _checks(ref)
    values = {k: getattr(args, k) for k in ("title", "province", "stage", "date", "election")}
    review = []
    if values["date"] is None and not interactive:
        values["date"] = dt.datetime.now(WIB).date().isoformat()
        review.append("date")
    problems = []
    for key in ("title", "province", "stage", "date"):
        if values[key] is None and interactive:
            hint = " (" + ", ".join(ref.stages) + ")" if key == "stage" else ""
            values[key] = _ask(f"{key}{hint}", checks[key])
        elif values[key] is None:
            problems.append(Problem("digest new", 0, f"--{key} is needed (no terminal to ask in)"))
        elif error := checks[key](values[key]):
            problems.append(Problem("digest new", 0, f"--{key}: {error}"))
    if values["election"] and (error := checks["election"](values["election"])):
        problems.append(Problem("digest new", 0, f"--election: {error}"))
    if values["title"] and not slugify(values["title"]):
        problems.append(Problem("digest new", 0, f"--title: '{quote(values['title'])}' gives no id: "
                                                  "write a headline with letters or digits"))
    if args.url:
        try:
            hints.address(args.url)
        except ValueError as exc:
            problems.append(Problem("digest new", 0, f"--url: {exc}"))
    if problems:
        raise DigestError(problems)
    day = dt.date.fromisoformat(values["date"])
    if not values["election"]:
        values["election"] = election_by_date(day)
        review.append("election")
    province = ref.province(values["province"])  # checked above: None only for a name already refused
    review += ["summary", "source.url"] if not args.url else ["summary"]
    return NewEntry(values["title"], day, province.name if province else values["province"], values["stage"],
                    values["election"], args.url or "", review, added=today())


def run(args: argparse.Namespace) -> int:
    ref = load()
    content = args.content or config_mod.load(args.config).content
    new = _values(args, ref, interactive=sys.stdin.isatty())
    path = under_free_name(content, new.id, lambda name: render(new, name), write_text)
    print(path)
    return 0
