"""Editorial checks beyond the schema: what still waits for review, incomplete drafts, dates
outside their stage's official window, and entries that report the same event twice. These are
warnings: they never fail a build, but `digest check` shows them so an editor can act; with
`--strict` (for what gets published) open reviews, missing sources and drafts are errors.

Check also converts every body as the build does, within the same bounds, so that what check
passes, build builds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from digest.content.entry import Entry, missing_fields
from digest.content.frontmatter import Document, split
from digest.content.loader import SourceFile, check_collisions, find_files, load_file
from digest.errors import DigestError, Problem
from digest.reference.refdata import RefData
from digest.site.markup import BodyError, body_problem, render_markdown

SKETCH = 24  # bottom-k MinHash sketch size: cheap to index, good enough to find candidates
SHINGLE = 5  # words per shingle
NEAR_DUPLICATE = 0.6  # Jaccard similarity of shingles above which two bodies tell the same story
NAMED_IN_GROUP = 3  # files a same-event warning names before "and N more"


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


def _warn(entry: Entry, key: str, message: str, severity: str = "warning") -> Problem:
    """A problem placed at `key` in the entry's file (re-read only for the few files warned about)."""
    try:
        yaml_text = split(entry.path, Path(entry.path).read_text(encoding="utf-8"))[0]
        line, col = Document(entry.path, {}, yaml_text=yaml_text).position(key)  # composed, not loaded again
    except (OSError, UnicodeDecodeError, DigestError):  # changed since it was loaded: point at its top
        line, col = 1, 1
    return Problem(entry.path, line, message, col=col, severity=severity)


def _severity(strict: bool) -> str:
    """What --strict makes an error, for what gets published, is otherwise a warning."""
    return "error" if strict else "warning"


def review_warnings(entry: Entry, strict: bool = False) -> list[Problem]:
    if not entry.review:
        return []
    return [_warn(entry, "review", f"waiting for review: {', '.join(entry.review)}", _severity(strict))]


def draft_warnings(entry: Entry, strict: bool = False) -> list[Problem]:
    """A draft, and what an incomplete one still lacks (the build leaves both out)."""
    if not entry.draft:
        return []
    missing = missing_fields(entry)
    if missing:
        message = f"incomplete draft: {', '.join(missing)} still empty; it stays off the site until filled in"
    elif strict:
        message = "is a draft (draft: true): finish it and remove 'draft', or move it out of what is published"
    else:
        return []
    return [_warn(entry, "draft", message, _severity(strict))]


def source_problems(entry: Entry) -> list[Problem]:
    """What --strict demands of a published entry: where its facts come from."""
    return [_warn(entry, f"source.{key}", f"source.{key} is missing: every published entry names its source",
                  "error") for key, value in (("url", entry.source_url), ("outlet", entry.source_outlet)) if not value]


def body_problems(entry: Entry) -> list[Problem]:
    """The body converted as the build converts it, so a body the build would refuse fails here."""
    try:
        render_markdown(entry.body)
    except BodyError as exc:
        return [body_problem(entry, exc)]
    return []


def _span(ref: RefData, stage: str, election: str, news: tuple[dt.date, dt.date]) -> str:
    """The official window, and the wider span its news runs when that differs."""
    official = ref.stage_window(stage, election) or news
    text = f"{election} {official[0].isoformat()} – {official[1].isoformat()}"
    if news != official:
        text += f", its news {news[0].isoformat()} – {news[1].isoformat()}"
    return text


def window_warnings(entry: Entry, ref: RefData) -> list[Problem]:
    """A date outside the days its stage's news covers (stages.yaml), for every election it belongs to."""
    if missing_fields(entry):
        return []
    windows = [(e, w) for e in entry.elections if (w := ref.news_window(entry.stage, e))]
    if not windows or any(w[0] <= entry.date <= w[1] for _, w in windows):
        return []
    spans = "; ".join(_span(ref, entry.stage, e, news) for e, news in windows)
    return [_warn(entry, "date", f"date {entry.date.isoformat()} is outside the '{entry.stage}' window ({spans})")]


def word_shingles(entry: Entry) -> frozenset[tuple[str, ...]]:
    """The entry's title and body as 5-word shingles, which near-duplicates mostly share (a
    shorter text is one shingle). Kept as words: comparing two entries needs no hashing."""
    words = re.findall(r"\w+", (entry.title + " " + entry.body).lower())
    if len(words) <= SHINGLE:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(zip(*(words[k:] for k in range(SHINGLE)), strict=False))


def shingles(entry: Entry) -> frozenset[int]:
    """The shingles hashed to stable numbers, whose smallest make the MinHash sketch."""
    return frozenset(int.from_bytes(hashlib.blake2b(" ".join(shingle).encode(), digest_size=8).digest(), "big")
                     for shingle in word_shingles(entry))


def _sketch(entry: Entry) -> tuple[frozenset[int], tuple[int, ...]]:
    found = shingles(entry)
    return found, tuple(sorted(found)[:SKETCH])


def _event_key(e: Entry) -> tuple | None:
    """Two entries with one key report one event: the same date, place and agencies."""
    if not e.agencies or missing_fields(e):
        return None
    return (e.date, e.province, e.regency, frozenset(a.lower() for a in e.agencies))


def _similarity(a: frozenset[Hashable], b: frozenset[Hashable]) -> float:
    """Jaccard similarity, the union counted rather than built."""
    if not (a or b):
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def same_event(a: Entry, b: Entry, shingles_of: Callable[[Entry], frozenset[Hashable]] = word_shingles) -> bool:
    """Whether two entries report one event, as duplicate_warnings judges a pair (`shingles_of`
    lets a caller that compares many pairs keep each entry's shingles). Every article page asks
    this of its neighbours: two texts of very different lengths are told apart by their sizes
    alone (the shared shingles are at most the smaller set, the union at least the larger)."""
    key = _event_key(a)
    if key is not None and key == _event_key(b):
        return True
    ours, theirs = shingles_of(a), shingles_of(b)
    small, large = sorted((len(ours), len(theirs)))
    return bool(large) and small / large >= NEAR_DUPLICATE and _similarity(ours, theirs) >= NEAR_DUPLICATE


def duplicate_warnings(entries: list[Entry]) -> list[Problem]:
    """Entries that report one event more than once: near-identical text, or the same date,
    place and agencies. One warning per group of such entries, however large the group: 2,000
    copies of one story are one problem, not two million."""
    groups = _Groups()
    by_event: dict[tuple, list[Entry]] = defaultdict(list)
    for e in entries:
        if (key := _event_key(e)) is not None:
            by_event[key].append(e)
    for group in by_event.values():
        paths = sorted(e.path for e in group)
        for other in paths[1:]:
            groups.join(paths[0], other, "same date, place and agencies")
    sketches = {e.path: _sketch(e) for e in entries}
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
        if n >= SKETCH // 4 and not groups.together(a, b):
            similarity = _similarity(sketches[a][0], sketches[b][0])
            if similarity >= NEAR_DUPLICATE:
                groups.join(a, b, f"near-identical text, {similarity:.0%} shared")
    return [_group_warning(members, reasons) for members, reasons in groups.all()]


def _group_warning(members: list[str], reasons: list[str]) -> Problem:
    """Placed on the group's last file, naming the others (for a pair: the first file)."""
    *others, last = members
    named = ", ".join(others[:NAMED_IN_GROUP])
    if len(others) > NAMED_IN_GROUP:
        named += f" and {len(others) - NAMED_IN_GROUP:,} more"
    return Problem(last, 1, f"may report the same event as {named}: {'; '.join(reasons)}", col=1, severity="warning")


class _Groups:
    """Files joined into groups (union-find), with why they were joined: the group's reasons,
    each said once."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.reasons: dict[str, list[str]] = defaultdict(list)  # by join order, under the first file

    def find(self, path: str) -> str:
        root = self.parent.setdefault(path, path)
        while root != self.parent[root]:
            root = self.parent[root]
        while path != root:  # path compression keeps a group of thousands flat
            path, self.parent[path] = self.parent[path], root
        return root

    def together(self, a: str, b: str) -> bool:
        return a in self.parent and b in self.parent and self.find(a) == self.find(b)

    def join(self, a: str, b: str, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.reasons[ra] += self.reasons.pop(rb, [])
        kind = reason.split(",", maxsplit=1)[0]  # "near-identical text, 78% shared" is said once, with its first figure
        if all(r.split(",")[0] != kind for r in self.reasons[ra]):
            self.reasons[ra].append(reason)

    def all(self) -> list[tuple[list[str], list[str]]]:
        """(sorted member paths, reasons) of every group, in path order."""
        members: dict[str, list[str]] = defaultdict(list)
        for path in self.parent:
            members[self.find(path)].append(path)
        return sorted((sorted(paths), self.reasons[root]) for root, paths in members.items())


def _sources(paths: list[Path], problems: list[Problem]) -> list[tuple[SourceFile, Path]]:
    """Files to check with the folder each must stay inside (for symlink checks); folders that
    cannot be read go to `problems`."""
    out = []
    for path in paths:
        if path.is_dir():
            try:
                out += [(src, path) for src in find_files(path)]
            except DigestError as exc:
                problems += exc.problems
        else:
            out.append((SourceFile(str(path), path), path.parent))
    return out


def check(paths: list[Path], ref: RefData, strict: bool = False) -> CheckResult:
    """Validate files without building: schema errors, bodies the build could not convert,
    collisions, and editorial warnings (`strict`: errors where publishing needs them)."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    sources = _sources(paths, problems)
    for src, root in sources:
        if not os.path.lexists(src.path):
            problems.append(Problem(src.display, 1, "file not found"))
            continue
        loaded = load_file(src, root.resolve(), ref)
        problems += loaded.problems
        if (entry := loaded.entry) is not None:
            entries.append(entry)
            problems += body_problems(entry) + review_warnings(entry, strict) + draft_warnings(entry, strict)
            problems += window_warnings(entry, ref) + (source_problems(entry) if strict else [])
    problems += check_collisions(entries)
    problems += duplicate_warnings(entries)
    return CheckResult(len(sources), sorted(problems))
