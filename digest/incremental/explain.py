"""Why a build did what it did, for `digest build --verbose`: what was parsed, rendered and written
again, and which change caused it.

The build gathers the facts (what changed since the recorded build, which outputs it rendered);
this module turns them into an `Explanation`, plain data the command prints. Explaining never
changes what is built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MAX_CAUSES = 12  # a big change is summed up, not listed entry by entry


@dataclass(frozen=True)
class Explanation:
    reason: str  # why the build ran: "no cache: cold build", "inputs changed", ...
    parsed: int  # entries parsed from their files
    reused: int  # entries recalled from the cache
    pages: tuple[int, int]  # (rendered, reused from the live site)
    feeds: tuple[int, int]  # feed files (RSS and Atom): (rendered, reused)
    causes: tuple[str, ...] = ()  # "entry x changed: 14 pages re-rendered", "template entry.html changed: ..."
    written: int = 0  # files whose bytes differ from the previous site (new ones included)
    removed: int = 0  # files of the previous site the new one no longer has


@dataclass(frozen=True)
class Changes:
    """What differs from the recorded build."""

    config: bool  # digest.yaml, command-line options or build options
    templates: frozenset[str]  # template files (relative paths) added, edited or removed
    entries: dict[str, str]  # entry id -> "changed", "added" or "removed"


def compare(*, config: bytes, old_config: bytes, templates: dict[str, bytes], old_templates: dict[str, bytes],
            entries: dict[str, bytes], old_entries: dict[str, bytes]) -> Changes:
    """Changes between this build's inputs and the recorded ones (digests by name)."""
    edited = {rel for rel in templates.keys() | old_templates.keys()
              if templates.get(rel) != old_templates.get(rel)}
    changed = {i: "changed" if i in old_entries else "added" for i, d in entries.items()
               if old_entries.get(i) != d}
    changed.update((i, "removed") for i in old_entries.keys() - entries.keys())
    return Changes(config != old_config, frozenset(edited), changed)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _outputs(kinds: Counter[str]) -> str:
    return ", ".join(_plural(kinds[kind], kind) for kind in ("page", "feed") if kinds[kind])


def summary(changes: Changes) -> str:
    """One line: what changed since the recorded build."""
    counts = Counter(changes.entries.values())
    parts = [f"{_plural(counts[how], 'entry')} {how}".replace("entrys", "entries")
             for how in ("changed", "added", "removed") if counts[how]]
    if changes.templates:
        kind = "template" if len(changes.templates) == 1 else "templates"
        parts.append(f"{kind} {', '.join(sorted(changes.templates))}")
    if changes.config:
        parts.append("config")
    return "changed since the last build: " + ("; ".join(parts) or "only where files lie")


def causes(changes: Changes, rendered: Iterable[tuple[str, int, str | None, Iterable[Any], bool]],
           reads: Callable[[str], set[str]]) -> tuple[str, ...]:
    """One line per cause, for the outputs rendered again: (kind "page"/"feed", files made,
    template or None, the entry views shown, whether the output is new). Each output is put down to the first
    that applies: an edited entry it shows, an edited template it uses (`reads(template)`: the
    templates it reads), the configuration, being new, else a listing that moved."""
    by_cause: dict[str, Counter[str]] = {}
    for kind, files, template, shown, new in rendered:
        entry = next((v.entry.id for v in shown if v.entry.id in changes.entries), None)
        used = sorted(changes.templates & reads(template)) if template else []
        if entry is not None:
            cause = f"entry {entry} {changes.entries[entry]}"
        elif used:
            cause = f"template {', '.join(used)} changed"
        elif changes.config:
            cause = "config changed"
        else:
            cause = "new outputs" if new else "listings moved"
        by_cause.setdefault(cause, Counter())[kind] += files
    lines = [f"{cause}: {_outputs(kinds)} re-rendered" for cause, kinds in by_cause.items()
             if cause.startswith("entry ")]
    lines += [f"entry {i} removed" for i, how in changes.entries.items() if how == "removed"]
    if len(lines) > MAX_CAUSES:
        lines = lines[:MAX_CAUSES - 1] + [f"... and {len(lines) - MAX_CAUSES + 1} more entries"]
    lines += [f"{cause}: {_outputs(kinds)} re-rendered" for cause, kinds in sorted(by_cause.items())
              if not cause.startswith("entry ")]
    if changes.config and "config changed" not in by_cause:
        lines.append("config changed: no output it shows")
    return tuple(lines)
