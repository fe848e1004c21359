"""The build cache (`.digest-cache/`): checksummed pickle files that are replaced atomically.

Every file is written to a temporary name and moved into place with os.replace, so a build killed
at any moment leaves each file whole, old or new. A file that is torn, corrupt, written by another
version of digest (its `key` differs) or in another format reads as absent: the cache can make a
build faster, never different. Only digest writes these files; like the source tree they are
trusted (pickle runs code when loaded).
"""

from __future__ import annotations

import hashlib
import pickle
import struct
import time
import zlib
from pathlib import Path
from typing import Any

from digest import atomic

_MAGIC = b"DGC1"
_HEADER = struct.Struct("<4s16sIQ")  # magic, key, crc32 of payload, payload length
SHARDS = 256
STALE_SECONDS = 3600


def digest(data: bytes) -> bytes:
    """16-byte content hash used for every cache key (SHA-256: hardware-accelerated on x86)."""
    return hashlib.sha256(data).digest()[:16]


def write(path: Path, key: bytes, value: Any) -> None:
    """Store `value` under the cache `key` (the digest version); atomic against kills."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = _HEADER.pack(_MAGIC, key, zlib.crc32(payload), len(payload))
    atomic.write_bytes(path, header + payload, overwrite=True, durable=False)


def sweep(folder: Path) -> None:
    """Remove the temporary files that builds killed while writing left behind, once they are
    STALE_SECONDS old: no write takes that long, so none is a file a running build will rename."""
    cutoff = time.time() - STALE_SECONDS
    for tmp in folder.rglob(".*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:  # gone already
            continue


def read(path: Path, key: bytes) -> Any | None:
    """The stored value, or None when the file is absent, torn, corrupt or for another key."""
    try:
        data = path.read_bytes()
        magic, stored_key, crc, size = _HEADER.unpack_from(data)
        payload = memoryview(data)[_HEADER.size:]
        if magic != _MAGIC or stored_key != key or size != len(payload) or zlib.crc32(payload) != crc:
            return None
        return pickle.loads(payload)
    except Exception:  # unreadable for any reason: a cache miss, never an error
        return None


class Shelf:
    """A key -> value map kept in SHARDS files, each read the first time one of its keys is used.

    Keys are content digests, so they spread evenly; a build that changes a few values rewrites
    only the shards holding them. A `fresh` shelf ignores what is on disk (`digest build --clean`).
    """

    def __init__(self, folder: Path, key: bytes, fresh: bool = False):
        self.folder = folder
        self.key = key
        self.fresh = fresh
        self._shards: dict[int, dict[bytes, Any]] = {}
        self._dirty: set[int] = set()

    def _load(self, n: int) -> dict[bytes, Any]:
        shard = self._shards.get(n)
        if shard is None:
            stored = None if self.fresh else read(self.folder / f"{n:02x}", self.key)
            shard = self._shards[n] = stored if isinstance(stored, dict) else {}
        return shard

    def get(self, k: bytes) -> Any | None:
        return self._load(k[0] % SHARDS).get(k)

    def put(self, k: bytes, value: Any) -> None:
        n = k[0] % SHARDS
        self._load(n)[k] = value
        self._dirty.add(n)

    def discard(self, k: bytes) -> None:
        shard = self._load(k[0] % SHARDS)
        if k in shard:
            del shard[k]
            self._dirty.add(k[0] % SHARDS)

    def keep_only(self, keys: set[bytes]) -> None:
        """Forget loaded items not in `keys`, so old versions of edited files do not pile up."""
        for n, shard in self._shards.items():
            stale = [k for k in shard if k not in keys]
            for k in stale:
                del shard[k]
            if stale:
                self._dirty.add(n)

    def flush(self) -> None:
        """Write the shards that changed."""
        for n in sorted(self._dirty):
            write(self.folder / f"{n:02x}", self.key, self._shards[n])
        self._dirty.clear()
