"""Files -> validated entries. Reads every content file, reports every problem in one pass."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from digest.content.entry import Entry
from digest.content.frontmatter import parse
from digest.content.schema import validate
from digest.errors import DigestError, Problem
from digest.reference.refdata import RefData

MAX_FILE_BYTES = 2 * 1024 * 1024  # a news entry is a few KB; anything this big is a mistake


@dataclass(frozen=True)
class SourceFile:
    """A content file found on disk: where to show it in messages and where to read it."""

    display: str
    path: Path


def walk(content_dir: Path) -> list[os.DirEntry]:
    """All `*.md` under content_dir, in the order os.walk with sorted names gives (a folder's
    files, then its sub-folders), skipping hidden and `_` names and symlinked folders.

    A folder that cannot be listed is an error naming it: its entries would vanish silently."""
    if not content_dir.is_dir():
        raise DigestError(Problem(str(content_dir), 0, "content folder not found"))
    found: list[os.DirEntry] = []
    unreadable: list[Problem] = []
    _walk(str(content_dir), found, unreadable)
    if unreadable:
        raise DigestError(unreadable)
    return found


_NAME = attrgetter("name")


def _walk(folder: str, found: list[os.DirEntry], unreadable: list[Problem]) -> None:
    try:
        with os.scandir(folder) as it:
            listing = sorted(it, key=_NAME)
    except OSError as exc:
        shown = folder[2:] if folder.startswith("./") else folder
        unreadable.append(Problem(shown, 1, f"folder cannot be read ({exc.strerror or exc}): its entries would be "
                                            "left out; fix its permissions or move it out of the content folder"))
        return
    subfolders = []
    for item in listing:
        if item.name.startswith((".", "_")):
            continue
        try:
            is_dir = item.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not item.is_symlink():
                subfolders.append(item.path)
        elif item.name.endswith(".md"):
            found.append(item)
    for sub in subfolders:
        _walk(sub, found, unreadable)


def display_path(item: os.DirEntry) -> str:
    """How messages name a walked file: as pathlib would print it ("./x.md" is "x.md")."""
    return item.path[2:] if item.path.startswith("./") else item.path


def source_file(item: os.DirEntry) -> SourceFile:
    return SourceFile(display_path(item), Path(item.path))


def find_files(content_dir: Path) -> list[SourceFile]:
    """All `*.md` under content_dir in a stable order, skipping hidden files and folders."""
    return [source_file(item) for item in walk(content_dir)]


def read_bytes(src: SourceFile, real_root: Path | None) -> bytes:
    """The raw file, refusing files that lead outside the content folder, are too big, or are no
    regular file: a FIFO or device is refused from its stat, never opened (opening a FIFO blocks).

    `real_root` is the resolved content folder; None when the caller found the file by walking
    that folder without following symlinks, so it cannot lead outside.
    """
    real = src.path
    if real_root is not None:
        try:
            real = src.path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: Python 3.11's word for a symlink loop
            loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
            raise DigestError(Problem(src.display, 1, "is a symlink loop" if loop else
                                      "is a symlink to nothing (its target is missing)")) from None
        if not real.is_relative_to(real_root):
            raise DigestError(Problem(src.display, 1, "links to a file outside the content folder; refused"))
    _check_regular(src, os.stat(real))
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)  # never blocks, should a FIFO take the file's place
    with open(fd, "rb") as f:
        info = os.fstat(fd)
        _check_regular(src, info)  # the same file still: not swapped for a FIFO meanwhile
        # Sized by the file: a buffer of the limit, shrunk, stays a memory mapping of its own
        # (glibc), and a build keeping 100,000 of them exceeds the kernel's vm.max_map_count.
        data = f.read(min(info.st_size, MAX_FILE_BYTES) + 1)
        if len(data) > info.st_size:  # grew since its stat
            data += f.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:  # grew since its stat
        raise DigestError(Problem(src.display, 1, f"file is over {MAX_FILE_BYTES // 1048576} MB; content files "
                                                  f"are limited to {MAX_FILE_BYTES // 1048576} MB"))
    return data


def _check_regular(src: SourceFile, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else \
            "a folder" if stat.S_ISDIR(info.st_mode) else "a device"
        raise DigestError(Problem(src.display, 1, f"is {kind}, not a regular file; refused without reading it"))
    if info.st_size > MAX_FILE_BYTES:
        raise DigestError(Problem(src.display, 1, f"file is {info.st_size / 1048576:.1f} MB; content files are "
                                                  f"limited to {MAX_FILE_BYTES // 1048576} MB"))


def decode(src: SourceFile, data: bytes) -> str:
    """Content bytes as text, refusing what is not UTF-8 text."""
    if b"\x00" in data:
        raise DigestError(Problem(src.display, 1, "is a binary file, not Markdown text"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DigestError(Problem(src.display, line, "is not valid UTF-8 text; save the file as UTF-8")) from None


@dataclass(frozen=True)
class Loaded:
    """One content file as read: its front matter when it parses (an invalid entry still reserves
    its id and source.url), its entry when valid, and every problem found."""

    src: SourceFile
    meta: dict[str, Any] | None
    entry: Entry | None
    problems: list[Problem]


def _from_bytes(src: SourceFile, data: bytes, ref: RefData) -> Loaded:
    try:
        doc = parse(src.display, decode(src, data))
    except DigestError as exc:
        return Loaded(src, None, None, exc.problems)
    entry, problems = validate(doc, ref)
    return Loaded(src, doc.meta, entry, problems)


def parse_entry(src: SourceFile, data: bytes, ref: RefData) -> tuple[Entry | None, list[Problem]]:
    """File bytes -> (entry, problems), for a caller that read the bytes itself (the build's
    entry store); never raises for bad content."""
    loaded = _from_bytes(src, data, ref)
    return loaded.entry, loaded.problems


def load_file(src: SourceFile, real_root: Path | None, ref: RefData) -> Loaded:
    """One file, read as the build reads it (see read_bytes for `real_root`); never raises for bad
    content."""
    data, problems = read_source(src, real_root)
    return _from_bytes(src, data, ref) if data is not None else Loaded(src, None, None, problems)


def load_folder(content_dir: Path, ref: RefData) -> list[Loaded]:
    """Every file under content_dir in walk order: what build, stats and ingest's duplicate check
    read. A folder that cannot be listed raises DigestError (see walk)."""
    real_root = content_dir.resolve()
    return [load_file(source_file(item), real_root if item.is_symlink() else None, ref)
            for item in walk(content_dir)]


def read_source(src: SourceFile, real_root: Path | None) -> tuple[bytes | None, list[Problem]]:
    """(bytes, []) or (None, the problems that keep the file from being read)."""
    try:
        return read_bytes(src, real_root), []
    except DigestError as exc:
        return None, exc.problems
    except OSError as exc:
        return None, [Problem(src.display, 1, f"cannot be read: {exc.strerror or exc}")]


def check_collisions(entries: list[Entry]) -> list[Problem]:
    """Two files with one id would overwrite each other's page; one URL twice is one story twice."""
    problems = []
    by_id: dict[str, Entry] = {}
    by_url: dict[str, Entry] = {}
    for e in entries:
        if e.id in by_id:
            problems.append(Problem(e.path, 1, f"id '{e.id}' is already used by {by_id[e.id].path}"))
        by_id.setdefault(e.id, e)
        if e.source_url:
            if e.source_url in by_url:
                problems.append(Problem(e.path, 1, f"source.url is the same as in {by_url[e.source_url].path}"))
            by_url.setdefault(e.source_url, e)
    return problems


def load_all(content_dir: Path, ref: RefData) -> list[Entry]:
    """Every entry under content_dir, or DigestError listing every problem found."""
    loaded = load_folder(content_dir, ref)
    entries = [file.entry for file in loaded if file.entry is not None]
    problems = [p for file in loaded for p in file.problems] + check_collisions(entries)
    if problems:
        raise DigestError(problems)
    return entries
