"""Write files so that an interrupted run never leaves a half-written one behind (errors.failure
says in one line what went wrong when the system refuses)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
