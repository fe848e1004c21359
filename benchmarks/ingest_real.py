"""How `digest ingest` did on the real articles behind the shipped content.

For every entry the editors kept what ingest wrote before their corrections, as
`benchmarks/ingest_real/<entry id>.yaml` (front matter fields only, or `refused: <message>` when
ingest made no entry). This compares each with the final `content/<entry id>.md`, field by field:
right (ingest's value is the editor's), flagged (different, but ingest listed the field in
`review`), silently wrong (different and not flagged: the outcome an editor cannot see coming).
A refused article counts apart. Values are compared after the schema has read them both, so
"Jatim" and "Jawa Timur" or "Kab. Bandung" and "Kabupaten Bandung" are the same value.

usage: python -m benchmarks.ingest_real [--kept DIR] [--content DIR] [--detail]
prints a Markdown table; --detail first lists every silently wrong field (file, ingest, editor)
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from digest.content.entry import Entry
from digest.content.frontmatter import Document, load_data
from digest.content.loader import SourceFile, load_file
from digest.content.schema import validate
from digest.errors import DigestError
from digest.reference.refdata import RefData, load

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("title", "date", "province", "regency", "election", "stage", "agencies", "officials", "figures",
          "source.url", "source.outlet")
OUTCOMES = ("right", "flagged", "silently wrong", "refused")


def _words(text: str) -> str:
    """Case, spacing and surrounding quotes or punctuation are not facts."""
    return re.sub(r"\s+", " ", text).strip(" \"'.,;:").casefold()


def facts(entry: Entry) -> dict[str, object]:
    """The compared fields of an entry, as comparable values."""
    return {
        "title": _words(entry.title),
        "date": entry.date,
        "province": entry.province,
        "regency": entry.regency,
        "election": frozenset(entry.elections),
        "stage": entry.stage,
        "agencies": frozenset(map(_words, entry.agencies)),
        "officials": frozenset((_words(o.name), _words(o.rank), _words(o.role)) for o in entry.officials),
        "figures": (entry.personnel, entry.budget_idr),
        "source.url": entry.source_url.strip(),
        "source.outlet": _words(entry.source_outlet),
    }


def flagged_fields(review: tuple[str, ...]) -> set[str]:
    """Review names as the compared fields: `figures.personnel` flags `figures`."""
    return {r if r in FIELDS else r.split(".")[0] for r in review}


@dataclass
class Kept:
    """What ingest wrote for one article: an entry, or the message it refused the article with."""

    path: Path
    entry: Entry | None
    refused: str = ""


@dataclass
class Score:
    """Outcomes per field over every kept article, and the silently wrong ones to look at."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: {f: Counter() for f in FIELDS})
    silent: list[str] = field(default_factory=list)
    articles: int = 0
    refused: int = 0

    def add(self, kept: Kept, final: Entry) -> None:
        self.articles += 1
        if kept.entry is None:
            self.refused += 1
            for name in FIELDS:
                self.counts[name]["refused"] += 1
            return
        got, want = facts(kept.entry), facts(final)
        flagged = flagged_fields(kept.entry.review)
        for name in FIELDS:
            if got[name] == want[name]:
                self.counts[name]["right"] += 1
            elif name in flagged:
                self.counts[name]["flagged"] += 1
            else:
                self.counts[name]["silently wrong"] += 1
                self.silent.append(f"{kept.path.name}: {name}: ingest {_show(got[name])}, editor {_show(want[name])}")

    def table(self) -> str:
        lines = [f"| field ({self.articles} articles) | " + " | ".join(OUTCOMES) + " |",
                 "| --- |" + " ---: |" * len(OUTCOMES)]
        lines += [f"| {name} | " + " | ".join(str(self.counts[name][o]) for o in OUTCOMES) + " |" for name in FIELDS]
        return "\n".join(lines)


def _show(value: object) -> str:
    """A value as the detail lines print it: sets sorted, so two runs print the same lines."""
    if isinstance(value, frozenset):
        return repr(sorted(value, key=str))
    return repr(value)


def read_kept(path: Path, ref: RefData) -> Kept:
    """A kept file as an Entry (read by the schema, like any content file), or its refusal."""
    text = path.read_text(encoding="utf-8")
    meta = load_data(str(path), text, first_line=1)
    if not isinstance(meta, dict):
        raise DigestError(f"{path}:1: must be a mapping of front matter fields or 'refused: <message>'")
    if "refused" in meta:
        return Kept(path, None, str(meta["refused"]))
    entry, problems = validate(Document(str(path), meta, yaml_text=text, yaml_line=1), ref)
    if entry is None:
        raise DigestError(problems)
    return Kept(path, entry)


def read_final(path: Path, ref: RefData) -> Entry:
    """The editor's entry, read exactly as `digest build` reads it."""
    loaded = load_file(SourceFile(str(path), path), None, ref)
    if loaded.entry is None:
        raise DigestError(loaded.problems)
    return loaded.entry


def score(kept_dir: Path, content_dir: Path) -> tuple[Score, list[str]]:
    """The score over every kept file, and the kept files that have no entry of that id."""
    ref = load()
    result, orphans = Score(), []
    for path in sorted(kept_dir.glob("*.yaml")):
        final = content_dir / f"{path.stem}.md"
        if not final.exists():
            orphans.append(f"{path}: no entry {final} to compare with")
            continue
        result.add(read_kept(path, ref), read_final(final, ref))
    return result, orphans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kept", type=Path, default=ROOT / "benchmarks" / "ingest_real",
                        help="folder of what ingest wrote, one <entry id>.yaml per article")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the final entries")
    parser.add_argument("--detail", action="store_true", help="list every silently wrong field first")
    args = parser.parse_args(argv)
    try:
        result, orphans = score(args.kept, args.content)
    except DigestError as err:
        print(err, file=sys.stderr)
        return 1
    for line in orphans:
        print(line, file=sys.stderr)
    if args.detail:
        print("\n".join(result.silent) + "\n")
    print(result.table())
    print(f"\nrefused: {result.refused} of {result.articles} articles")
    return 1 if orphans else 0


if __name__ == "__main__":
    sys.exit(main())
