"""The id a new entry gets, one rule for `digest new` and `digest ingest`.

An id is written into the entry's file once and never computed again (feed ids and page URLs
derive from it), so changing this rule changes only the ids of entries made afterwards.
"""

from __future__ import annotations

import datetime as dt

from digest.reference.refdata import slugify

MAX_ID = 80  # characters; an id is a URL path segment and a file name


def entry_id(date: dt.date | None, title: str) -> str:
    """"2023-10-16-kpu-polres-batu-..." cut at a word, within MAX_ID characters (no date: the
    title's slug; a title with no letters or digits: "berita")."""
    slug = f"{date.isoformat() if date else ''}-{slugify(title)}".strip("-") or "berita"
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0]
    return slug
