"""The text of a new entry: every schema field present, the empty ones commented out with a hint,
so an editor sees the whole schema in the file without reading the README."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from digest.content.ids import entry_id
from digest.content.writer import Line, hinted, scalar


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

    @property
    def id(self) -> str:
        """The id `digest ingest` would give the same date and title."""
        return entry_id(self.date, self.title)


def render(new: NewEntry, id_: str) -> str:
    """The new file's text under id `id_`; passes `digest check` (with review warnings) as written."""
    source = [Line(f"  url: {scalar(new.url)}") if new.url else Line("  # url:", "link to the original article"),
              Line("  # outlet:", "e.g. ANTARA"), Line("  # author:")]
    lines = [
        Line(f"id: {id_}", "never change once published"), Line(f"title: {scalar(new.title)}"),
        Line(f"date: {new.date.isoformat()}", "the day the event happened"),
        Line("# published:", "when the source published it, YYYY-MM-DD"),
        *([Line(f"added: {new.added.isoformat()}", "the day it joined the digest")] if new.added else []),
        Line("# dateline:", "dateline place, e.g. Serang"),
        Line(f"province: {scalar(new.province)}"), Line("# regency:", "kab/kota in that province, e.g. Kota Serang"),
        Line(f"election: {new.election}", "pemilu-2024 | pilkada-2024"), Line(f"stage: {new.stage}"),
        Line("topics: []", "e.g. [koordinasi, logistik]"), Line("agencies: []", "e.g. [Polda Banten, KPU Banten]"),
        Line("officials: []", "e.g. - {name: Oskar Syamsuddin, rank: AKBP, role: Kapolres Batu}"),
        Line("figures: {}", "e.g. {personnel: 4174, budget_idr: 131000000000}"),
        Line("source:"), *source,
        Line('summary: ""', "two or three sentences in your own words"),
        Line("draft: true", "set to false to publish"),
        Line(f"review: [{', '.join(new.review)}]", "remove each field once checked"),
    ]
    return hinted(lines) + "\nTulis ringkasan berita di sini dengan kata-kata sendiri.\n"
