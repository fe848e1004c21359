"""Editorial checks beyond the schema: what still waits for review, dates outside their stage's
official window, and entries that report the same event twice. These are warnings: they never
fail a build, but `digest check` shows them so an editor can act.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from digest.entry import Entry
from digest.errors import DigestError, Problem
from digest.frontmatter import parse
from digest.loader import SourceFile, check_collisions, find_files, load_entry
from digest.refdata import RefData

SKETCH = 24  # bottom-k MinHash sketch size: cheap to index, good enough to find candidates
SHINGLE = 5  # words per shingle
NEAR_DUPLICATE = 0.6  # Jaccard similarity of shingles above which two bodies tell the same story


@dataclass
class CheckResult:
    files: int
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


def _warn(entry: Entry, key: str, message: str) -> Problem:
    """A warning placed at `key` in the entry's file (re-read only for the few files warned about)."""
    try:
        line, col = parse(entry.path, Path(entry.path).read_text(encoding="utf-8")).position(key)
    except (OSError, UnicodeDecodeError, DigestError):  # changed since it was loaded: point at its top
        line, col = 1, 1
    return Problem(entry.path, line, message, col=col, severity="warning")


def review_warnings(entry: Entry) -> list[Problem]:
    if not entry.review:
        return []
    return [_warn(entry, "review", f"waiting for review: {', '.join(entry.review)}")]


def window_warnings(entry: Entry, ref: RefData) -> list[Problem]:
    """A date outside the official window of its stage, for every election it belongs to."""
    windows = [(e, w) for e in entry.elections if (w := ref.stage_window(entry.stage, e))]
    if not windows or any(w[0] <= entry.date <= w[1] for _, w in windows):
        return []
    spans = "; ".join(f"{e} {w[0].isoformat()} – {w[1].isoformat()}" for e, w in windows)
    return [_warn(entry, "date", f"date {entry.date.isoformat()} is outside the '{entry.stage}' window ({spans})")]


def _sketch(text: str) -> tuple[frozenset[int], tuple[int, ...]]:
    words = re.findall(r"\w+", text.lower())
    shingles = frozenset(
        int.from_bytes(hashlib.blake2b(" ".join(words[i:i + SHINGLE]).encode(), digest_size=8).digest(), "big")
        for i in range(max(1, len(words) - SHINGLE + 1))
    ) if words else frozenset()
    return shingles, tuple(sorted(shingles)[:SKETCH])


def duplicate_warnings(entries: list[Entry]) -> list[Problem]:
    """Pairs that report one event twice: near-identical text, or same date, place and agencies."""
    pairs: dict[tuple[str, str], str] = {}
    by_event: dict[tuple, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.agencies:
            by_event[(e.date, e.province, e.regency, frozenset(a.lower() for a in e.agencies))].append(e)
    for group in by_event.values():
        for a, b in combinations(sorted(group, key=lambda e: e.path), 2):
            pairs[(a.path, b.path)] = "same date, place and agencies"
    sketches = {e.path: _sketch(e.title + " " + e.body) for e in entries}
    index: dict[int, list[str]] = defaultdict(list)
    for path, (_, sketch) in sketches.items():
        for h in sketch:
            index[h].append(path)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for paths in index.values():
        if len(paths) <= 50:  # a shingle in very many entries is stock phrasing, not evidence
            for a, b in combinations(sorted(paths), 2):
                shared[(a, b)] += 1
    for (a, b), n in shared.items():
        if n >= SKETCH // 4 and (a, b) not in pairs:
            sa, sb = sketches[a][0], sketches[b][0]
            similarity = len(sa & sb) / len(sa | sb)
            if similarity >= NEAR_DUPLICATE:
                pairs[(a, b)] = f"near-identical text, {similarity:.0%} shared"
    return [Problem(b, 1, f"may report the same event as {a}: {why}", col=1, severity="warning")
            for (a, b), why in sorted(pairs.items())]


def _sources(paths: list[Path]) -> list[tuple[SourceFile, Path]]:
    """Files to check with the folder each must stay inside (for symlink checks)."""
    out = []
    for path in paths:
        if path.is_dir():
            out += [(src, path) for src in find_files(path)]
        else:
            out.append((SourceFile(str(path), path), path.parent))
    return out


def check(paths: list[Path], ref: RefData) -> CheckResult:
    """Validate files without building: schema errors, collisions, and editorial warnings."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    sources = _sources(paths)
    for src, root in sources:
        if not src.path.exists():
            problems.append(Problem(src.display, 0, "file not found"))
            continue
        entry, found = load_entry(src, root, ref)
        problems += found
        if entry is not None:
            entries.append(entry)
            problems += review_warnings(entry) + window_warnings(entry, ref)
    problems += check_collisions(entries)
    problems += duplicate_warnings(entries)
    return CheckResult(len(sources), sorted(problems))
