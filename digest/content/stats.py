"""Coverage figures for editors: entries per province x stage, empty provinces, open reviews."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from digest.content.entry import Entry, missing_fields
from digest.reference.refdata import Province, RefData


@dataclass
class Coverage:
    counts: Counter[tuple[str, str]]  # (province slug, stage slug) -> entries
    rows: list[Province]  # provinces with entries, in code order
    empty: list[Province]  # provinces with none
    total: int  # entries in the table
    drafts: int
    waiting_review: int

    def row_total(self, province: Province) -> int:
        return sum(n for (p, _), n in self.counts.items() if p == province.slug)

    def column_total(self, stage: str) -> int:
        return sum(n for (_, s), n in self.counts.items() if s == stage)


def coverage(entries: list[Entry], ref: RefData) -> Coverage:
    """The table counts entries with a province and a stage; an incomplete draft, which lacks
    them, counts only among the drafts."""
    placed = [e for e in entries if not missing_fields(e)]
    counts = Counter((e.province, e.stage) for e in placed)
    present = {p for p, _ in counts}
    return Coverage(
        counts=counts,
        rows=[p for p in ref.provinces if p.slug in present],
        empty=[p for p in ref.provinces if p.slug not in present],
        total=len(placed),
        drafts=sum(e.draft for e in entries),
        waiting_review=sum(bool(e.review) for e in entries),
    )
