"""The build cache (`.digest-cache/`): authenticated pickle files that are replaced atomically.

Every file is written to a temporary name and moved into place with os.replace, so a build killed
at any moment leaves each file whole, old or new. A file that is torn, corrupt, written by another
version of digest (its `key` differs) or in another format reads as absent: the cache can make a
build faster, never different.

Unpickling runs code, and the cache sits in the project tree where anyone with write access to
the repository (or a planted file in a checkout) can put bytes. So every file carries an HMAC
over its bytes, keyed by a secret that never lives in the project: `$XDG_CACHE_HOME/digest/key`
(default `~/.cache/digest/key`), 32 random bytes made on first use with mode 0600. A file is
unpickled only when its HMAC verifies; anything else is ignored and rebuilt. HMAC-SHA256 is fast
enough that checking every file an edit reads costs little next to the edit.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digest.output import atomic

_MAGIC = b"DGC2"
_HEADER = struct.Struct("<4s16sQ32s")  # magic, key, payload length, HMAC-SHA256 of the rest
_MAC_AT = _HEADER.size - 32
SHARDS = 256
STALE_SECONDS = 3600
SECRET_BYTES = 32


@dataclass(frozen=True)
class Secret:
    """The key cache files are signed with; `problem` says why it is only this process's own."""

    key: bytes
    problem: str | None = None


def secret_path() -> Path:
    """Where the signing key lives: the user's cache folder, outside every project."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "digest" / "key"


def _read_secret(path: Path) -> bytes | None:
    """The key at `path`, if it is a private regular file of this user holding a whole key."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        private = stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077
        data = f.read(SECRET_BYTES + 1)
    return data if private and len(data) == SECRET_BYTES else None


@functools.cache
def secret() -> Secret:
    """This user's signing key, made on first use. When it cannot be read or made (no writable
    home, a key others can read), builds sign with a key of their own: nothing they read from
    an earlier run verifies, so they are cold builds, but never unsafe ones."""
    path = secret_path()
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with contextlib.suppress(FileExistsError):  # another build made it first: use theirs
                atomic.write_bytes(path, secrets.token_bytes(SECRET_BYTES), mode=0o600)
        key = _read_secret(path)
        if key is not None:
            return Secret(key)
        problem = f"{path}: the cache key must be a private 32-byte file (chmod 600, or delete it to make a new one)"
    except OSError as exc:
        problem = f"{path}: cannot keep the cache key ({exc.strerror}); make the folder writable or set XDG_CACHE_HOME"
    return Secret(secrets.token_bytes(SECRET_BYTES), f"{problem}; the cache is not reused meanwhile")


def digest(data: bytes) -> bytes:
    """16-byte content hash used for every cache key (SHA-256: hardware-accelerated on x86)."""
    return hashlib.sha256(data).digest()[:16]


def _mac(head: bytes, payload: bytes | memoryview) -> bytes:
    signer = hmac.new(secret().key, head, hashlib.sha256)
    signer.update(payload)
    return signer.digest()


def write(path: Path, key: bytes, value: Any) -> None:
    """Store `value` under the cache `key` (the digest version), signed; atomic against kills."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    head = _HEADER.pack(_MAGIC, key, len(payload), b"")[:_MAC_AT]
    atomic.write_bytes(path, head + _mac(head, payload) + payload, overwrite=True, durable=False)


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
    """The stored value, or None when the file is absent, torn, corrupt, for another key, or not
    signed with this user's key (then it is never unpickled)."""
    try:
        data = path.read_bytes()
        magic, stored_key, size, mac = _HEADER.unpack_from(data)
        payload = memoryview(data)[_HEADER.size:]
        if magic != _MAGIC or stored_key != key or size != len(payload) \
                or not hmac.compare_digest(mac, _mac(data[:_MAC_AT], payload)):
            return None
        return pickle.loads(payload)
    except Exception:  # unreadable for any reason: a cache miss, never an error
        return None


class Shelf:
    """A key -> value map kept in `shards` files, each read the first time one of its keys is used.

    Keys are content digests, so they spread evenly; a build that changes a few values rewrites
    only the shards holding them, and one that reads a few values reads only their shards (the
    more shards, the less of the map). A `fresh` shelf ignores what is on disk (`digest build --clean`).
    """

    def __init__(self, folder: Path, key: bytes, fresh: bool = False, shards: int = SHARDS):
        self.folder = folder
        self.key = key
        self.fresh = fresh
        self.shards = shards
        self._width = len(f"{shards - 1:x}")
        self._shards: dict[int, dict[bytes, Any]] = {}
        self._dirty: set[int] = set()

    def _shard(self, k: bytes) -> int:
        return int.from_bytes(k[:4]) % self.shards

    def _path(self, n: int) -> Path:
        return self.folder / f"{n:0{self._width}x}"

    def _load(self, n: int) -> dict[bytes, Any]:
        shard = self._shards.get(n)
        if shard is None:
            stored = None if self.fresh else read(self._path(n), self.key)
            shard = self._shards[n] = stored if isinstance(stored, dict) else {}
        return shard

    def get(self, k: bytes) -> Any | None:
        return self._load(self._shard(k)).get(k)

    def put(self, k: bytes, value: Any) -> None:
        n = self._shard(k)
        self._load(n)[k] = value
        self._dirty.add(n)

    def discard(self, k: bytes) -> None:
        n = self._shard(k)
        shard = self._load(n)
        if k in shard:
            del shard[k]
            self._dirty.add(n)

    def keep_only(self, keys: set[bytes]) -> None:
        """Forget loaded items not in `keys`, so old versions of edited files do not pile up, and
        the files of another sharding (an older digest's): a full build calls this, an edit not."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if len(path.name) != self._width and not path.name.startswith("."):
                    path.unlink(missing_ok=True)
        for n, shard in self._shards.items():
            stale = [k for k in shard if k not in keys]
            for k in stale:
                del shard[k]
            if stale:
                self._dirty.add(n)

    def flush(self) -> None:
        """Write the shards that changed."""
        for n in sorted(self._dirty):
            write(self._path(n), self.key, self._shards[n])
        self._dirty.clear()
