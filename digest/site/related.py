"""Related stories under an article: the same event first, then the same kab/kota and stage, then
the same province and week.

The site model picks the candidates (a Pool) from structure fields alone (site.model.STRUCTURE),
so which entries a page shows never depends on text. The renderer then finds the same event among
them with checks.same_event, which reads titles, bodies and agencies. Every candidate is in the
page's `shown`, so an edit of any of them renders the page again, on the quick path too, and the
choice is always made from current text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from digest.content.entry import Entry
from digest.site.checks import same_event, word_shingles

if TYPE_CHECKING:  # the model's views are only passed through here
    from digest.site.model import EntryView

WEEK = 3  # days either side of an article's date that count as its week
NEARBY = 12  # entries of the province's week looked at for the same event
SHOWN = 5  # related stories under an article


@dataclass(frozen=True)
class Pool:
    """The entries an article's related stories are chosen from, nearest in date first."""

    nearby: tuple[EntryView, ...]  # the same province, at most WEEK days away
    same_place: tuple[EntryView, ...]  # the same kab/kota and stage


def nearest(seq: list[EntryView], i: int, n: int, within: int | None = None) -> tuple[EntryView, ...]:
    """Up to n entries of `seq` (sorted by date) nearest in date to seq[i], nearest first, ties by
    id; with `within`, only those at most that many days away. Looks at most n entries each way,
    so a day with thousands of entries costs no more than any other."""
    day = seq[i].entry.date
    found = []
    for side in (range(i - 1, max(-1, i - 1 - n), -1), range(i + 1, min(len(seq), i + 1 + n))):
        for k in side:
            gap = abs((seq[k].entry.date - day).days)
            if within is not None and gap > within:
                break
            found.append((gap, seq[k].entry.id, seq[k]))
    found.sort(key=lambda near: near[:2])
    return tuple(view for _, _, view in found[:n])


class Chooser:
    """Picks related stories within one build, keeping the shingles of recently compared entries:
    neighbours in a province are compared again and again as their pages render in turn."""

    KEPT = 512  # entries whose shingles are kept (a province's busy weeks, not the whole site)

    def __init__(self) -> None:
        self._known: dict[str, frozenset[tuple[str, ...]]] = {}
        self._judged: dict[tuple[str, str], bool] = {}  # same_event of two ids, in order

    def _same_event(self, a: Entry, b: Entry) -> bool:
        """same_event, asked once per pair: it is symmetric, and two neighbours each list the other."""
        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        found = self._judged.get(pair)
        if found is None:
            if len(self._judged) >= self.KEPT * NEARBY:
                self._judged.clear()
            found = self._judged[pair] = same_event(a, b, self._of)
        return found

    def _of(self, entry: Entry) -> frozenset[tuple[str, ...]]:
        found = self._known.get(entry.id)
        if found is None:
            if len(self._known) >= self.KEPT:
                self._known.clear()
            found = self._known[entry.id] = word_shingles(entry)
        return found

    def choose(self, item: EntryView, pool: Pool) -> list[EntryView]:
        event = [v for v in pool.nearby if self._same_event(item.entry, v.entry)]
        seen = {item.entry.id}
        chosen = []
        for view in (*event, *pool.same_place, *pool.nearby):
            if view.entry.id not in seen:
                seen.add(view.entry.id)
                chosen.append(view)
        return chosen[:SHOWN]
