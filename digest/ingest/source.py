"""Inputs of `digest ingest`: .txt and .html files, folders of them, or standard input."""

from __future__ import annotations

import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from digest.errors import DigestError, Problem

SUFFIXES = (".txt", ".html", ".htm")
MAX_BYTES = 5 * 1024 * 1024  # a saved news page is well under this; anything bigger is a mistake
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<\?xml|<meta|<!--)", re.IGNORECASE)


@dataclass(frozen=True)
class Input:
    """One raw article: its name in messages and its text."""

    name: str
    text: str
    is_html: bool
    raw: bytes = b""  # the bytes of a saved page: trafilatura reads its declared charset


def collect(paths: list[str]) -> list[tuple[str, Path | None]]:
    """(display name, file) for every input; folders give their .txt/.html files, "-" stdin."""
    found: list[tuple[str, Path | None]] = []
    for arg in paths:
        if arg == "-":
            found.append(("<stdin>", None))
            continue
        path = Path(arg)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
                           and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts))
            if not files:
                raise DigestError(Problem(arg, 0, "folder holds no .txt or .html files"))
            found.extend((str(p), p) for p in files)
        elif path.is_file():
            found.append((arg, path))
        else:
            raise DigestError(Problem(arg, 0, "no such file or folder"))
    return found


def read(name: str, path: Path | None) -> Input:
    """Read one input as text; DigestError with a one-line reason when it cannot be."""
    try:
        if path is not None and not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block every read
            raise DigestError(Problem(name, 0, "is not a regular file"))
        raw = sys.stdin.buffer.read() if path is None else path.read_bytes()
    except FileNotFoundError:
        raise DigestError(Problem(name, 0, "no such file")) from None
    except OSError as exc:
        raise DigestError(Problem(name, 0, f"cannot be read: {exc.strerror or exc}")) from None
    return decode(name, raw, saved_page=path is not None and path.suffix.lower() in (".html", ".htm"))


def decode(name: str, raw: bytes, *, saved_page: bool = False) -> Input:
    """An input from its bytes (a file's, standard input's, or an upload to the preview's paste
    page), with the same limits; `saved_page` when its name says HTML."""
    if len(raw) > MAX_BYTES:
        raise DigestError(Problem(name, 0, f"is {len(raw) / 1048576:.1f} MB; inputs are limited to "
                                           f"{MAX_BYTES // 1048576} MB"))
    if b"\x00" in raw:
        raise DigestError(Problem(name, 0, "is a binary file, not text or HTML"))
    is_html = saved_page or bool(_HTML_START.match(raw[:200]))
    if not raw.strip():
        raise DigestError(Problem(name, 0, "is empty"))
    if is_html:
        return Input(name, "", True, raw)
    try:
        return Input(name, raw.decode("utf-8-sig"), False)
    except UnicodeDecodeError:
        raise DigestError(Problem(name, 0, "is not UTF-8 text; save it as UTF-8")) from None
