"""The quick path of a build: a few entries edited, the site's structure left alone.

A full build loads every entry, builds the whole site model and plans every output. When the
last build kept its model (pagestore.py) and nothing but a few entry files changed, none of them
in the fields that shape the site (site.model.STRUCTURE) or in what is checked across entries
(id, source URL), the site has the outputs it had, and only those that show an edited entry can
change. This module loads just those outputs and the entries they show; the build plans and
renders them, and every other file keeps its recorded fingerprint and is linked from the live
site. When any condition fails it answers None and the build takes the full path, which gives
the same output.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from digest.incremental.cachedir import OutputState
from digest.incremental.entrystore import Source, entry_digests, parse, read_body
from digest.incremental.pagestore import Store
from digest.incremental.storedentry import StoredEntry
from digest.output.cache import Shelf
from digest.reference.refdata import RefData
from digest.site.model import Page, SiteModel

MAX_EDITED = 64  # beyond this many edited files the full path is as quick, and simpler


@dataclass
class Edit:
    """What the quick path found: the outputs to plan and what the cache must learn."""

    model: SiteModel  # only the outputs that show an edited entry
    file_digests: dict[str, bytes]  # entry id -> file digest, every entry
    sources: dict[str, bytes | None]  # content file -> digest, every file
    body_digests: dict[str, bytes] = field(default_factory=dict)  # entry id -> body digest, entries shown
    # Per edited file: (old file digest, old body digest, new file digest, what the entry cache keeps).
    updates: list[tuple[bytes, bytes, bytes, tuple]] = field(default_factory=list)

    def teach(self, entries: Shelf, bodies: Shelf) -> None:
        """Put the new versions in the entry cache and forget the old ones and their bodies."""
        for old, old_body, new, stored in self.updates:
            entries.discard(old)
            entries.put(new, stored)
            bodies.discard(old_body)


class _Miss(Exception):
    """The store or the cache lacks what the quick path needs."""


def prepare(sources: list[Source], state: OutputState, store_folder: Path, cache_key: bytes,
            entries: Shelf, ref: RefData) -> Edit | None:
    """The outputs an edit touches, with current entries, or None when the full path is needed."""
    recorded = state.sources or {}
    if len(sources) != len(recorded):
        return None
    edited = [s for s in sources if recorded.get(s.display) != s.digest]
    if not edited or len(edited) > MAX_EDITED:
        return None
    edit = Edit(SiteModel(), dict(state.entry_digests), {s.display: s.digest for s in sources})  # type: ignore[misc]
    fresh: dict[str, StoredEntry] = {}
    for source in edited:
        old = recorded.get(source.display)
        if old is None or source.problems:  # a new file, or one that cannot be read
            return None
        entry, problems = parse(source, ref)
        if entry is None or problems or state.entry_digests.get(entry.id) != old:
            return None  # a new, renamed or invalid file: the full path reports or places it
        previous = entries.get(old)  # type: ignore[arg-type]
        body, structure = entry_digests(entry)
        if previous is None or previous[1][1] != structure or StoredEntry(previous[0], "").source_url != entry.source_url:
            return None
        fresh[entry.id] = StoredEntry.of(entry)
        edit.file_digests[entry.id] = source.digest  # type: ignore[assignment]
        edit.body_digests[entry.id] = body
        edit.updates.append((old, previous[1][0], source.digest,  # type: ignore[arg-type]
                             (fresh[entry.id].values(), (body, structure))))
    by_path = {s.display: s for s in sources}

    @functools.cache
    def entry(entry_id: str) -> StoredEntry:
        if entry_id in fresh:
            return fresh[entry_id]
        digest = edit.file_digests.get(entry_id)
        kept = entries.get(digest) if digest else None
        if kept is None:
            raise _Miss(entry_id)
        edit.body_digests[entry_id] = kept[1][0]
        found = StoredEntry(kept[0], lambda: read_body(by_path[found.path], digest))  # type: ignore[arg-type]
        return found

    store = Store(store_folder, cache_key, ref, entry)
    try:
        touched: set[str] = set()
        for entry_id in fresh:
            showing = store.showing(entry_id)
            if showing is None:
                return None
            touched.update(showing)
        for rel in sorted(touched):
            job = store.job(rel)
            if job is None:
                return None
            if isinstance(job, Page):
                edit.model.pages.append(job)
            else:
                edit.model.feeds.append(job)  # type: ignore[arg-type]
    except _Miss:
        return None
    return edit
