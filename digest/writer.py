"""Write a complete site to a temporary folder beside the output, then swap it in.

A failed or interrupted build therefore never leaves a half-written site: readers see the
previous site until the new one is complete. On Linux the swap is one atomic
renameat2(RENAME_EXCHANGE); elsewhere it is two renames.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from digest.errors import DigestError, Problem

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the platform cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def check_output_dir(output: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that would swallow the sources (e.g. `--output .`)."""
    out = output.resolve()
    for p in protected:
        real = p.resolve()
        if real == out or out in real.parents:
            raise DigestError(Problem(str(output), 0, f"output folder would replace {p}; choose another folder"))


def safe_target(root: Path, rel: str) -> Path:
    """root/rel, refusing any path that would land outside root."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()) or rel.startswith("/"):
        raise DigestError(Problem(rel, 0, "output path leads outside the output folder; refused"))
    return target


def write_site(files: Iterable[tuple[str, bytes]], output: Path, static_dir: Path | None = None) -> int:
    """Write all files into a fresh folder and swap it in; return how many files were written."""
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    count = 0
    try:
        os.chmod(tmp, 0o755)
        if static_dir is not None and static_dir.is_dir():
            shutil.copytree(static_dir, tmp / "static", dirs_exist_ok=True)
        made: set[Path] = set()
        for rel, data in files:
            target = safe_target(tmp, rel)
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(data)
            count += 1
        _swap_in(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


def _swap_in(new: Path, output: Path) -> None:
    if not output.exists():
        os.rename(new, output)
        return
    if _exchange(new, output):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
    os.rmdir(old)
    os.rename(output, old)
    os.rename(new, output)
    shutil.rmtree(old, ignore_errors=True)
