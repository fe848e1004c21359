"""An article page as a reader meets it: the headline and the start of the summary on the first
screen of a phone, a breadcrumb that leads up without repeating the headline, the body under a
heading of its own and the facts after the summary, links in the body (and robots.txt) that work
under any base URL, JSON-LD that credits the source. Parsed from the built site, and measured in
headless Chromium at 360x800 and 1280x800."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import lxml.html
import pytest

from digest import urls
from digest.build import build
from digest.reference.refdata import load
from digest.site.markup import render_markdown
from tests.conftest import ROOT, make_config
from tests.sitetools import json_ld, page_file, parse, relative, static_server

REF = load()
SCREEN_HEIGHT = 800


def _article_urls(site: Path) -> list[str]:
    return sorted(urls.entry(p.parent.name) for p in (site / urls.ARTICLES.strip("/")).glob("*/index.html"))


def test_breadcrumb_leads_up_to_the_article_without_repeating_its_headline(corpus):
    generated, site, _ = corpus
    for g in generated[:40]:
        doc = parse(site, urls.entry(g.id))
        crumbs = doc.cssselect("nav.crumbs li")
        assert [li.text_content() for li in crumbs] == [
            "Beranda", "Provinsi", REF.province_by_slug[g.province].name, REF.stages[g.stage].label]
        hrefs = [li.cssselect("a")[0].get("href") for li in crumbs]  # every step a link upwards
        assert hrefs[-1] == urls.province_stage(g.province, g.stage)
        assert not doc.cssselect("nav.crumbs [aria-current]")
        assert g.title not in doc.cssselect("nav.crumbs")[0].text_content()


def test_summary_comes_before_the_facts_and_the_body_has_its_own_heading(corpus):
    generated, site, _ = corpus
    for g in generated[:40]:
        doc = parse(site, urls.entry(g.id))
        article = doc.cssselect("article.entry")[0]
        order = [el.get("class") or el.tag for el in article.iterchildren()]
        assert order[:4] == ["h1", "dateline", "summary", "facts"], g.id
        body = doc.cssselect("div.body")[0]
        section = body.getparent()
        heading = section.cssselect("h2")[0]
        assert section.tag == "section" and section.get("aria-labelledby") == heading.get("id")
        assert heading.text_content() == "Isi berita"
        # The figures are facts now, not a section the body would seem to belong to.
        assert "Angka" not in [h.text_content() for h in doc.cssselect("h2")]
        facts = {dt.text_content(): dt.getnext().text_content() for dt in doc.cssselect("dl.facts dt")}
        assert facts["Provinsi"] == REF.province_by_slug[g.province].name
        assert facts["Personel dikerahkan"].replace(".", "").isdigit()


SHIPPED = "2023-07-26-kpu-polda-banten-koordinasi-pemilu"  # a shipped entry, copied with a new body
LINKING_BODY = """\
Rapat lanjutan digelar sepekan kemudian, seperti dilaporkan [sebelumnya](/berita/{shipped}/).

Daftar berita lain ada di [halaman Banten](/provinsi/banten/), jadwalnya di [tahapan](/tahapan/#pemungutan),
rilisnya di [situs KPU](https://www.kpu.go.id/berita) dan [arsip digest](https://digest.example.id/arsip/).
"""


def _linking_site(tmp: Path, base_url: str, *, cache: Path, clean: bool = False) -> Path:
    """Two shipped entries, one of them with a body linking the site by root-relative links."""
    content = tmp / "content"
    if not content.exists():
        content.mkdir(parents=True)
        shutil.copy(ROOT / "content" / f"{SHIPPED}.md", content)
        text = (ROOT / "content" / f"{SHIPPED}.md").read_text(encoding="utf-8")
        front = text.split("---\n")[1].replace(SHIPPED, "rapat-lanjutan").replace("/250530/", "/250531/")
        (content / "rapat-lanjutan.md").write_text(f"---\n{front}---\n{LINKING_BODY.format(shipped=SHIPPED)}",
                                                 encoding="utf-8")
    cfg = make_config(tmp / base_url.split("/")[-2], content, base_url=base_url, search=False)
    build(cfg, cache_dir=cache, clean=clean)
    return cfg.output


def test_body_links_into_the_site_follow_a_sub_path_base_url_and_carry_no_nofollow(tmp_path):
    site = _linking_site(tmp_path, "https://contoh.example/pemilu/", cache=tmp_path / "cache")
    body = parse(site, urls.entry("rapat-lanjutan")).cssselect("div.body")[0]
    hrefs = [a.get("href") for a in body.cssselect("a")]
    assert hrefs == ["/pemilu" + urls.entry(SHIPPED), "/pemilu" + urls.province("banten"),
                     "/pemilu" + urls.STAGES + "#pemungutan", "https://www.kpu.go.id/berita",
                     "https://digest.example.id/arsip/"]
    assert page_file(site, hrefs[0].removeprefix("/pemilu")).is_file()  # the rebased link leads to the article
    assert [a.get("rel") for a in body.cssselect("a")] == [None] * 5  # the digest's own pages are not nofollow


def test_robots_txt_under_a_sub_path_names_the_sub_path_and_its_sitemap(tmp_path):
    base = "https://contoh.example/pemilu/"
    site = _linking_site(tmp_path, base, cache=tmp_path / "cache")
    robots = RobotFileParser()
    robots.parse((site / "robots.txt").read_text(encoding="utf-8").splitlines())  # as copied to the host's root
    assert robots.can_fetch("*", base + urls.entry(SHIPPED).lstrip("/"))
    assert robots.site_maps() == [base + urls.SITEMAP.lstrip("/")]
    assert (site / urls.SITEMAP.lstrip("/")).is_file()
    rules = [line for line in (site / "robots.txt").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert rules == ["User-agent: *", "Allow: /pemilu/", f"Sitemap: {base}sitemap.xml"]


def test_a_cached_body_follows_a_changed_base_url_as_a_clean_build_does(tmp_path):
    cache = tmp_path / "cache"
    _linking_site(tmp_path, "https://contoh.example/satu/", cache=cache)
    again = _linking_site(tmp_path, "https://contoh.example/dua/", cache=cache)  # bodies come from the cache
    page = page_file(again, urls.entry("rapat-lanjutan")).read_bytes()
    clean = _linking_site(tmp_path / "bersih", "https://contoh.example/dua/", cache=tmp_path / "c2", clean=True)
    assert page == page_file(clean, urls.entry("rapat-lanjutan")).read_bytes()
    assert b'href="/dua/berita/' in page and b"/satu/" not in page


def test_body_headings_nest_under_the_body_heading_without_skipping():
    html = render_markdown("# Ringkasan\n\nteks\n\n#### Titik rawan\n\n<h2>Tindak lanjut</h2>\n\n### Rincian\n")
    levels = [(h.tag, h.text_content()) for h in lxml.html.fragments_fromstring(html)
              if isinstance(h, lxml.html.HtmlElement) and h.tag.startswith("h")]
    assert levels == [("h3", "Ringkasan"), ("h4", "Titik rawan"), ("h4", "Tindak lanjut"), ("h5", "Rincian")]


def test_json_ld_names_the_digest_as_publisher_and_credits_the_outlet_as_the_source(corpus):
    generated, site, cfg = corpus
    for g in generated[:10]:
        doc = parse(site, urls.entry(g.id))
        article = next(b for b in json_ld(doc) if b["@type"] == "NewsArticle")
        digest = {"@type": "Organization", "name": cfg.title, "url": cfg.base_url}
        assert article["publisher"] == digest and article["author"] == digest  # the summary is the digest's
        source = doc.cssselect("p.source a")[0]  # what the reader sees credited
        based_on = article["isBasedOn"]
        assert based_on["url"] == source.get("href")
        assert based_on["publisher"]["name"] == source.text_content()
        assert based_on["publisher"]["url"] == "https://" + urlsplit(source.get("href")).netloc + "/"


@pytest.fixture(scope="module")
def served_site(tmp_path_factory, browser):
    """The shipped content built and served on 127.0.0.1, as a reader's browser sees it."""
    tmp = tmp_path_factory.mktemp("article")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    with static_server(tmp / "site") as base:
        cfg = make_config(tmp, content, base_url=base, search=False)
        build(cfg)
        yield cfg, browser


# The bottom of the headline and of the summary's first line, in CSS px from the top of the page.
_FIRST_SCREEN = """() => {
  const h1 = document.querySelector('h1').getBoundingClientRect();
  const summary = document.querySelector('p.summary');
  const range = document.createRange();
  range.setStart(summary.firstChild, 0);
  range.setEnd(summary.firstChild, 1);
  return [h1.bottom + scrollY, range.getBoundingClientRect().bottom + scrollY];
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_headline_and_summary_start_on_the_first_screen(served_site, width):
    cfg, browser = served_site
    site = cfg.output
    # The articles whose headlines and datelines take the most room: the hardest to fit.
    articles = sorted(_article_urls(site), key=lambda u: -len(parse(site, u).cssselect("h1")[0].text_content()))
    context = browser.new_context(viewport={"width": width, "height": SCREEN_HEIGHT}, locale="id-ID")
    page = context.new_page()
    try:
        for url in articles[:5]:
            page.goto(cfg.base_url + relative(url))
            h1_bottom, summary_line_bottom = page.evaluate(_FIRST_SCREEN)
            assert h1_bottom <= SCREEN_HEIGHT, (url, h1_bottom)
            assert summary_line_bottom <= SCREEN_HEIGHT, (url, summary_line_bottom)
    finally:
        context.close()
