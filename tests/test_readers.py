"""What readers get besides lists: the province map, the stage timeline, link previews and
search-engine metadata and the search index, parsed from the built site (page weight: test_page_weight.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import cbor2
import lxml.html
import pytest

from digest import urls
from digest.build import build
from digest.errors import DigestError
from digest.output import search
from digest.reference.refdata import load
from tests.conftest import ROOT, make_config
from tests.corpus import write_corpus
from tests.sitetools import json_ld, page_file, parse, tree_bytes

REF = load()


def _meta(doc, key: str) -> str:
    found = doc.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    assert len(found) == 1, key
    return found[0]


def _berita(label: str) -> int:
    """The number in "... 1.234 berita ..." (Indonesian digit grouping)."""
    return int(re.search(r"([\d.]+) berita", label).group(1).replace(".", ""))


# The timeline's axis: from the month the Pemilu calendar opens (PKPU 3/2022: 14 June 2022) to
# the last day of the Pilkada calendar (PKPU 2/2024: 28 February 2025).
AXIS = (dt.date(2022, 6, 1), dt.date(2025, 2, 28))


def _range(text: str) -> tuple[int, int]:
    """A map legend entry's counts: "tidak ada" -> (0, 0), "7" -> (7, 7), "8–25" -> (8, 25)."""
    if text.strip() == "tidak ada":
        return 0, 0
    low, _, high = text.strip().partition("–")
    return int(low.replace(".", "")), int((high or low).replace(".", ""))


def test_home_map_has_every_province_linked_named_and_shaded_by_count(corpus):
    generated, site, _ = corpus
    counts = Counter(g.province for g in generated)
    doc = parse(site, "/")
    tiles = doc.cssselect("figure.tilemap .island a.tile")
    assert sorted(urlsplit(t.get("href")).path for t in tiles) == sorted(urls.province(p.slug) for p in REF.provinces)
    legend = {}
    for item in doc.cssselect("figure.tilemap ul.legend li"):
        level = int(re.search(r"\bt(\d)\b", item.cssselect(".swatch")[0].get("class")).group(1))
        legend[level] = _range(item.text_content())
    assert list(legend) == sorted(legend) and legend[0] == (0, 0)  # lightest first, "none" included
    bounds = list(legend.values())
    assert all(a[1] < b[0] for a, b in zip(bounds, bounds[1:], strict=False))  # ranges do not overlap
    shade = {}
    for tile in tiles:
        slug = urlsplit(tile.get("href")).path.split("/")[2]
        count = counts.get(slug, 0)
        assert tile.cssselect(".name")[0].text_content() == REF.province_by_slug[slug].name  # the full name
        assert tile.cssselect(".num")[0].text_content() == str(count)  # the count shown on the tile
        assert _berita(tile.get("aria-label")) == count and tile.get("aria-label").startswith(tile.text_content())
        shade[slug] = int(re.search(r"\bt(\d)\b", tile.get("class")).group(1))
        low, high = legend[shade[slug]]  # the legend has the tile's shade, and its range holds the count
        assert low <= count <= high, slug
    by_count = sorted(shade, key=lambda s: counts.get(s, 0))
    assert [shade[s] for s in by_count] == sorted(shade.values())  # more entries never a lighter tile
    assert all((shade[s] == 0) == (counts.get(s, 0) == 0) for s in shade)
    # The same numbers as a table, for those who cannot see the map.
    table = {a.get("href"): int(a.getparent().getnext().text_content().replace(".", ""))
             for a in doc.cssselect("details table.counts a")}
    assert table == {urls.province(p.slug): counts.get(p.slug, 0) for p in REF.provinces}


def test_timeline_shows_both_elections_stage_windows_with_counts(corpus):
    generated, site, _ = corpus
    counts = Counter(g.stage for g in generated)
    dated = [(s, e) for s in REF.stages.values() for e, w in s.windows.items() if w]
    for url in ("/", urls.STAGES):
        figure = parse(site, url).cssselect("figure.timeline")[0]
        lanes = [t.text_content() for t in figure.cssselect("text.lane")]
        assert lanes == [e.label for e in REF.elections.values()]
        assert len(figure.cssselect("a.bar")) == len(dated)
        for a in figure.cssselect("a.bar"):
            slug = a.get("href").split("/")[2]
            assert _berita(a.get("aria-label")) == counts.get(slug, 0)
        # The narrow-screen list: per election, every window in calendar order with its dates.
        names = [p.text_content() for p in figure.cssselect(".stage-lists .lane-name")]
        assert names == lanes
        for election, listed in zip(REF.elections, figure.cssselect("ol.stage-list"), strict=True):
            windows = sorted((w, s) for s in REF.stages.values() if (w := s.windows.get(election)))
            assert [li.cssselect("a")[0].text_content() for li in listed] == [s.label for _, s in windows]
            assert [li.cssselect(".when")[0].text_content().split(" – ")[0] for li in listed] == [
                f"{w[0].day} {REF.calendar['months_short'][w[0].month - 1]} {w[0].year}" for w, _ in windows]
        key = {a.get("href").split("/")[2]: a.getparent().text_content() for a in figure.cssselect("ol.stage-key a")}
        assert set(key) == {s.slug for s, _ in dated}  # the legend names only what is drawn
        undated = {a.get("href").split("/")[2]: a.tail for a in figure.cssselect("p.undated a")}
        assert set(undated) == {s for s, st in REF.stages.items() if not any(st.windows.values())}
        shown = {slug: re.search(r"\(([\d.]+)\)", text).group(1) for slug, text in (key | undated).items()}
        assert {slug: int(n.replace(".", "")) for slug, n in shown.items()} == {
            slug: counts.get(slug, 0) for slug in REF.stages}


def test_article_timeline_marks_the_entry_date_inside_its_stage_window(corpus):
    generated, site, _ = corpus
    placed = 0
    for g in generated[:60]:
        figure = parse(site, urls.entry(g.id)).cssselect("figure.timeline")[0]
        markers = figure.cssselect("line.marker")
        inside = AXIS[0] <= g.date <= AXIS[1]
        assert len(markers) == inside, g.id
        if not markers:
            continue
        x = float(markers[0].get("x1"))
        window = REF.stages[g.stage].windows.get("pemilu-2024")
        if window and window[0] <= g.date <= window[1]:  # the line falls on the stage's own bar
            bar = figure.xpath(f".//a[@href='{urls.stage(g.stage)}']/*[local-name()='rect']")[0]
            assert float(bar.get("x")) - 0.2 <= x <= float(bar.get("x")) + float(bar.get("width")) + 0.2, g.id
            # Said in words too, for narrow screens where the drawing gives way to a list.
            assert f"{REF.stages[g.stage].label} (Pemilu 2024)" in figure.cssselect("p.marker-note")[0].text_content()
            placed += 1
        assert g.date.strftime("%Y") in figure.cssselect("figcaption")[0].text_content()
    assert placed > 0


def test_article_metadata_for_link_previews_and_search_engines(corpus):
    generated, site, cfg = corpus
    g = generated[5]
    doc = parse(site, urls.entry(g.id))
    url = cfg.absolute(urls.entry(g.id))
    h1 = doc.cssselect("h1")[0].text_content()
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert _meta(doc, "og:url") == url and _meta(doc, "og:type") == "article"
    assert _meta(doc, "og:title").startswith(h1) and _meta(doc, "twitter:title") == _meta(doc, "og:title")
    summary = doc.cssselect("p.summary")[0].text_content()
    assert _meta(doc, "description") == _meta(doc, "og:description") == summary
    assert _meta(doc, "twitter:card") == "summary_large_image" and _meta(doc, "og:locale") == "id_ID"
    blocks = {b["@type"]: b for b in json_ld(doc)}
    article = blocks["NewsArticle"]
    assert article["headline"] == h1 and article["url"] == url and article["inLanguage"] == "id"
    assert dt.date.fromisoformat(article["datePublished"][:10]) in (g.date, *(
        dt.date.fromisoformat(t[:10]) for t in doc.xpath("//meta[@property='article:published_time']/@content")))
    assert article["publisher"]["name"] == cfg.title
    assert article["isBasedOn"]["url"] == doc.cssselect("p.source a")[0].get("href")
    assert REF.province_by_slug[g.province].name in article["contentLocation"]["name"]
    crumbs = blocks["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
    assert crumbs[-1]["item"] == cfg.absolute(urls.province_stage(g.province, g.stage))
    visible = doc.cssselect("nav.crumbs li")  # up to the province x stage page, not the headline again
    assert [li.text_content() for li in visible] == [c["name"] for c in crumbs]
    assert h1 not in doc.cssselect("nav.crumbs")[0].text_content()


@pytest.mark.parametrize("url", [urls.PROVINCES, urls.stage("kampanye"), urls.ARCHIVE, urls.SEARCH])
def test_listing_breadcrumbs_end_at_the_page_itself(corpus, url):
    _, site, cfg = corpus
    doc = parse(site, url)
    crumbs = next(b for b in json_ld(doc) if b["@type"] == "BreadcrumbList")["itemListElement"]
    assert crumbs[0]["item"] == cfg.absolute("/") and crumbs[-1]["item"] == cfg.absolute(url)
    assert doc.xpath("//link[@rel='canonical']/@href") == [crumbs[-1]["item"]]
    assert doc.cssselect("nav.crumbs li[aria-current='page']")[0].text_content() == crumbs[-1]["name"]


def test_every_page_has_its_own_title_description_canonical_and_preview_tags(corpus):
    _, site, cfg = corpus
    titles = Counter()
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", "admin/")) or rel == "404.html":  # admin/: the editor, no page for readers
            continue
        doc = lxml.html.fromstring(path.read_bytes())
        url = cfg.absolute("/" + rel.removesuffix("index.html"))
        assert doc.xpath("//link[@rel='canonical']/@href") == [url] and _meta(doc, "og:url") == url, rel
        title = doc.findtext(".//title")
        assert title and _meta(doc, "og:title") == title and _meta(doc, "twitter:title") == title, rel
        assert _meta(doc, "description").strip() and _meta(doc, "og:description") == _meta(doc, "description"), rel
        assert len(doc.cssselect("h1")) == 1, rel
        titles[title] += 1
    assert titles.most_common(1)[0][1] == 1  # no two pages share a title (page 2 says so)


def _pagefind(site: Path) -> dict:
    """The search shards' pages and decoded filter files, added up over the shards /cari/ merges:
    {"pages": n, "filters": {filter: {value: pages}}}."""
    total, filters = 0, {}
    for shard in json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8")):
        bundle = site / "pagefind" / shard
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        total += entry["languages"]["id"]["page_count"]
        for path in (bundle / "filter").glob("*.pf_filter"):
            raw = gzip.decompress(path.read_bytes())
            name, values = cbor2.loads(raw[len(b"pagefind_dcd"):])
            filters.setdefault(name, Counter()).update({value: len(ids) for value, ids in values})
    return {"pages": total, "filters": {name: dict(counts) for name, counts in filters.items()}}


def test_search_index_covers_every_article_with_indonesian_stemming_and_filters(corpus):
    generated, site, _ = corpus
    found = _pagefind(site)
    assert found["pages"] == len(generated)
    provinces = Counter(REF.province_by_slug[g.province].name for g in generated)
    assert found["filters"]["Provinsi"] == dict(provinces)
    assert found["filters"]["Tahapan"] == dict(Counter(REF.stages[g.stage].label for g in generated))
    assert set(found["filters"]["Pemilihan"]) <= {e.label for e in REF.elections.values()}
    search = parse(site, urls.SEARCH)
    assert search.xpath("//script/@src") == ["/static/cari.js"]
    assert search.xpath("//form[@role='search']/@data-index") == ["/pagefind/shards.json"]
    assert (site / "pagefind" / "0" / "pagefind.js").is_file() and (site / "static" / "cari.js").is_file()
    assert parse(site, "/").xpath("//nav[@aria-label='Navigasi utama']//a[@href='/cari/']")


def test_search_index_is_byte_identical_across_clean_builds(tmp_path):
    write_corpus(tmp_path / "content", n=40, provinces=6)
    sites = []
    for name in ("a", "b"):
        cfg = make_config(tmp_path / name, tmp_path / "content")
        build(cfg, clean=True, cache_dir=tmp_path / name / "cache")
        sites.append(tree_bytes(cfg.output))
    assert any(k.startswith("pagefind/0/filter/") for k in sites[0])
    assert sites[0] == sites[1]


def test_no_search_builds_no_index_no_search_page_and_removes_an_old_index(tmp_path):
    write_corpus(tmp_path / "content", n=12, provinces=3)
    build(make_config(tmp_path, tmp_path / "content"))
    assert (tmp_path / "site" / "pagefind").is_dir()
    cfg = make_config(tmp_path, tmp_path / "content", search=False)
    build(cfg)
    assert not (tmp_path / "site" / "pagefind").exists() and not page_file(cfg.output, urls.SEARCH).exists()
    assert not parse(cfg.output, "/").xpath("//a[@href='/cari/']")


def test_a_failing_indexer_fails_the_build_cleanly_and_keeps_the_site(tmp_path, monkeypatch):
    write_corpus(tmp_path / "content", n=8, provinces=2)
    cfg = make_config(tmp_path, tmp_path / "content")
    build(cfg)
    before = tree_bytes(cfg.output)
    (tmp_path / "content" / "e0000-aceh-persiapan.md").write_text(
        (tmp_path / "content" / "e0000-aceh-persiapan.md").read_text(encoding="utf-8") + "\nKoreksi.\n",
        encoding="utf-8")
    monkeypatch.setattr("digest.output.search._executable", lambda: str(tmp_path / "no-such-pagefind"))
    with pytest.raises(DigestError) as failed:
        build(cfg)
    assert "--no-search" in str(failed.value.problems[0])
    assert tree_bytes(cfg.output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".digest-cache", "content", "site"]


def test_the_index_is_reused_when_no_article_changed_and_rebuilt_when_one_did(tmp_path, monkeypatch):
    write_corpus(tmp_path / "content", n=12, provinces=3)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    cfg = dataclasses.replace(make_config(tmp_path, tmp_path / "content"), templates=templates)
    build(cfg)
    stages = templates / "stages.html"
    stages.write_text(stages.read_text(encoding="utf-8").replace("<h1>Tahapan</h1>", "<h1>Tahapan pemilihan</h1>"),
                      encoding="utf-8")
    real = search._executable
    monkeypatch.setattr(search, "_executable", lambda: str(tmp_path / "no-such-pagefind"))
    build(cfg)  # only /tahapan/ changed: Pagefind is not needed, the bundle is carried over
    clean = dataclasses.replace(make_config(tmp_path / "clean", tmp_path / "content"), templates=templates)
    monkeypatch.setattr(search, "_executable", real)
    build(clean, clean=True, cache_dir=tmp_path / "clean" / "cache")
    assert tree_bytes(cfg.output) == tree_bytes(clean.output)
    article = next((tmp_path / "content").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nKoreksi redaksi.\n", encoding="utf-8")
    monkeypatch.setattr(search, "_executable", lambda: str(tmp_path / "no-such-pagefind"))
    with pytest.raises(DigestError):  # an article changed: the index must be made again
        build(cfg)
