"""The geometry behind the map and the timeline (digest/site/visuals.py), on the shipped
reference data: what the drawing promises before any browser lays it out."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from digest.reference.refdata import load
from digest.site import visuals

REF = load()


def _visible(lane: visuals.Lane, bar: visuals.Bar) -> float:
    """Width of `bar` that no bar painted after it in its lane covers."""
    later = lane.drawn[lane.drawn.index(bar) + 1:]
    edges = sorted({bar.x, bar.x + bar.width, *(e for b in later for e in (b.x, b.x + b.width)
                                               if bar.x < e < bar.x + bar.width)})
    return sum(b - a for a, b in zip(edges, edges[1:], strict=False)
               if not any(o.x <= a and b <= o.x + o.width for o in later))


def test_every_stage_window_keeps_a_visible_minimum_width_inside_the_drawing():
    tl = visuals.timeline(REF, {})
    for lane in tl.lanes:
        assert lane.drawn[-1].vote and sum(b.vote for b in lane.bars) == 1  # voting day painted last
        for bar in lane.bars:
            assert bar.x >= 0 and bar.x + bar.width <= tl.width + 0.1, bar.stage.slug
            assert _visible(lane, bar) >= visuals.MIN_BAR - 0.2, (lane.election, bar.stage.slug)
        starts = [b.x for b in lane.bars]
        assert starts == sorted(starts)  # the calendar order survives the stretching


def test_time_runs_left_to_right_and_long_stages_keep_their_proportions():
    tl = visuals.timeline(REF)
    axis = visuals._axis(REF)
    first, last = axis.days[0], axis.days[-1]
    xs = [axis.x(first + dt.timedelta(days=n)) for n in range((last - first).days + 1)]
    assert xs == sorted(xs) and xs[0] == 0 and xs[-1] == tl.width
    assert [t.x for t in tl.ticks] == sorted(t.x for t in tl.ticks)
    # Stretching three-day windows takes little from the rest: long stages stay proportional.
    lane = tl.lanes[0]
    long = [b for b in lane.bars if (b.end - b.start).days > 60]
    rates = [b.width / ((b.end - b.start).days + 1) for b in long]
    assert len(long) >= 3 and max(rates) / min(rates) < 1.05


def test_stages_without_a_window_are_named_apart_from_the_drawn_ones():
    tl = visuals.timeline(REF, {s: 1 for s in REF.stages})
    drawn = {b.stage.slug for lane in tl.lanes for b in lane.bars}
    assert {s.slug for s in tl.dated} == drawn
    assert {s.slug for s in tl.undated} == set(REF.stages) - drawn == {"logistik", "lintas-tahapan"}


def test_the_marker_names_the_windows_holding_its_day():
    voting = REF.stages["pemungutan"].windows["pemilu-2024"][0]
    m = visuals.marker(REF, voting)
    assert m is not None and ("pemungutan", "Pemilu 2024") in {(s.slug, e) for s, e in m.within}
    bar = next(b for b in visuals.timeline(REF).lanes[0].bars if b.vote)
    assert bar.x <= m.x <= bar.x + bar.width
    edge = visuals.marker(REF, visuals._axis(REF).days[0])
    assert edge is not None and edge.label_x > edge.x  # "berita ini" stays inside the picture
    assert visuals.marker(REF, dt.date(2030, 1, 1)) is None


@pytest.mark.parametrize("most", [0, 1, 3, 7, 20, 137, 5000])
def test_map_legend_ranges_are_exactly_the_counts_each_shade_gets(most):
    legend = visuals.legend(most)
    assert legend[0] == visuals.ShadeRange(0, 0, 0)
    for n in range(most + 1):  # every count falls in the one legend entry of its shade
        holding = [r for r in legend if r.low <= n <= r.high]
        assert len(holding) == 1 and holding[0].shade == visuals.shade(n, most), n
    assert [r.shade for r in legend] == sorted({visuals.shade(n, most) for n in range(most + 1)})


def test_map_groups_every_province_once_by_island():
    tm = visuals.tile_map([(p, i) for i, p in enumerate(REF.provinces)])
    placed = Counter(t.province.slug for island in tm.islands for t in island.tiles)
    assert placed == Counter(p.slug for p in REF.provinces)
    assert all(island.tiles for island in tm.islands)
