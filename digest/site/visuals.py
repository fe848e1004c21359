"""Geometry for the two pictures readers get: the province tile map and the stage timeline.

Only numbers and labels come out of here; templates turn them into inline SVG, so the site
needs no JavaScript and no image files to show them.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

import yaml

from digest.reference.refdata import DATA_DIR, Province, RefData, Stage

TILE = 48  # px per map square, gap included
MIN_BAR = 6.0  # px: a stage of a few days stays visible and tappable
GAP = 4
SHADES = 5  # t0 (none) .. t4 (most): CSS classes with readable text on each


@dataclass(frozen=True)
class Tile:
    province: Province
    count: int
    x: int
    y: int
    size: int
    shade: int
    label: str  # the short name news uses, fits the square


@dataclass(frozen=True)
class TileMap:
    tiles: tuple[Tile, ...]
    width: int
    height: int


@functools.cache
def _layout() -> dict[str, tuple[int, int, str]]:
    """Province slug -> (column, row, label), from data/tilemap.yaml."""
    with open(DATA_DIR / "tilemap.yaml", encoding="utf-8") as f:
        return {slug: (*spot["at"], spot["label"]) for slug, spot in yaml.safe_load(f).items()}


def shade(count: int, most: int) -> int:
    """0 for none, else 1..SHADES-1 by the square root of the share of the busiest province, so
    one province with most of the news does not leave all the others the same pale shade."""
    return 0 if count == 0 else max(1, math.ceil((SHADES - 1) * math.sqrt(count / max(most, 1))))


def tile_map(counts: list[tuple[Province, int]]) -> TileMap:
    """One square per province at its place in data/tilemap.yaml, shaded by its count."""
    layout = _layout()
    most = max((n for _, n in counts), default=0)
    tiles = tuple(Tile(p, n, layout[p.slug][0] * TILE, layout[p.slug][1] * TILE, TILE - GAP, shade(n, most),
                       layout[p.slug][2]) for p, n in counts)
    cols = max(c for c, _, _ in layout.values()) + 1
    rows = max(r for _, r, _ in layout.values()) + 1
    return TileMap(tiles, cols * TILE, rows * TILE)


@dataclass(frozen=True)
class Bar:
    stage: Stage
    x: float
    width: float
    start: dt.date
    end: dt.date
    count: int


@dataclass(frozen=True)
class Lane:
    election: str
    label: str
    y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    counts: dict[str, int] | None  # entries per stage slug; None on the article-page timeline


@dataclass(frozen=True)
class Marker:
    """Where one entry's date falls on the timeline."""

    x: float
    day: dt.date


LANE = 38
AXIS = 24
WIDTH = 720


@dataclass(frozen=True)
class _Axis:
    first: dt.date
    span: int

    def x(self, day: dt.date) -> float:
        return round(WIDTH * (day - self.first).days / self.span, 1)


@functools.cache
def _axis(ref: RefData) -> _Axis:
    """The time axis of both elections' calendars, from the month the first one starts (one per
    reference data: every article page places its marker on it)."""
    spans = [ref.election_span(e) for e in ref.elections]
    first = min(start for start, _ in spans).replace(day=1)
    return _Axis(first, (max(end for _, end in spans) - first).days or 1)


def timeline(ref: RefData, counts: dict[str, int] | None = None) -> Timeline:
    """Both elections' official stage windows on one time axis; with entry counts per stage
    when `counts` is given."""
    axis = _axis(ref)
    shown = counts or {}
    last = axis.first + dt.timedelta(days=axis.span)
    lanes = tuple(
        Lane(e.slug, e.label, AXIS + i * LANE, tuple(
            Bar(s, axis.x(w[0]), max(axis.x(w[1] + dt.timedelta(days=1)) - axis.x(w[0]), MIN_BAR),
                w[0], w[1], shown.get(s.slug, 0))
            for s in ref.stages.values() if (w := s.windows.get(e.slug))))
        for i, e in enumerate(ref.elections.values()))
    ticks = tuple(Tick(axis.x(dt.date(y, m, 1)), f"{ref.calendar['months_short'][m - 1]} {y}")
                  for y in range(axis.first.year, last.year + 1) for m in (1, 7)
                  if axis.first <= dt.date(y, m, 1) <= last)
    full = None if counts is None else {s: counts.get(s, 0) for s in ref.stages}
    return Timeline(WIDTH, AXIS + len(lanes) * LANE + 8, lanes, ticks, full)


def marker(ref: RefData, day: dt.date) -> Marker | None:
    """The entry's place on the timeline, or None when its date lies outside every window."""
    axis = _axis(ref)
    inside = axis.first <= day <= axis.first + dt.timedelta(days=axis.span)
    return Marker(axis.x(day), day) if inside else None
