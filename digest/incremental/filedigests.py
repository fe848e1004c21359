"""Content digests of input files without re-reading the ones that did not change.

A file whose inode, size, mtime and ctime are those recorded by an earlier build keeps the digest
recorded then. The record is only trusted for files that were already RACY_NS old when recorded:
a file saved twice within one tick of the filesystem clock, at the same size, would otherwise keep
a stale digest (git's "racily clean" problem). Newer files are read and hashed every build until
they are old enough. Touching a file (mtime) or moving it (ctime) makes it read again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from digest.output.cache import digest

RACY_NS = 2_000_000_000  # coarser than any filesystem timestamp granularity Linux uses

StatKey = tuple[int, int, int, int]


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class FileDigests:
    """path -> digest of (path, bytes), carried from build to build through the cache."""

    def __init__(self, recorded: dict[str, tuple[StatKey, bytes]] | None):
        self.recorded = recorded or {}
        self.now = time.time_ns()
        self.kept: dict[str, tuple[StatKey, bytes]] = {}

    def known(self, path: str, st: os.stat_result) -> bytes | None:
        """The digest recorded for this very file state, if any."""
        hit = self.recorded.get(path)
        if hit is not None and hit[0] == stat_key(st):
            self.kept[path] = hit
            return hit[1]
        return None

    def record(self, path: str, st: os.stat_result, value: bytes) -> None:
        """Remember a digest just computed from the file's bytes (once the file is old enough)."""
        if max(st.st_mtime_ns, st.st_ctime_ns) < self.now - RACY_NS:
            self.kept[path] = (stat_key(st), value)

    def of(self, path: str, st: os.stat_result, data_reader: Callable[[], bytes]) -> bytes:
        """Digest of the file at `path`, read through `data_reader()` only when needed."""
        found = self.known(path, st)
        if found is None:
            found = file_digest(path, data_reader())
            self.record(path, st, found)
        return found


def file_digest(path: str, data: bytes) -> bytes:
    """Digest of a file's name and bytes: what an entry parsed from it depends on."""
    return digest(path.encode("utf-8", "surrogateescape") + b"\0" + data)
