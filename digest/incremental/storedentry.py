"""The form in which the cache keeps a parsed entry: every field but the body, ready to use.

Unpickling tens of thousands of Entry objects with their bodies would cost an incremental build
more than everything else it does. A StoredEntry reads like an Entry, field for field: the fields
the site model sorts, groups and filters by are slots, the others come from one tuple, and the
body, needed only to convert Markdown that the body cache lacks, is read again from the file on
first use (and checked against the file's digest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from digest.content.entry import Entry
from digest.site.model import STRUCTURE

# The fields the site model reads, and those the checks across entries and the body reader read.
_SLOTS = tuple(dict.fromkeys((*STRUCTURE, "path", "source_url")))
_REST = tuple(f.name for f in fields(Entry) if f.name not in _SLOTS and f.name != "body")
_REST_INDEX = {name: i for i, name in enumerate(_REST)}


class StoredEntry:
    __slots__ = (*_SLOTS, "_rest", "_body")

    id: str
    path: str
    date: dt.date
    source_url: str | None

    def __init__(self, values: tuple, body: str | Callable[[], str]):
        """`values` as `values()` gave them; `body` the text, or how to read it."""
        for name, value in zip(_SLOTS, values, strict=False):  # the last value is _rest
            setattr(self, name, value)
        self._rest = values[-1]
        self._body = body

    @classmethod
    def of(cls, entry: Entry) -> StoredEntry:
        return cls(tuple(getattr(entry, name) for name in _SLOTS) + (tuple(getattr(entry, n) for n in _REST),),
                   entry.body)

    def values(self) -> tuple:
        """Everything but the body, as plain data for the cache."""
        return tuple(getattr(self, name) for name in _SLOTS) + (self._rest,)

    def __getattr__(self, name: str) -> Any:
        """The fields kept in `_rest` (title, summary, officials...)."""
        if name in ("_rest", "_body"):  # unset: not made by __init__
            raise AttributeError(name)
        index = _REST_INDEX.get(name)
        if index is None:
            raise AttributeError(name)
        return self._rest[index]

    @property
    def body(self) -> str:
        if callable(self._body):
            self._body = self._body()
        return self._body

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        """As Entry.sort_key."""
        return (self.date, self.id)

