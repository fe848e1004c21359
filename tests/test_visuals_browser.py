"""The province map and the stage timeline as a reader sees them, measured in headless Chromium
at a phone's 360 px and a laptop's 1280 px: text size, the visible width of every stage, the
legends, focus rings and page width. Skipped where Playwright or chromium is missing."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest import urls
from digest.build import build
from digest.reference.refdata import load
from tests.conftest import CHROMIUM, ROOT, make_config
from tests.corpus import write_corpus
from tests.sitetools import relative, static_server

pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium not installed (apt-get install chromium)", allow_module_level=True)

REF = load()
WIDTHS = (360, 1280)
MIN_TEXT = 12  # CSS px, what the issue asks of every map and timeline text on a phone
MIN_MARK = 10  # CSS px of a stage's bar that nothing covers
ARTICLE = "2024-02-14-polres-sleman-amankan-tps-pemilu"  # voting day: its marker lands on the top bar


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    """The shipped content, a generated corpus and one voting-day entry, built and served."""
    tmp = tmp_path_factory.mktemp("visuals")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    write_corpus(content / "generated", n=90, provinces=9)
    (content / f"{ARTICLE}.md").write_text(
        "---\ntitle: Polres Sleman amankan TPS\ndate: 2024-02-14\nprovince: DI Yogyakarta\n"
        "election: pemilu-2024\nstage: pemungutan\nsource:\n  outlet: Contoh\n"
        "  url: https://contoh.example/sleman-tps\nsummary: Pengamanan TPS di Sleman.\n---\nCatatan singkat.\n",
        encoding="utf-8")
    with static_server(tmp / "site") as base:
        build(make_config(tmp, content, base_url=base, search=False))
        yield base


@pytest.fixture
def open_page(browser, served):
    """open_page(path, width) -> a page showing it at that width (closed after the test)."""
    contexts = []

    def go(path: str, width: int):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        contexts.append(context)
        page = context.new_page()
        page.goto(served + relative(path))
        return page

    yield go
    for context in contexts:
        context.close()


PAGES = (urls.HOME, urls.STAGES, urls.entry(ARTICLE))

# Every visible text node inside the map and timeline, with the size it is drawn at: the computed
# font size, times the SVG's scale for text inside the timeline drawing.
_TEXTS = """() => {
  const found = [];
  for (const figure of document.querySelectorAll('figure.tilemap, figure.timeline')) {
    const walk = document.createTreeWalker(figure, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || el.closest('title')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const svg = el.closest('svg');
      const scale = svg ? svg.getScreenCTM().a : 1;
      found.push([node.textContent.trim(), parseFloat(getComputedStyle(el).fontSize) * scale]);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_map_and_timeline_text_is_at_least_12_px(open_page, path, width):
    texts = open_page(path, width).evaluate(_TEXTS)
    assert len(texts) > 20, path  # the pictures are there and have text
    small = [(text, round(size, 1)) for text, size in texts if size < MIN_TEXT - 0.05]
    assert small == [], (path, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_page_overflow(open_page, path, width):
    page = open_page(path, width)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


# For each bar of the timeline drawing: its href, lane, box, fill, and how many CSS px along its
# middle line show the bar itself rather than something painted over it.
_BARS = """() => [...document.querySelectorAll('figure.timeline a.bar')].map(a => {
  const box = a.querySelector('rect').getBoundingClientRect();
  let seen = 0;
  for (let x = Math.ceil(box.left); x < box.right; x++)
    if (document.elementFromPoint(x, box.top + box.height / 2)?.closest('a.bar') === a) seen++;
  return {href: a.getAttribute('href'), vote: a.classList.contains('vote'), top: Math.round(box.top),
          left: box.left, right: box.right, seen, fill: getComputedStyle(a.querySelector('rect')).fill};
})"""


def test_every_stage_window_shows_on_the_wide_timeline_and_voting_day_is_on_top(open_page):
    page = open_page(urls.HOME, 1280)
    page.locator("figure.timeline svg").scroll_into_view_if_needed()
    bars = page.evaluate(_BARS)
    dated = [(s.slug, e) for s in REF.stages.values() for e, w in s.windows.items() if w]
    assert len(bars) == len(dated)
    narrow = [(b["href"], b["seen"]) for b in bars if b["seen"] < MIN_MARK]
    assert narrow == []  # masa tenang (three days of a thousand) included
    votes = [b for b in bars if b["vote"]]
    assert len(votes) == len(REF.elections)
    assert all(b["seen"] >= b["right"] - b["left"] - 1 for b in votes)  # nothing covers voting day
    for lane in {b["top"] for b in bars if not b["vote"]}:  # neighbours in a lane differ in colour
        row = sorted((b for b in bars if abs(b["top"] - lane) < 8), key=lambda b: b["left"])
        assert all(a["fill"] != b["fill"] for a, b in zip(row, row[1:], strict=False)), row
    labels = page.locator("figure.timeline text.vote-label").all_text_contents()
    days = [w[0] for w in REF.stages["pemungutan"].windows.values() if w]
    assert labels == [f"Pemungutan suara {d.day} {REF.calendar['months_short'][d.month - 1]} {d.year}" for d in days]
    boxes = page.evaluate("[...document.querySelectorAll('figure.timeline svg text')].map(t => { const r ="
                          " t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })")
    overlaps = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]
    assert overlaps == []


def test_every_stage_window_is_listed_on_a_phone_pilkada_too(open_page):
    page = open_page(urls.STAGES, 360)  # the schedule's page; the home page keeps only the key (below)
    assert not page.locator("figure.timeline svg").is_visible()  # the list takes its place
    for election, listed in zip(REF.elections.values(), page.locator("ol.stage-list").all(), strict=True):
        windows = [s for s in REF.stages.values() if s.windows.get(election.slug)]
        rows = listed.locator("li")
        assert rows.count() == len(windows), election.slug
        for i in range(rows.count()):
            swatch = rows.nth(i).locator(".swatch").bounding_box()
            assert swatch and swatch["width"] >= MIN_MARK and rows.nth(i).locator(".when").is_visible()
    vote = page.locator("ol.stage-list li.vote")
    assert vote.count() == len(REF.elections)
    assert vote.first.evaluate("e => getComputedStyle(e).fontWeight") == "700"  # voting day stands out


_KEY = """() => [...document.querySelectorAll('ol.stage-key li')].filter(li => li.offsetParent).map(li =>
  [li.querySelector('a').getAttribute('href'), getComputedStyle(li.querySelector('.swatch')).backgroundColor])"""
_DRAWN = """() => [...document.querySelectorAll('figure.timeline a.bar rect')].filter(r => r.getBBox().width > 0)
  .map(r => [r.parentElement.getAttribute('href'), getComputedStyle(r).fill])"""
_LISTED = """() => [...document.querySelectorAll('ol.stage-list li')].filter(li => li.offsetParent).map(li =>
  [li.querySelector('a').getAttribute('href'), getComputedStyle(li.querySelector('.swatch')).backgroundColor])"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_timeline_legend_entry_has_its_mark(open_page, width):
    page = open_page(urls.HOME if width > 700 else urls.STAGES, width)  # a phone's home page lists no windows
    keyed = {tuple(k) for k in page.evaluate(_KEY)}
    assert keyed
    marks = {tuple(m) for m in page.evaluate(_DRAWN if width > 700 else _LISTED)}
    assert keyed <= marks  # each legend entry: the same stage in the same colour, drawn or listed
    named = page.locator("figure.timeline p.undated a").all_inner_texts()  # the rest, no swatch
    assert named and not page.locator("figure.timeline p.undated .swatch").count()


# The links a reader sees in the home page's "Per tahapan" section, in page order: href, the text of
# its line, and whether it is a bar of the drawing. Hidden ones are left out.
_STAGE_LINKS = """() => [...document.querySelectorAll('section.by-stage a')].filter(a => a.getClientRects().length)
  .map(a => [a.getAttribute('href'), (a.closest('li') || a.parentElement).textContent, !!a.closest('svg')])"""
STAGE_URLS = {urls.stage(slug): slug for slug in REF.stages}


def test_a_phone_reader_sees_each_stage_once_in_calendar_order_with_its_count(open_page):
    links = open_page(urls.HOME, 360).evaluate(_STAGE_LINKS)
    shown = [STAGE_URLS[href] for href, _, _ in links if href in STAGE_URLS]
    dated = [s for s in REF.stages.values() if any(s.windows.values())]
    assert shown == [s.slug for s in dated] + [s for s in REF.stages if s not in {d.slug for d in dated}]
    starts = [min(w[0] for w in s.windows.values() if w) for s in dated]
    assert starts == sorted(starts)  # the order the elections went through them
    counted = [text for href, text, _ in links if href in STAGE_URLS]
    assert all(re.search(rf"{re.escape(s.label)}\s*\(\d[\d.]*\)", " ".join(counted)) for s in REF.stages.values())
    assert urls.STAGES in [href for href, _, _ in links]  # the dates of each window: one tap away


def test_the_desktop_home_page_keeps_the_drawing_and_the_key(open_page):
    links = open_page(urls.HOME, 1280).evaluate(_STAGE_LINKS)
    drawn = [s.slug for s in REF.stages.values() for w in s.windows.values() if w]
    assert sorted(STAGE_URLS[href] for href, _, bar in links if bar) == sorted(drawn)  # every window's bar
    named = [STAGE_URLS[href] for href, _, bar in links if href in STAGE_URLS and not bar]
    assert sorted(named) == sorted(REF.stages)  # and the key: each stage once, with the undated ones


@pytest.mark.parametrize("width", WIDTHS)
def test_map_legend_shows_each_shade_the_tiles_use(open_page, width):
    page = open_page(urls.HOME, width)
    legend = page.evaluate("[...document.querySelectorAll('figure.tilemap .legend .swatch')]"
                           ".map(s => getComputedStyle(s).backgroundColor)")
    tiles = page.evaluate("[...document.querySelectorAll('figure.tilemap a.tile')]"
                          ".map(t => getComputedStyle(t).backgroundColor)")
    assert len(tiles) == len(REF.provinces)
    assert len(set(legend)) == len(legend) and set(tiles) <= set(legend)


# The box a focus ring takes (the outline around an HTML tile, the stroke around an SVG bar), and
# the boxes of every ancestor that clips its content.
_RING = """e => {
  const r = e.getBoundingClientRect(), s = getComputedStyle(e);
  const rect = e.querySelector('rect');
  const grow = rect ? parseFloat(getComputedStyle(rect).strokeWidth) / 2
                    : parseFloat(s.outlineWidth) + parseFloat(s.outlineOffset);
  const clips = [[0, 0, innerWidth, Infinity]];
  for (let p = e.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p);
    if (p.tagName.toLowerCase() === 'svg' || o.overflowX !== 'visible' || o.overflowY !== 'visible') {
      const b = p.getBoundingClientRect();
      clips.push([b.left, b.top, b.right, b.bottom]);
    }
  }
  return {grow, ring: [r.left - grow, r.top - grow, r.right + grow, r.bottom + grow], clips};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_focus_rings_of_edge_tiles_and_bars_are_not_clipped(open_page, width):
    page = open_page(urls.HOME, width)
    page.keyboard.press("Tab")  # keyboard use: focus() below then shows the ring
    targets = page.locator("figure.tilemap a.tile, figure.timeline a.bar")
    checked = 0
    for i in range(targets.count()):
        target = targets.nth(i)
        if not target.is_visible():
            continue
        target.focus()
        found = target.evaluate(_RING)
        assert found["grow"] >= 1.5, i  # a ring is drawn
        left, top, right, bottom = found["ring"]
        for c in found["clips"]:
            assert c[0] - 0.5 <= left and c[1] - 0.5 <= top and right <= c[2] + 0.5 and bottom <= c[3] + 0.5, (
                target.get_attribute("href"), found)
        checked += 1
    assert checked >= len(REF.provinces)


def test_article_marker_is_drawn_and_said_in_words(open_page):
    wide = open_page(urls.entry(ARTICLE), 1280)
    line = wide.locator("figure.timeline line.marker").bounding_box()
    vote = wide.locator(f"figure.timeline a.bar.vote[href$='{urls.stage('pemungutan')}'] rect").first.bounding_box()
    assert line and vote and vote["x"] - 1 <= line["x"] <= vote["x"] + vote["width"] + 1  # on voting day's bar
    assert wide.locator("figure.timeline text.marker-label").is_visible()
    phone = open_page(urls.entry(ARTICLE), 360)
    note = phone.locator("figure.timeline p.marker-note")
    assert note.is_visible()
    assert "14 Februari 2024" in note.inner_text() and "Pemungutan" in note.inner_text()
