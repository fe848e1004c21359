"""Write files so that an interrupted run never leaves a half-written one behind, and say in one
line what went wrong when the system refuses (full disk, read-only folder, permissions)."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from digest.errors import Problem


def write_text(path: Path, text: str, overwrite: bool = False) -> None:
    """Write `text` (UTF-8) to `path`; see write_bytes."""
    write_bytes(path, text.encode("utf-8"), overwrite)


def write_bytes(path: Path, data: bytes, overwrite: bool = False, durable: bool = True, mode: int = 0o644) -> None:
    """Write `data` to `path` via a temporary file in the same folder.

    Without `overwrite`, the final step is a hard link, which fails if `path` appeared in the
    meantime, so an editor's file is never replaced by accident (FileExistsError). `durable`
    flushes the data to disk before it takes the name (an editor's entry); a cache file, which
    is checksummed and rebuilt when torn, skips that cost. `mode` is the file's permissions (a
    secret key: 0o600), set before it takes the name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# What the operator can do about a failed system call, by errno (the rest: the system's own words).
_REMEDIES = {errno.ENOSPC: "the disk is full; free some space and run again",
             errno.EDQUOT: "the disk quota is used up; free some space and run again",
             errno.EROFS: "the file system is read-only; choose a writable folder",
             errno.EACCES: "permission denied; fix the permissions or choose another folder",
             errno.EPERM: "not permitted; fix the permissions or choose another folder",
             errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
             errno.ENOTDIR: "a part of the path is a file, not a folder; fix the path",
             errno.EISDIR: "is a folder, not a file; fix the path",
             errno.EEXIST: "is a file where a folder is needed; fix the path",
             errno.ELOOP: "symbolic links loop; fix the link"}


def failure(exc: OSError, where: Path | str | None = None) -> Problem:
    """One line for an environment failure (disk, permissions, paths): the path and what to do.
    `where` names the place when the system did not (a write that found the disk full)."""
    path = exc.filename if exc.filename is not None else where
    remedy = _REMEDIES.get(exc.errno or 0) or f"{(exc.strerror or str(exc)).lower()}; check the path and run again"
    return Problem(os.fsdecode(path) if path is not None else "digest", 0, remedy)
