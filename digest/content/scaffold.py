"""The text of a new entry: every schema field present, the empty ones commented out with a hint,
so an editor sees the whole schema in the file without reading the README."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import yaml

from digest.reference.refdata import slugify


@dataclass
class NewEntry:
    title: str
    date: dt.date
    province: str
    stage: str
    election: str
    url: str = ""
    review: list[str] = field(default_factory=list)
    added: dt.date | None = None  # the day it joined the digest: feeds order by it


def _scalar(value: object) -> str:
    """One YAML scalar, quoted only when YAML needs it."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6).strip().removesuffix("...").strip()


def entry_id(new: NewEntry) -> str:
    return f"{new.date.isoformat()}-{slugify(new.title)[:80].strip('-')}"


def _lines(rows: list[tuple[str, str]]) -> str:
    """Front-matter lines with their hints aligned in one column."""
    return "".join(f"{text:<29} # {hint}\n" if hint else f"{text}\n" for text, hint in rows)


def render(new: NewEntry, entry_id_: str) -> str:
    """The new file's text; passes `digest check` (with review warnings) as written."""
    source = [("source:", "")]
    source += [(f"  url: {_scalar(new.url)}", "")] if new.url else [("  # url:", "link to the original article")]
    source += [("  # outlet:", "e.g. ANTARA"), ("  # author:", "")]
    rows = [
        ("---", ""), (f"id: {entry_id_}", "never change once published"), (f"title: {_scalar(new.title)}", ""),
        (f"date: {new.date.isoformat()}", "the day the event happened"),
        ("# published:", "when the source published it, YYYY-MM-DD"),
        *([(f"added: {new.added.isoformat()}", "the day it joined the digest")] if new.added else []),
        ("# dateline:", "dateline place, e.g. Serang"),
        (f"province: {_scalar(new.province)}", ""), ("# regency:", "kab/kota in that province, e.g. Kota Serang"),
        (f"election: {new.election}", "pemilu-2024 | pilkada-2024"), (f"stage: {new.stage}", ""),
        ("topics: []", "e.g. [koordinasi, logistik]"), ("agencies: []", "e.g. [Polda Banten, KPU Banten]"),
        ("officials: []", "e.g. - {name: Oskar Syamsuddin, rank: AKBP, role: Kapolres Batu}"),
        ("figures: {}", "e.g. {personnel: 4174, budget_idr: 131000000000}"),
        *source,
        ('summary: ""', "two or three sentences in your own words"),
        ("draft: true", "set to false to publish"),
        (f"review: [{', '.join(new.review)}]", "remove each field once checked"), ("---", ""),
    ]
    return _lines(rows) + "\nTulis ringkasan berita di sini dengan kata-kata sendiri.\n"
