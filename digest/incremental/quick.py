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
from collections.abc import Callable
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


@dataclass(frozen=True)
class Update:
    """An edited file: what the entry and body caches forget, and what they learn."""

    old_file: bytes  # digest of the file as the last build read it
    old_body: bytes  # digest of its body then
    new_file: bytes
    stored: tuple  # what the entry cache keeps of the new version (as entrystore.load)


@dataclass
class Edit:
    """What the quick path found: the outputs to plan and what the cache must learn."""

    model: SiteModel  # only the outputs that show an edited entry
    file_digests: dict[str, bytes]  # entry id -> file digest, every entry
    sources: dict[str, bytes | None]  # content file -> digest, every file
    body_digests: dict[str, bytes] = field(default_factory=dict)  # entry id -> body digest, entries shown
    updates: list[Update] = field(default_factory=list)  # one per edited file

    def teach(self, entries: Shelf, bodies: Shelf) -> None:
        """Put the new versions in the entry cache and forget the old ones and their bodies."""
        for update in self.updates:
            entries.discard(update.old_file)
            entries.put(update.new_file, update.stored)
            bodies.discard(update.old_body)


class _Miss(Exception):
    """The quick path cannot serve this build (the store or the cache lacks what it needs, or the
    edit is not one it handles): the full path does."""


def prepare(sources: list[Source], state: OutputState, *, store_folder: Path, cache_key: bytes, entries: Shelf,
            ref: RefData, row_kept: Callable[[str], bool]) -> Edit | None:
    """The outputs an edit touches, with current entries, or None when the full path is needed;
    `row_kept(id)`: whether the cache keeps the entry's open data row (pagestore.Store)."""
    recorded = state.sources or {}
    if len(sources) != len(recorded):
        return None
    edited = [s for s in sources if recorded.get(s.display) != s.digest]
    if not edited or len(edited) > MAX_EDITED:
        return None
    edit = Edit(SiteModel(), dict(state.entry_digests), {s.display: s.digest for s in sources})
    fresh: dict[str, StoredEntry] = {}
    by_path = {s.display: s for s in sources}

    @functools.cache
    def entry(entry_id: str) -> StoredEntry:
        if entry_id in fresh:
            return fresh[entry_id]
        file_digest = edit.file_digests.get(entry_id)
        kept = entries.get(file_digest) if file_digest else None
        if kept is None or file_digest is None:
            raise _Miss(entry_id)
        values, (body_digest, _) = kept
        edit.body_digests[entry_id] = body_digest
        found = StoredEntry(values, lambda: read_body(by_path[found.path], file_digest))
        return found

    try:
        for source in edited:
            stored, update = _reparse(source, recorded.get(source.display), state, entries, ref)
            fresh[stored.id] = stored
            edit.file_digests[stored.id] = update.new_file
            edit.body_digests[stored.id] = update.stored[1][0]
            edit.updates.append(update)
        _add_outputs(edit.model, Store(store_folder, cache_key, ref, entry, row_kept), fresh)
    except _Miss:
        return None
    return edit


def _reparse(source: Source, old: bytes | None, state: OutputState, entries: Shelf, ref: RefData
             ) -> tuple[StoredEntry, Update]:
    """An edited file's new entry, when the edit left its structure fields and source URL alone."""
    if old is None or source.problems or source.digest is None:  # a new file, or one that cannot be read
        raise _Miss(source.display)
    parsed, problems = parse(source, ref)
    if parsed is None or problems or state.entry_digests.get(parsed.id) != old:
        raise _Miss(source.display)  # a new, renamed or invalid file: the full path reports or places it
    previous = entries.get(old)
    if previous is None:
        raise _Miss(source.display)
    old_values, (old_body, old_structure) = previous  # as entrystore.load keeps them
    body, structure = entry_digests(parsed)
    if old_structure != structure or StoredEntry(old_values, "").source_url != parsed.source_url:
        raise _Miss(source.display)
    stored = StoredEntry.of(parsed)
    return stored, Update(old_file=old, old_body=old_body, new_file=source.digest,
                          stored=(stored.values(), (body, structure)))


def _add_outputs(model: SiteModel, store: Store, fresh: dict[str, StoredEntry]) -> None:
    """Every output that shows an edited entry, from the kept model, into `model`."""
    touched: set[str] = set()
    for entry_id in fresh:
        showing = store.showing(entry_id)
        if showing is None:
            raise _Miss(entry_id)
        touched.update(showing)
    for rel in sorted(touched):
        job = store.job(rel)
        if job is None:
            raise _Miss(rel)
        if isinstance(job, Page):
            model.pages.append(job)
        else:
            model.feeds.append(job)
