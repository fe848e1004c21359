"""Browsing by election and by kab/kota, the subscription page and feed stylesheets, and related
stories: the pages hold exactly what the content says, read as a browser and a feed reader would."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest
import yaml

from digest import urls
from digest.content.entry import Entry
from digest.content.loader import load_all
from digest.reference.refdata import load
from digest.site import model as sitemodel
from digest.site.checks import same_event
from digest.site.model import announced
from tests.corpus import edit_entry
from tests.sitetools import feed, json_ld, listed_entries, page_file, parse, sitemap, tree_bytes
from tests.test_incremental import Project

REF = load()


@pytest.fixture(scope="module")
def content(corpus) -> list[Entry]:
    _, _, cfg = corpus
    return load_all(cfg.content, REF)


def newest_first(entries: list[Entry]) -> list[str]:
    """Entry URLs as listings order them: newest event first, then by id."""
    return [urls.entry(e.id) for e in sorted(entries, key=lambda e: (e.date, e.id), reverse=True)]


def paths(doc, selector: str) -> list[str]:
    return [urlsplit(a.get("href")).path for a in doc.cssselect(selector)]


def test_each_election_page_lists_exactly_its_entries_across_pages(corpus, content):
    _, site, _ = corpus
    index = parse(site, urls.ELECTIONS)
    linked = paths(index, "table.counts a")
    assert linked == [urls.election(slug) for slug in REF.elections]
    for slug in REF.elections:
        mine = [e for e in content if slug in e.elections]
        assert listed_entries(site, urls.election(slug)) == newest_first(mine)
        assert len(mine) > 20, "the corpus must paginate every election"
        assert page_file(site, urls.listing_page(urls.election(slug), 2)).exists()
        row = index.xpath(f"//table//a[contains(@href, '{urls.election(slug)}')]/ancestor::tr/td[2]")[0]
        assert int(row.text_content().replace(".", "")) == len(mine)


def test_only_kab_kota_with_entries_get_pages_each_listing_exactly_its_entries(corpus, content):
    _, site, _ = corpus
    by_regency: dict[str, list[Entry]] = defaultdict(list)
    for e in content:
        if e.regency:
            by_regency[e.regency].append(e)
    made = {p.parent.name for p in page_file(site, urls.REGENCIES).parent.glob("*/index.html")}
    assert made == {REF.regency_by_code[code].slug for code in by_regency}
    assert len(made) < len(REF.regency_by_code)  # the others have none
    paginated = 0
    for code, mine in by_regency.items():
        regency = REF.regency_by_code[code]
        assert listed_entries(site, urls.regency(regency.slug)) == newest_first(mine)
        paginated += page_file(site, urls.listing_page(urls.regency(regency.slug), 2)).exists()
    assert paginated, "the corpus must paginate some kab/kota"


def test_province_pages_index_their_kab_kota_with_counts(corpus, content):
    _, site, _ = corpus
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in content:
        if e.regency:
            counts[e.province][REF.regency_by_code[e.regency].slug] += 1
    for province in {e.province for e in content}:
        chips = parse(site, urls.province(province)).cssselect("nav[aria-label^='Kabupaten/kota'] ul.chips a")
        found = {urlsplit(a.get("href")).path: int(a.text_content().rsplit("(", 1)[1].rstrip(")").replace(".", ""))
                 for a in chips}
        assert found == {urls.regency(slug): n for slug, n in counts[province].items()}
        names = [a.text_content().rsplit(" (", 1)[0] for a in chips]
        assert names == sorted(names)


def test_entries_and_list_items_link_their_election_and_kab_kota(corpus, content):
    _, site, _ = corpus
    both = next(e for e in content if e.regency)
    doc = parse(site, urls.entry(both.id))
    facts = paths(doc, "dl.facts a")
    regency = REF.regency_by_code[both.regency]
    assert urls.regency(regency.slug) in facts
    assert all(urls.election(slug) in facts for slug in both.elections)
    by_url = {urls.entry(e.id): e for e in content}
    for listing in (urls.HOME, urls.province(both.province), urls.election(both.elections[0])):
        items = parse(site, listing).cssselect("ol.entries li")
        assert items
        for li in items:
            e = by_url[paths(li, "h3 a")[0]]
            links = paths(li, "p.meta a")
            assert [p for p in links if p.startswith(urls.ELECTIONS)] == [urls.election(s) for s in e.elections]
            labels = [a.text_content() for a in li.cssselect("p.meta a")]
            assert all(REF.elections[s].label in labels for s in e.elections)


def test_election_and_kab_kota_feeds_parse_and_hold_their_newest_entries(corpus, content):
    _, site, cfg = corpus
    regency = REF.regency_by_code[next(e.regency for e in content if e.regency)]
    scopes = {urls.election(s): [e for e in content if s in e.elections] for s in REF.elections}
    scopes[urls.regency(regency.slug)] = [e for e in content if e.regency == regency.code]
    opml = lxml.etree.parse(str(page_file(site, urls.OPML)))
    listed = {o.get("xmlUrl") for o in opml.iter("outline")}
    listed_pages = set(sitemap(site))
    for base, mine in scopes.items():
        rss, atom = feed(site, urls.rss(base)), feed(site, urls.atom(base))
        want = {cfg.absolute(urls.entry(e.id)) for e in mine}
        for parsed in (rss, atom):
            got = [entry.link for entry in parsed.entries]
            assert len(got) == min(len(mine), cfg.feed_size) and set(got) <= want
        assert cfg.absolute(urls.rss(base)) in listed
        assert cfg.absolute(base) in listed_pages


def test_breadcrumbs_of_election_and_kab_kota_pages_match_their_json_ld(corpus, content):
    _, site, cfg = corpus
    e = next(e for e in content if e.regency)
    regency, province = REF.regency_by_code[e.regency], REF.province_by_slug[e.province]
    for url, expected in ((urls.regency(regency.slug), [urls.HOME, urls.PROVINCES, urls.province(province.slug)]),
                          (urls.election(e.elections[0]), [urls.HOME, urls.ELECTIONS])):
        doc = parse(site, url)
        assert paths(doc, "nav.crumbs a") == expected
        shown = [li.text_content().strip() for li in doc.cssselect("nav.crumbs li")]
        trail = next(block for block in json_ld(doc) if block["@type"] == "BreadcrumbList")
        assert [item["name"] for item in trail["itemListElement"]] == shown
        assert [item["item"] for item in trail["itemListElement"]] == [cfg.absolute(p) for p in (*expected, url)]


def feed_paths(site) -> set[str]:
    """Site paths of every feed the build wrote (RSS and Atom)."""
    return {"/" + p.relative_to(site).as_posix() for name in ("feed.xml", "atom.xml") for p in site.rglob(name)}


def test_the_subscription_page_lists_every_feed_grouped_and_every_page_links_it(corpus, content):
    _, site, _ = corpus
    doc = parse(site, urls.SUBSCRIBE)
    listed = paths(doc, "ul.subscriptions a")
    assert sorted(listed) == sorted(feed_paths(site))  # each feed once
    headings = [h.text_content() for h in doc.cssselect("main h3")]
    assert headings == ["Seluruh berita", "Per pemilihan", "Per tahapan", "Per provinsi", "Per kabupaten/kota"]
    regency_groups = {d.findtext("summary").rsplit(" (", 1)[0]: paths(d, "a[aria-label$='RSS']")
                      for d in doc.cssselect("details.subscriptions")}
    expected: dict[str, list[str]] = defaultdict(list)
    for code in sorted({e.regency for e in content if e.regency}, key=lambda c: REF.regency_by_code[c].name):
        regency = REF.regency_by_code[code]
        province = next(p for p in REF.provinces if p.code == regency.province_code)
        expected[province.name].append(urls.rss(urls.regency(regency.slug)))
    assert regency_groups == expected
    e = content[0]
    for url in (urls.HOME, urls.entry(e.id), urls.province(e.province), urls.election(e.elections[0])):
        assert urls.SUBSCRIBE in paths(parse(site, url), "footer a"), url


@pytest.mark.parametrize("kind", [urls.rss, urls.atom])
def test_feeds_name_a_stylesheet_that_shows_them_as_a_readable_page(corpus, content, kind):
    _, site, cfg = corpus
    months = REF.calendar["months"]
    by_link = {cfg.absolute(urls.entry(e.id)): e for e in content}
    e = next(e for e in content if e.regency)
    for base in (urls.HOME, urls.regency(REF.regency_by_code[e.regency].slug), urls.province("papua-pegunungan")):
        path = page_file(site, kind(base))
        doc = lxml.etree.parse(str(path))
        instruction = doc.getroot().getprevious()
        assert instruction.target == "xml-stylesheet" and instruction.get("type") == "text/xsl"
        style = page_file(site, urlsplit(instruction.get("href")).path)
        page = lxml.html.fromstring(str(lxml.etree.XSLT(lxml.etree.parse(str(style)))(doc)))
        parsed = feed(site, kind(base))  # still a feed to feedparser, no error
        assert page.get("lang") == "id"
        assert page.findtext(".//h1") == parsed.feed.title
        assert [a.get("href") for a in page.cssselect("ol.entries h3 a")] == [x.link for x in parsed.entries]
        shown = [m.text_content().split(" · ")[0] for m in page.cssselect("ol.entries p.meta")]
        days = [announced(by_link[x.link]).date() for x in parsed.entries]  # in WIB, as the feed states it
        assert shown == [f"{d.day} {months[d.month - 1]} {d.year}" for d in days]
        assert bool(page.cssselect("p.empty")) == (not parsed.entries)
        assert urls.SUBSCRIBE in [urlsplit(a.get("href")).path for a in page.cssselect("p.banner a")]


# A small story set in Banten (a province the generated corpus leaves out), written for this test:
# A and B tell one event in near-identical words, E shares A's date, kab/kota and agencies, C shares
# A's kab/kota and stage a month earlier, D is in A's week elsewhere in Banten, F is A's day in
# another province, G is Lebak's campaign (as B) a month later.
STORY = ("Polres Serang Kota menyiagakan personel gabungan di sekitar lapangan kampanye terbuka. "
         "Petugas memeriksa barang bawaan peserta di pintu masuk dan mengatur arus kendaraan di jalan utama. "
         "Kapolres meminta tim pemenangan menaati jadwal yang telah ditetapkan KPU dan membubarkan massa "
         "tepat waktu. Bawaslu mencatat tidak ada pelanggaran alat peraga selama kegiatan berlangsung. "
         "Situasi hingga sore hari dilaporkan aman dan lalu lintas kembali lancar setelah acara selesai.")
OTHER = ("Petugas gudang logistik menghitung ulang surat suara yang tiba dari percetakan. "
         "Kotak suara yang rusak dicatat dan dilaporkan kepada penyelenggara untuk segera diganti. "
         "Aparat keamanan berjaga selama proses pelipatan berlangsung hingga malam hari.")
STORIES = {  # id: (date, province, regency, stage, agencies, body)
    "a-kampanye-serang": ("2024-01-10", "Banten", "Kota Serang", "kampanye", ["Polres Serang Kota"], STORY),
    "b-kampanye-lebak-salinan": ("2024-01-12", "Banten", "Kabupaten Lebak", "kampanye", ["Polres Lebak"],
                                 STORY.replace("sore hari", "malam hari")),
    "c-kampanye-serang-lalu": ("2023-12-01", "Banten", "Kota Serang", "kampanye", ["KPU Kota Serang"], OTHER),
    "d-pandeglang-pekan-sama": ("2024-01-09", "Banten", "Kabupaten Pandeglang", "logistik", ["KPU"],
                                OTHER.replace("gudang", "gedung")),
    "e-kampanye-serang-sama": ("2024-01-10", "Banten", "Kota Serang", "kampanye", ["Polres Serang Kota"],
                               "Warga diimbau tidak membawa senjata tajam ke lokasi kampanye. " + OTHER),
    "f-jakarta-hari-sama": ("2024-01-10", "DKI Jakarta", "Kota Administrasi Jakarta Pusat", "kampanye",
                            ["Polda Metro Jaya"], STORY),
    "g-lebak-bulan-depan": ("2024-02-20", "Banten", "Kabupaten Lebak", "kampanye", ["Polres Lebak"],
                            "Rapat umum di alun-alun dijaga ratusan personel. " + OTHER),
}


def write_stories(content) -> None:
    for n, (entry_id, (day, province, regency, stage, agencies, body)) in enumerate(STORIES.items()):
        meta = {"id": entry_id, "title": f"Pengamanan {stage} di {regency} ({n})", "date": day,
                "province": province, "regency": regency, "election": "pemilu-2024", "stage": stage,
                "agencies": agencies, "source": {"outlet": "Contoh", "url": f"https://contoh.example/kisah/{n}"},
                "summary": f"Ringkasan {n}."}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        (content / f"{entry_id}.md").write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")


def related_on(site, entry_id: str) -> list[str]:
    return [urlsplit(a.get("href")).path.split("/")[-2]
            for a in parse(site, urls.entry(entry_id)).cssselect("section.related li > a")]


@pytest.fixture
def stories(tmp_path):
    project = Project(tmp_path, n=40)
    write_stories(project.root / "content")
    project.build()
    return project


def test_related_stories_come_same_event_first_then_kab_kota_and_stage_then_week(stories):
    site = stories.root / "site"
    assert related_on(site, "a-kampanye-serang") == [
        "e-kampanye-serang-sama", "b-kampanye-lebak-salinan", "c-kampanye-serang-lalu", "d-pandeglang-pekan-sama"]
    assert "a-kampanye-serang" not in related_on(site, "f-jakarta-hari-sama")  # same words, other province
    assert related_on(site, "g-lebak-bulan-depan") == ["b-kampanye-lebak-salinan"]  # Lebak's other campaign story
    assert related_on(site, "c-kampanye-serang-lalu") == ["a-kampanye-serang", "e-kampanye-serang-sama"]  # ties by id


def test_related_stories_follow_text_edits_on_the_quick_path_as_a_clean_build(stories, monkeypatch):
    edit_entry(stories.root / "content" / "g-lebak-bulan-depan.md", "\nParagraf tambahan.\n")
    stories.build()  # a second build keeps the site model for the quick path
    calls = []
    real = sitemodel.build_model
    monkeypatch.setattr(sitemodel, "build_model", lambda *a, **k: calls.append(1) or real(*a, **k))
    b = stories.root / "content" / "b-kampanye-lebak-salinan.md"
    text = b.read_text(encoding="utf-8")
    b.write_text(text.split("---\n", 2)[0] + "---\n" + text.split("---\n", 2)[1] + "---\n" + OTHER + "\n",
                 encoding="utf-8")  # no longer the same story
    stories.build()
    assert calls == []  # the quick path: no field of STRUCTURE changed
    site = stories.root / "site"
    assert related_on(site, "a-kampanye-serang") == [
        "e-kampanye-serang-sama", "c-kampanye-serang-lalu", "d-pandeglang-pekan-sama", "b-kampanye-lebak-salinan"]
    edit_entry(stories.root / "content" / "e-kampanye-serang-sama.md", title="Judul baru E")
    stories.build()
    titles = [a.text_content() for a in parse(site, urls.entry("a-kampanye-serang")).cssselect("section.related a")]
    assert titles[0] == "Judul baru E"
    assert tree_bytes(site) == stories.reference()


def test_related_stories_are_few_relevant_and_the_same_on_every_build(corpus, content):
    _, site, _ = corpus
    by_id = {e.id: e for e in content}
    shown = 0
    for e in content:
        found = related_on(site, e.id)
        assert len(found) <= 5 and e.id not in found and len(set(found)) == len(found)
        for other in map(by_id.get, found):
            gap = abs((other.date - e.date).days)
            assert other.province == e.province
            assert gap <= 3 or (other.regency == e.regency and other.stage == e.stage) or same_event(e, other)
        shown += bool(found)
    assert shown > len(content) / 4  # the check above ran on many pages


def test_under_a_sub_path_feeds_find_their_stylesheet_and_it_links_inside_the_site(tmp_path):
    project = Project(tmp_path, n=10)
    project.settings["base_url"] = "http://a.example/sub/"
    project.write_settings()
    project.build()
    site = tmp_path / "site"
    for name in (urls.rss(urls.HOME), urls.atom(urls.province("aceh"))):
        instruction = lxml.etree.parse(str(page_file(site, name))).getroot().getprevious()
        href = instruction.get("href")
        assert href.startswith("/sub/") and page_file(site, href.removeprefix("/sub")).is_file()
    style = lxml.etree.parse(str(page_file(site, urls.FEED_STYLE)))
    out = lxml.etree.XSLT(style)(lxml.etree.parse(str(page_file(site, urls.rss(urls.HOME)))))
    page = lxml.html.fromstring(str(out))
    links = [a.get("href") for a in page.cssselect("header a, p.banner a")] + \
        [link.get("href") for link in page.cssselect("link[rel=stylesheet]")]
    assert links and all(urlsplit(x).path.startswith("/sub/") for x in links)


def test_listing_feed_links_point_readers_to_the_subscription_page(corpus, content):
    _, site, _ = corpus
    e = next(e for e in content if e.regency)
    for base in (urls.province(e.province), urls.election(e.elections[0]),
                 urls.regency(REF.regency_by_code[e.regency].slug)):
        links = paths(parse(site, base), "p.feeds a")
        assert urls.rss(base) in links and urls.atom(base) in links and links[-1] == urls.SUBSCRIBE
