"""Content folder -> entries, parsing each version of a file once (then recalling it by digest)
and parsing many new files on every core. The result, problems included, is what
loader.load_all gives: the same files, in the same order, with the same messages.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from digest.content.entry import Entry
from digest.content.frontmatter import split
from digest.content.loader import (
    SourceFile,
    check_collisions,
    decode,
    display_path,
    parse_entry,
    read_source,
    source_file,
    walk,
)
from digest.errors import DigestError, Problem
from digest.incremental import parallel
from digest.incremental.filedigests import FileDigests, file_digest
from digest.incremental.storedentry import StoredEntry
from digest.output.cache import Shelf, digest
from digest.reference.refdata import RefData
from digest.site.markup import body_digest
from digest.site.model import STRUCTURE

_structure = attrgetter(*STRUCTURE)


@dataclass(slots=True)
class Source:
    """A content file and its digest; `data` is kept when the file had to be read anyway."""

    item: os.DirEntry
    display: str
    digest: bytes | None = None
    data: bytes | None = None
    problems: list[Problem] = field(default_factory=list)
    real_root: Path | None = None  # set for symlinks, which must be checked to stay inside

    @property
    def src(self) -> SourceFile:
        return source_file(self.item)


def scan(content_dir: Path, digests: FileDigests) -> list[Source]:
    """Every content file with its digest, reading only files whose stat changed."""
    real_root = content_dir.resolve()
    sources = []
    for item in walk(content_dir):
        source = Source(item, display_path(item))
        if item.is_symlink():
            source.real_root = real_root
        else:
            with contextlib.suppress(OSError):  # unreadable: read_source below says why
                source.digest = digests.known(source.display, item.stat())
        if source.digest is None:
            source.data, source.problems = read_source(source.src, source.real_root)
            if source.data is not None:
                source.digest = file_digest(source.display, source.data)
                if source.real_root is None:
                    digests.record(source.display, item.stat(), source.digest)
        sources.append(source)
    return sources


@dataclass
class Loaded:
    entries: list[StoredEntry]  # every valid entry, drafts and scheduled ones included
    file_digests: dict[str, bytes]  # entry id -> digest of its file
    body_digests: dict[str, bytes]  # entry id -> digest of its Markdown body
    structure: bytes  # digest of the entries' site.model.STRUCTURE fields, in order
    parsed: int  # files parsed by this build (the others were recalled from the cache)


def entry_digests(entry: Entry) -> tuple[bytes, bytes]:
    """(digest of the body, digest of the site.model.STRUCTURE fields) of a parsed entry."""
    return body_digest(entry.body), digest(pickle.dumps(_structure(entry), protocol=5))


def parse(source: Source, ref: RefData) -> tuple[Entry | None, list[Problem]]:
    """A scanned file's entry, read again if the scan did not keep its bytes."""
    data = source.data
    if data is None:  # recalled by digest, but the parsed entry is no longer cached
        data, problems = read_source(source.src, source.real_root)
        if data is None:
            return None, problems
    return parse_entry(source.src, data, ref)


def read_body(source: Source, expected: bytes) -> str:
    """The body of a file recalled from the cache, read again (the file must not have changed)."""
    data, problems = read_source(source.src, source.real_root)
    if data is None or file_digest(source.display, data) != expected:
        raise DigestError(problems or Problem(source.display, 0, "changed while the site was built; build again"))
    return split(source.display, decode(source.src, data))[1]


def load(sources: list[Source], ref: RefData, shelf: Shelf, jobs: int,
         progress: Callable[[int], None] | None = None) -> Loaded:
    """Entries of the scanned files, or DigestError listing every problem found; `progress(n)`
    hears of every n files parsed."""
    entries: list[StoredEntry | None] = [None] * len(sources)
    digests: list[tuple[bytes, bytes] | None] = [None] * len(sources)  # (body, structure)
    for i, source in enumerate(sources):
        known = source.digest
        stored = shelf.get(known) if known else None
        if known and stored is not None:
            values, digests[i] = stored
            entries[i] = StoredEntry(values, functools.partial(read_body, source, known))
    todo = [i for i, s in enumerate(sources) if entries[i] is None and not s.problems]
    results = parallel.run(lambda k: parse(sources[todo[k]], ref), len(todo), jobs, progress)
    problems = [p for s in sources for p in s.problems]
    for i, (entry, found) in zip(todo, results, strict=True):
        problems += found
        if entry is not None:
            file_digest = sources[i].digest
            assert file_digest is not None  # a file parsed was read whole, so it has its digest
            stored_entry = entries[i] = StoredEntry.of(entry)
            digests[i] = entry_digests(entry)
            shelf.put(file_digest, (stored_entry.values(), digests[i]))
    kept = [i for i, e in enumerate(entries) if e is not None]
    valid: list[StoredEntry] = [entries[i] for i in kept]  # type: ignore[misc]
    problems += check_collisions(valid)  # type: ignore[arg-type]
    if problems:
        raise DigestError(problems)
    shelf.keep_only({sources[i].digest for i in kept})  # type: ignore[misc]
    return Loaded(valid, {e.id: sources[i].digest for i, e in zip(kept, valid, strict=True)},  # type: ignore[misc]
                  {e.id: digests[i][0] for i, e in zip(kept, valid, strict=True)},  # type: ignore[index]
                  digest(b"".join(digests[i][1] for i in kept)), len(todo))  # type: ignore[index]
