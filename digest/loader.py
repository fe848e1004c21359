"""Files -> validated entries. Reads every content file, reports every problem in one pass."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from digest.entry import Entry
from digest.errors import DigestError, Problem
from digest.frontmatter import parse
from digest.refdata import RefData
from digest.schema import validate

MAX_FILE_BYTES = 2 * 1024 * 1024  # a news entry is a few KB; anything this big is a mistake


@dataclass(frozen=True)
class SourceFile:
    """A content file found on disk: where to show it in messages and where to read it."""

    display: str
    path: Path


def find_files(content_dir: Path) -> list[SourceFile]:
    """All `*.md` under content_dir in a stable order, skipping hidden files and folders."""
    if not content_dir.is_dir():
        raise DigestError(Problem(str(content_dir), 0, "content folder not found"))
    found = []
    for root, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith((".", "_")):
                path = Path(root) / name
                found.append(SourceFile(str(path), path))
    return found


def read_text(src: SourceFile, root: Path) -> str:
    """Read a content file as UTF-8, refusing files that lead outside `root` or are not text."""
    real = src.path.resolve()
    if not real.is_relative_to(root.resolve()):
        raise DigestError(Problem(src.display, 0, "links to a file outside the content folder; refused"))
    size = real.stat().st_size
    if size > MAX_FILE_BYTES:
        raise DigestError(Problem(src.display, 0, f"file is {size / 1048576:.1f} MB; content files are "
                                                  f"limited to {MAX_FILE_BYTES // 1048576} MB"))
    data = real.read_bytes()
    if b"\x00" in data:
        raise DigestError(Problem(src.display, 0, "is a binary file, not Markdown text"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DigestError(Problem(src.display, line, "is not valid UTF-8 text; save the file as UTF-8")) from None


def load_entry(src: SourceFile, root: Path, ref: RefData) -> tuple[Entry | None, list[Problem]]:
    """One file -> (entry, problems); never raises for bad content."""
    try:
        doc = parse(src.display, read_text(src, root))
    except DigestError as exc:
        return None, exc.problems
    except OSError as exc:
        return None, [Problem(src.display, 0, f"cannot be read: {exc.strerror or exc}")]
    return validate(doc, ref)


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
    problems: list[Problem] = []
    entries: list[Entry] = []
    for src in find_files(content_dir):
        entry, found = load_entry(src, content_dir, ref)
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    problems.extend(check_collisions(entries))
    if problems:
        raise DigestError(problems)
    return entries
