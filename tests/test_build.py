"""Core build: every entry lands on the right pages and feeds; output is complete and stable."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from urllib.parse import urlsplit

import lxml.etree

from digest import urls
from digest.build import build
from digest.reference.refdata import load
from tests.conftest import make_config
from tests.corpus import edit_entry, write_corpus
from tests.sitetools import feed, json_ld, listed_entries, page_file, parse, parse_strict, sitemap, tree_bytes

REF = load()


def _newest(gen):
    return sorted(gen, key=lambda g: (g.date, g.id), reverse=True)


def test_every_entry_has_its_article_page_with_indonesian_facts(corpus):
    generated, site, _ = corpus
    for g in generated:
        doc = parse(site, urls.entry(g.id))
        assert doc.get("lang") == "id"
        assert [h.text_content() for h in doc.cssselect("h1")] == [g.title]
        facts = doc.cssselect("dl.facts")[0].text_content()
        assert REF.province_by_slug[g.province].name in facts
        assert REF.stages[g.stage].label in facts
        weekday = REF.calendar["weekdays"][g.date.weekday()]
        month = REF.calendar["months"][g.date.month - 1]
        assert doc.cssselect("p.dateline time")[0].text_content() == f"{weekday}, {g.date.day} {month} {g.date.year}"
        links = {urlsplit(a.get("href")).path for a in doc.cssselect("dl.facts a")}
        assert urls.province(g.province) in links and urls.stage(g.stage) in links


def test_listings_hold_each_entry_exactly_once_newest_first(corpus):
    generated, site, cfg = corpus
    groups = defaultdict(list)
    for g in generated:
        groups[urls.province(g.province)].append(g)
        groups[urls.stage(g.stage)].append(g)
        groups[urls.province_stage(g.province, g.stage)].append(g)
        groups[urls.month(g.date.year, g.date.month)].append(g)
    assert len(groups) > 100
    paginated = 0
    for url, members in groups.items():
        listed = listed_entries(site, url)
        assert listed == [urls.entry(g.id) for g in _newest(members)], url
        pages = math.ceil(len(members) / cfg.items_per_page)
        paginated += pages > 1
        if pages > 1:
            assert page_file(site, f"{url}page/{pages}/").exists()
            assert not page_file(site, f"{url}page/{pages + 1}/").exists()
    assert paginated >= 10  # the corpus really exercises pagination


def test_province_and_stage_indexes_are_complete(corpus):
    generated, site, _ = corpus
    counts = defaultdict(int)
    for g in generated:
        counts[g.province] += 1
    rows = parse(site, urls.PROVINCES).cssselect("table.counts tbody tr")
    assert len(rows) == 38
    for row in rows:
        slug = urlsplit(row.cssselect("a")[0].get("href")).path.split("/")[2]
        assert int(row.cssselect("td")[1].text_content().replace(".", "")) == counts[slug]
        assert page_file(site, urls.province(slug)).exists()  # zero-entry provinces too
    stage_rows = parse(site, urls.STAGES).cssselect("table.stages tbody tr")
    assert [urlsplit(r.cssselect("a")[0].get("href")).path for r in stage_rows] == [
        urls.stage(s) for s in REF.stages]
    kampanye = next(r for r in stage_rows if "kampanye" in r.cssselect("a")[0].get("href"))
    assert "28 Nov 2023" in kampanye.text_content() and "23 Nov 2024" in kampanye.text_content()


def test_province_pages_link_stage_subpages_they_have(corpus):
    generated, site, _ = corpus
    have = defaultdict(set)
    for g in generated:
        have[g.province].add(g.stage)
    for slug, stages in have.items():
        chips = parse(site, urls.province(slug)).cssselect("nav[aria-label^='Tahapan'] ul.chips a")
        links = {urlsplit(a.get("href")).path for a in chips}
        assert links == {urls.province_stage(slug, s) for s in stages}


def test_feeds_hold_exactly_the_newest_entries_of_their_scope(corpus):
    generated, site, cfg = corpus
    scopes = {"/": generated}
    for slug in {g.province for g in generated}:
        scopes[urls.province(slug)] = [g for g in generated if g.province == slug]
    for stage in REF.stages:
        scopes[urls.stage(stage)] = [g for g in generated if g.stage == stage]
    for base, members in scopes.items():
        expected = [cfg.absolute(urls.entry(g.id)) for g in _newest(members)[: cfg.feed_size]]
        for name in ("feed.xml", "atom.xml"):
            parsed = feed(site, base + name)
            assert parsed.feed.link == cfg.absolute(base)  # the channel links its HTML page
            assert [e.link for e in parsed.entries] == expected, base + name
            assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def test_every_page_announces_its_feeds(corpus):
    generated, site, _ = corpus
    g = generated[0]
    for url, extra in (("/", None), (urls.province(g.province), urls.rss(urls.province(g.province))),
                       (urls.stage(g.stage), urls.atom(urls.stage(g.stage))), (urls.entry(g.id), None)):
        hrefs = {urlsplit(link.get("href")).path for link in parse(site, url).cssselect('link[rel="alternate"]')}
        assert {"/feed.xml", "/atom.xml"} <= hrefs
        assert extra is None or extra in hrefs


def test_opml_lists_every_feed(corpus):
    _, site, cfg = corpus
    outlines = lxml.etree.parse(str(page_file(site, urls.OPML))).findall(".//outline")
    listed = {urlsplit(o.get("xmlUrl")).path for o in outlines}
    assert "/feed.xml" in listed
    assert {urls.rss(urls.province(p.slug)) for p in REF.provinces} <= listed
    assert {urls.rss(urls.stage(s)) for s in REF.stages} <= listed
    assert all(page_file(site, u).exists() for u in listed)


def test_sitemap_lists_every_html_page(corpus):
    _, site, cfg = corpus
    locs = {urlsplit(loc).path for loc in sitemap(site)}
    pages = {"/" + str(p.relative_to(site).parent).replace(".", "").strip("/") for p in site.rglob("index.html")}
    pages = {p if p == "/" else p + "/" for p in pages}
    assert urls.ADMIN in pages and urls.ADMIN not in locs  # the editor (cms: true) is no page to search for
    assert locs == pages - {urls.ADMIN}
    robots = (site / "robots.txt").read_text()
    assert cfg.absolute(urls.SITEMAP) in robots


def test_pages_are_valid_html5(corpus):
    generated, site, _ = corpus
    g = generated[-1]
    for url in (urls.HOME, urls.PROVINCES, urls.STAGES, urls.ARCHIVE, urls.entry(g.id), urls.province(g.province),
                urls.listing_page(urls.province(g.province), 2), urls.stage(g.stage),
                urls.province_stage(g.province, g.stage), urls.NOT_FOUND):
        parse_strict(page_file(site, url))


def test_two_builds_are_byte_identical(tmp_path):
    write_corpus(tmp_path / "content", n=60)
    one = make_config(tmp_path / "a", tmp_path / "content")
    two = make_config(tmp_path / "b", tmp_path / "content")
    build(one)
    build(two)
    assert tree_bytes(one.output) == tree_bytes(two.output)


def test_feed_ids_survive_edits_of_title_body_and_date(tmp_path):
    generated = write_corpus(tmp_path / "content", n=30)
    cfg = make_config(tmp_path, tmp_path / "content")
    build(cfg)
    before = {e.link: e.id for e in feed(cfg.output, "/atom.xml").entries}
    target = generated[5]
    edit_entry(target.path, "\nParagraf tambahan.\n", title="Judul baru setelah koreksi redaksi",
               date=dt.date(2023, 6, 2))
    build(cfg)
    after = feed(cfg.output, "/atom.xml")
    edited = next(e for e in after.entries if e.link.endswith(urls.entry(target.id)))
    assert edited.title == "Judul baru setelah koreksi redaksi"
    assert edited.id == before[edited.link]
    assert {e.link: e.id for e in after.entries} == before
    rss = feed(cfg.output, urls.rss(urls.HOME))
    assert {e.link: e.id for e in rss.entries} == before


def test_site_under_a_sub_path_links_within_it(tmp_path):
    write_corpus(tmp_path / "content", n=25)
    cfg = make_config(tmp_path, tmp_path / "content", base_url="https://pemilu.example.org/digest")
    build(cfg)
    doc = parse(cfg.output, "/")
    hrefs = [a.get("href") for a in doc.cssselect("a[href]") if not a.get("href").startswith("#")]
    assert hrefs and all(h.startswith("/digest/") for h in hrefs if not h.startswith("http"))
    assert doc.cssselect('link[rel="canonical"]')[0].get("href") == "https://pemilu.example.org/digest/"
    entry = feed(cfg.output, urls.rss(urls.HOME)).entries[0]
    assert entry.link.startswith("https://pemilu.example.org/digest" + urls.ARTICLES)
    assert entry.id.startswith("tag:pemilu.example.org,2024:/digest" + urls.ARTICLES)


def test_text_from_content_is_escaped_not_executed(tmp_path):
    generated = write_corpus(tmp_path / "content", n=3)
    hostile = '<script>alert("x")</script> Polda & "KPU"'
    edit_entry(generated[0].path, '\n<img src=x onerror="alert(1)"> <a href="javascript:alert(2)">tautan</a>\n',
               title=hostile, summary="<b onclick=alert(3)>ringkas</b>",
               officials=[{"name": "<i>Nama</i>", "rank": "AKBP", "role": "Kapolres"}])
    cfg = make_config(tmp_path, tmp_path / "content")
    build(cfg)
    doc = parse(cfg.output, urls.entry(generated[0].id))
    assert doc.cssselect("h1")[0].text_content() == hostile
    assert not doc.cssselect("main b, main i") and not doc.xpath("//script[not(@type='application/ld+json')]")
    assert [block["headline"] for block in json_ld(doc) if block["@type"] == "NewsArticle"] == [hostile]
    assert all(not attr.startswith("on") for el in doc.iter() if isinstance(el.tag, str) for attr in el.attrib)
    assert all(not (a.get("href") or "").startswith("javascript:") for a in doc.cssselect("a"))
    assert "<i>Nama</i>" in doc.cssselect("ul.officials")[0].text_content()


def test_drafts_and_scheduled_entries_stay_off_the_site_unless_asked(tmp_path):
    generated = write_corpus(tmp_path / "content", n=12)
    edit_entry(generated[0].path, draft=True)
    edit_entry(generated[1].path, published=dt.date(2999, 1, 1))
    cfg = make_config(tmp_path, tmp_path / "content")
    build(cfg, today=dt.date(2026, 1, 1))
    hidden = {urls.entry(generated[0].id), urls.entry(generated[1].id)}
    assert not any(page_file(cfg.output, u).exists() for u in hidden)
    assert not hidden & {urlsplit(e.link).path for e in feed(cfg.output, urls.rss(urls.HOME)).entries}
    build(cfg, today=dt.date(2026, 1, 1), drafts=True, future=True)
    assert all(page_file(cfg.output, u).exists() for u in hidden)
