"""The validated content entry: plain data that parsing produces and the site model consumes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Official:
    name: str
    rank: str = ""
    role: str = ""


@dataclass(frozen=True)
class Entry:
    """One news item. Place and taxonomy fields hold slugs/codes from the reference data."""

    id: str
    path: str  # as given to the loader, for messages
    title: str
    date: dt.date  # the day the reported event happened
    province: str  # province slug
    elections: tuple[str, ...]
    stage: str
    body: str  # Markdown source
    published: dt.datetime | None = None
    added: dt.date | None = None  # the day the entry joined the digest (sitemodel.announced)
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
