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
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from digest.incremental.cachedir import OutputState
from digest.incremental.entrystore import Source, entry_digests, parse, read_body
from digest.incremental.outputs import Made
from digest.incremental.pagestore import Listing, Store
from digest.incremental.storedentry import StoredEntry
from digest.output.cache import Shelf
from digest.reference.refdata import RefData
from digest.site import opendata
from digest.site.model import EntryView, Feed, Page, SiteModel, Views
from digest.site.render import output_files

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
    updates: dict[str, Update] = field(default_factory=dict)  # entry id -> its edited file's update
    made: list[Made] = field(default_factory=list)  # the open data files, edited rows replaced

    def teach(self, entries: Shelf, bodies: Shelf) -> None:
        """Put the new versions in the entry cache and forget the old ones and their bodies."""
        for update in self.updates.values():
            entries.discard(update.old_file)
            entries.put(update.new_file, update.stored)
            bodies.discard(update.old_body)


class _Miss(Exception):
    """The quick path cannot serve this build (the store or the cache lacks what it needs, or the
    edit is not one it handles): the full path does."""


def prepare(sources: list[Source], state: OutputState, *, store_folder: Path, cache_key: bytes, entries: Shelf,
            ref: RefData, rows: opendata.Rows, live: Path) -> Edit | None:
    """The outputs an edit touches, with current entries, or None when the full path is needed;
    `rows` recalls and keeps open data rows, `live` is the live site's folder."""
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
            if stored.id in fresh:  # two files of one id: the full path reports them
                raise _Miss(source.display)
            fresh[stored.id] = stored
            edit.file_digests[stored.id] = update.new_file
            edit.body_digests[stored.id] = update.stored[1][0]
            edit.updates[stored.id] = update
        views = Views(ref)

        @functools.cache
        def replaced(entry_id: str) -> tuple[EntryView, opendata.Replacement]:
            view = views(fresh[entry_id])  # type: ignore[arg-type]  # StoredEntry reads as Entry
            update = edit.updates[entry_id]
            found = rows.replaced(view, update.old_file, update.new_file)
            if found is None:
                raise _Miss(entry_id)
            return view, found

        for job, ids in _outputs(Store(store_folder, cache_key, ref, entry), fresh):
            if isinstance(job, Listing):
                edit.made.append(_patched(job, [replaced(i) for i in ids], live))
            elif isinstance(job, Page):
                edit.model.pages.append(job)
            else:
                edit.model.feeds.append(job)
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


def _outputs(store: Store, fresh: dict[str, StoredEntry]) -> list[tuple[Page | Feed | Listing, list[str]]]:
    """Every output that shows an edited entry, from the kept model, with the edited entries it shows."""
    touched: dict[str, list[str]] = defaultdict(list)
    for entry_id in fresh:
        showing = store.showing(entry_id)
        if showing is None:
            raise _Miss(entry_id)
        for rel in showing:
            touched[rel].append(entry_id)
    jobs = []
    for rel in sorted(touched):
        job = store.job(rel)
        if job is None:
            raise _Miss(rel)
        jobs.append((job, touched[rel]))
    return jobs


def _patched(listing: Listing, edited: list[tuple[EntryView, opendata.Replacement]], live: Path) -> Made:
    """An open data file as the live site holds it, each edited entry's row replaced."""
    page = Page(listing.url, listing.template, {}, shown=tuple(view for view, _ in edited))
    try:
        made = (live / output_files(page)[0]).read_bytes()
    except OSError:
        raise _Miss(listing.url) from None
    data = opendata.patch(listing.template, made, [found for _, found in edited])
    if data is None:
        raise _Miss(listing.url)
    return Made(page, data)
