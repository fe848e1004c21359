"""The site model kept between builds, output by output, for edits that leave the structure alone.

When no entry changed in its site.model.STRUCTURE fields (and nothing else changed but entry
files), the site has the pages and feeds of the last build, each showing the same entries in the
same places; only the outputs that show an edited entry can change (outputs.plan relies on the
same fact). So a full build with a cache keeps here every output's Page or Feed, with entries and
reference data by name, and for each entry the outputs that show it. An edit of a few entries
then loads just those outputs and their entries, instead of every entry and the whole model
(most of what an edit of a large site took; README, Speed). The open data files list every
entry, row by row: they are kept by name only (Listing), and an edit replaces its entries' rows in
the files the last build made (site.opendata.patch) instead of loading every entry they list.

    <folder>/jobs/NN    first output file -> pickled Page or Feed (one pickle each, read on demand)
    <folder>/shows/NN   entry id -> first output file of each output that shows it

The folder is named after the structure digest it describes, and written before the output
state that refers to it: a build killed half-way leaves a store that nothing refers to.
"""

from __future__ import annotations

import io
import pickle
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.content.entry import Entry
from digest.incremental.storedentry import StoredEntry
from digest.output import cache
from digest.reference.refdata import Election, Province, RefData, Regency, Stage
from digest.site import opendata
from digest.site.model import EntryView, Feed, Page, SiteModel, Views

SHARDS = 256  # an edit reads the shard of each output it touches: the more shards, the less of the model


def _shard(name: str) -> int:
    return cache.digest(name.encode())[0] % SHARDS


def _named(kind: str, key: str) -> None:
    """Stands in a stored output for an entry, its view or a piece of reference data; never
    called: the store's unpickler resolves the name (see Store)."""


@dataclass(frozen=True)
class Listing:
    """An output that lists every entry, one row each (the open data files): kept by its URL and
    kind, not its items, since an edit patches its rows (quick.py)."""

    url: str
    template: str


_NAMED = {Province: lambda p: ("Province", p.slug), Stage: lambda s: ("Stage", s.slug),
          Election: lambda e: ("Election", e.slug), Regency: lambda r: ("Regency", r.code),
          StoredEntry: lambda e: ("entry", e.id), Entry: lambda e: ("entry", e.id),
          EntryView: lambda v: ("view", v.entry.id)}
_LISTS_ALL = (opendata.CSV, opendata.JSON)  # templates of the outputs kept as a Listing


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        """Entries and their views by id (a later build may load a newer version; a view depends
        only on the entry's structure fields, which the quick path checked), reference data by
        its key (part of the code key, so it cannot differ); called for objects of classes only."""
        name = _NAMED.get(type(obj))
        return NotImplemented if name is None else (_named, name(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, store: Store):
        super().__init__(io.BytesIO(data))
        self.store = store

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == _named.__name__:
            return self.store.named
        return super().find_class(module, name)


def save(folder: Path, key: bytes, model: SiteModel, output_files: Callable[[Page | Feed], tuple[str, ...]]
         ) -> None:
    """Keep every page and feed of `model` under its first output file, and which of them show
    each entry (in a new folder)."""
    jobs: dict[int, dict[str, bytes]] = defaultdict(dict)
    shows: dict[int, dict[str, list[str]]] = defaultdict(dict)
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    every: list[Page | Feed] = [*model.pages, *model.feeds]
    for job in every:
        rel = output_files(job)[0]
        buffer.seek(0)
        buffer.truncate()
        pickler.clear_memo()
        pickler.dump(Listing(job.url, job.template) if isinstance(job, Page) and job.template in _LISTS_ALL else job)
        jobs[_shard(rel)][rel] = buffer.getvalue()
        for view in (job.shown if isinstance(job, Page) else job.items):
            shows[_shard(view.entry.id)].setdefault(view.entry.id, []).append(rel)
    for kind in ("jobs", "shows"):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    for n in range(SHARDS):
        cache.write(folder / "jobs" / f"{n:02x}", key, jobs.get(n, {}))
        cache.write(folder / "shows" / f"{n:02x}", key, shows.get(n, {}))


class Store:
    """A saved model, read shard by shard as outputs are asked for."""

    def __init__(self, folder: Path, key: bytes, ref: RefData, entry: Callable[[str], StoredEntry]):
        """`entry(id)` reads the entry (current version) that outputs name."""
        self.folder = folder
        self.key = key
        self.entry = entry
        self._shards: dict[tuple[str, int], dict | None] = {}
        self._views: dict[str, EntryView] = {}
        self._make_view = Views(ref)
        self._ref: dict[str, Mapping[str, Any]] = {
            "Province": ref.province_by_slug, "Stage": ref.stages, "Election": ref.elections,
            "Regency": ref.regency_by_code}

    def named(self, kind: str, key: str) -> Any:
        """What a stored output names: an entry, its view, or reference data."""
        if kind == "entry":
            return self.entry(key)
        if kind == "view":
            found = self._views.get(key)
            if found is None:
                found = self._views[key] = self._make_view(self.entry(key))  # type: ignore[arg-type]
            return found
        return self._ref[kind][key]

    def _load(self, kind: str, n: int) -> dict | None:
        if (kind, n) not in self._shards:
            found = cache.read(self.folder / kind / f"{n:02x}", self.key)
            self._shards[kind, n] = found if isinstance(found, dict) else None
        return self._shards[kind, n]

    def showing(self, entry_id: str) -> list[str] | None:
        """The first output file of every output that shows the entry; None if not stored."""
        shard = self._load("shows", _shard(entry_id))
        return None if shard is None else shard.get(entry_id, [])

    def job(self, rel: str) -> Page | Feed | Listing | None:
        """The output kept under `rel`, with the entries it shows read from the cache as it is
        unpickled (where an entry the cache lost can still send the build down the full path)."""
        shard = self._load("jobs", _shard(rel))
        data = None if shard is None else shard.get(rel)
        if data is None:
            return None
        return _Unpickler(data, self).load()
