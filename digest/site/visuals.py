"""Geometry for the two pictures readers get: the province map and the stage timeline.

Only numbers and labels come out of here; templates turn them into HTML and inline SVG, so the
site needs no JavaScript and no image files to show them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
from dataclasses import dataclass

from digest.reference.refdata import Province, RefData, Stage, data_file

SHADES = 5  # t0 (none) .. t4 (most): CSS classes with readable text on each


@dataclass(frozen=True)
class Tile:
    province: Province
    count: int
    shade: int


@dataclass(frozen=True)
class Island:
    """One island or island group of the map, its provinces west to east."""

    name: str
    rows: int  # rows of the wide layout it spans
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class ShadeRange:
    """A legend entry: the counts that get one shade (low == high == 0 for "none")."""

    shade: int
    low: int
    high: int


@dataclass(frozen=True)
class TileMap:
    islands: tuple[Island, ...]
    legend: tuple[ShadeRange, ...]


def shade(count: int, most: int) -> int:
    """0 for none, else 1..SHADES-1 by the square root of the share of the busiest province, so
    one province with most of the news does not leave all the others the same pale shade."""
    return 0 if count == 0 else max(1, math.ceil((SHADES - 1) * math.sqrt(count / max(most, 1))))


def legend(most: int) -> tuple[ShadeRange, ...]:
    """The count range of each shade that some count up to `most` gets, lightest first; the same
    function decides, so the legend cannot disagree with the tiles."""
    ranges: dict[int, ShadeRange] = {0: ShadeRange(0, 0, 0)}
    for n in range(1, most + 1):
        level = shade(n, most)
        ranges[level] = ShadeRange(level, ranges[level].low if level in ranges else n, n)
    return tuple(ranges.values())


def tile_map(counts: list[tuple[Province, int]]) -> TileMap:
    """Every province as a tile in its island group (data/visuals.yaml), shaded by its count."""
    most = max((n for _, n in counts), default=0)
    tiles = {p.slug: Tile(p, n, shade(n, most)) for p, n in counts}
    islands = tuple(Island(i["name"], i.get("rows", 1), tuple(tiles[slug] for slug in i["provinces"]))
                    for i in data_file("visuals.yaml")["islands"])
    return TileMap(islands, legend(most))


@dataclass(frozen=True)
class Bar:
    stage: Stage
    x: float
    width: float
    start: dt.date
    end: dt.date
    count: int
    vote: bool  # voting day: drawn on top and labelled


@dataclass(frozen=True)
class Lane:
    election: str
    label: str
    y: int
    bars: tuple[Bar, ...]  # calendar order

    @property
    def drawn(self) -> tuple[Bar, ...]:
        """Painting order: voting day last, so no neighbour covers it."""
        return tuple(sorted(self.bars, key=lambda b: b.vote))


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
    dated: tuple[Stage, ...]  # stages with a window in some election: drawn, in the legend
    undated: tuple[Stage, ...]  # stages with no window of their own: named, not drawn


@dataclass(frozen=True)
class Marker:
    """Where one entry's date falls on the timeline, and the stage windows holding it."""

    x: float
    label_x: float  # "berita ini" kept inside the picture near its edges
    day: dt.date
    within: tuple[tuple[Stage, str], ...]  # (stage, election label)


LANE = 48
AXIS = 22
WIDTH = 720
MIN_BAR = 12.0  # px of the drawing: the visible part of the shortest stage stays tappable
MARKER_HALF = 30  # about half the width of "berita ini"


@dataclass(frozen=True)
class _Window:
    lane: int
    stage: Stage
    start: dt.date
    stop: dt.date  # the day after the window
    vote: bool


@dataclass(frozen=True)
class _Axis:
    """Days to x, piecewise linear: proportional to time, except that every stage window gets at
    least MIN_BAR of visible width (masa tenang lasts three days of a thousand)."""

    days: tuple[dt.date, ...]
    xs: tuple[float, ...]
    windows: tuple[_Window, ...]

    def x(self, day: dt.date) -> float:
        i = min(max(bisect.bisect_right(self.days, day) - 1, 0), len(self.days) - 2)
        a, b = self.days[i], self.days[i + 1]
        return round(self.xs[i] + (self.xs[i + 1] - self.xs[i]) * (day - a).days / (b - a).days, 1)


def _windows(ref: RefData) -> tuple[_Window, ...]:
    voting = data_file("visuals.yaml")["voting_day"]
    return tuple(_Window(lane, s, w[0], w[1] + dt.timedelta(days=1), s.slug == voting)
                 for lane, e in enumerate(ref.elections) for s in ref.stages.values()
                 if (w := s.windows.get(e)))


def _floors(days: list[dt.date], windows: tuple[_Window, ...]) -> list[float]:
    """The least width of each span between two knots so that every window's visible part (what
    windows painted after it in its lane leave) is at least MIN_BAR wide."""
    spans = list(zip(days, days[1:], strict=False))
    floors = [0.0] * len(spans)
    painted = sorted(windows, key=lambda w: w.vote)  # as Lane.drawn paints them
    for n, w in enumerate(painted):
        above = [o for o in painted[n + 1:] if o.lane == w.lane]
        visible = [i for i, (a, b) in enumerate(spans)
                   if w.start <= a and b <= w.stop and not any(o.start <= a and b <= o.stop for o in above)]
        length = sum((spans[i][1] - spans[i][0]).days for i in visible)
        for i in visible:
            floors[i] = max(floors[i], MIN_BAR * (spans[i][1] - spans[i][0]).days / length)
    return floors


@functools.cache
def _axis(ref: RefData) -> _Axis:
    """The time axis of both elections' calendars, from the month the first one starts (one per
    reference data: every article page places its marker on it)."""
    windows = _windows(ref)
    first = min(w.start for w in windows).replace(day=1)
    days = sorted({first, *(w.start for w in windows), *(w.stop for w in windows)})
    lengths = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    floors = _floors(days, windows)
    fixed: set[int] = set()
    while True:  # spans at their floor take what they need; the rest share what is left by length
        scale = (WIDTH - sum(floors[i] for i in fixed)) / sum(n for i, n in enumerate(lengths) if i not in fixed)
        grown = {i for i, n in enumerate(lengths) if floors[i] > scale * n}
        if grown == fixed:
            break
        fixed = grown
    xs = [0.0]
    for i, n in enumerate(lengths):
        xs.append(xs[-1] + (floors[i] if i in fixed else scale * n))
    return _Axis(tuple(days), tuple(xs), windows)


def timeline(ref: RefData, counts: dict[str, int] | None = None) -> Timeline:
    """Both elections' official stage windows on one time axis; with entry counts per stage
    when `counts` is given."""
    axis = _axis(ref)
    shown = counts or {}
    lanes = tuple(
        Lane(e.slug, e.label, AXIS + i * LANE, tuple(
            Bar(w.stage, axis.x(w.start), round(axis.x(w.stop) - axis.x(w.start), 1), w.start,
                w.stop - dt.timedelta(days=1), shown.get(w.stage.slug, 0), w.vote)
            for w in axis.windows if w.lane == i))
        for i, e in enumerate(ref.elections.values()))
    last = axis.days[-1]
    ticks = tuple(Tick(axis.x(dt.date(y, m, 1)), f"{ref.calendar['months_short'][m - 1]} {y}")
                  for y in range(axis.days[0].year, last.year + 1) for m in (1, 7)
                  if axis.days[0] <= dt.date(y, m, 1) < last)
    full = None if counts is None else {s: counts.get(s, 0) for s in ref.stages}
    dated = {w.stage.slug for w in axis.windows}
    return Timeline(WIDTH, AXIS + len(lanes) * LANE + 16, lanes, ticks, full,
                    tuple(s for s in ref.stages.values() if s.slug in dated),
                    tuple(s for s in ref.stages.values() if s.slug not in dated))


def marker(ref: RefData, day: dt.date) -> Marker | None:
    """The entry's place on the timeline, or None when its date lies outside every window."""
    axis = _axis(ref)
    if not axis.days[0] <= day < axis.days[-1]:
        return None
    labels = [e.label for e in ref.elections.values()]
    within = tuple((w.stage, labels[w.lane]) for w in axis.windows if w.start <= day < w.stop)
    x = axis.x(day)
    return Marker(x, min(max(x, MARKER_HALF), WIDTH - MARKER_HALF), day, within)
