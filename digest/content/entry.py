"""The validated content entry: plain data that parsing produces and the site model consumes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Official:
    name: str
    rank: str = ""
    role: str = ""


def missing_fields(entry: Entry) -> tuple[str, ...]:
    """The required fields an incomplete draft leaves empty (none for any other entry). Such an
    entry has no place on the site: no day, province, election or stage to file it under. Reads
    only fields the build's stored entries keep at hand (storedentry._SLOTS)."""
    return tuple(name for name, empty in (("date", entry.date == dt.date.min), ("province", not entry.province),
                                          ("election", not entry.elections), ("stage", not entry.stage)) if empty)


@dataclass(frozen=True)
class Entry:
    """One news item. Place and taxonomy fields hold slugs/codes from the reference data."""

    id: str
    path: str  # as given to the loader, for messages
    title: str
    date: dt.date  # the day the reported event happened; date.min in an incomplete draft
    province: str  # province slug
    elections: tuple[str, ...]
    stage: str
    body: str  # Markdown source
    published: dt.datetime | None = None
    added: dt.date | None = None  # the day the entry joined the digest (site.model.announced)
    dateline: str = ""
    regency: str | None = None  # kab/kota code
    topics: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    officials: tuple[Official, ...] = ()
    personnel: int | None = None
    budget_idr: int | None = None
    source_outlet: str = ""
    source_url: str = ""
    source_author: str = ""
    summary: str = ""
    draft: bool = False
    review: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        """Newest first ordering uses (date, id) descending: stable whatever the file order."""
        return (self.date, self.id)
