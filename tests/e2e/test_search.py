"""Search as a reader uses it in a real browser: /cari/ queries the Pagefind index the build made.
Only an article's title, summary and body are searched; each result says when, where and at
which stage, as the site's lists do; it works when the site lives under a sub-path."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest

from digest import urls
from digest.build import build
from digest.output import search
from tests.conftest import ROOT, make_config
from tests.e2e.conftest import screenshot
from tests.sitetools import parse, relative, static_server

BATU = urls.entry("2023-10-16-kpu-polres-batu-rakor-pengamanan-pemilu")  # a shipped entry
WORD = re.compile(r"[a-z]{7,}")


def _wait(page) -> None:
    """Until the search has answered (its status counts results or says there are none)."""
    page.wait_for_function("/\\d|Tidak ada/.test(document.querySelector('.search-status').textContent)")


def _results(page) -> list[str]:
    """Every result of the current search, after "Tampilkan lebih banyak" until the count is shown."""
    _wait(page)
    status = page.locator(".search-status").inner_text()
    total = int(re.search(r"[\d.]+", status).group().replace(".", "")) if re.search(r"\d", status) else 0
    links = page.locator(".search-results li h2 a")
    more = page.locator("button.more")
    while links.count() < total:
        shown = links.count()
        more.click()
        page.wait_for_function("(n) => document.querySelectorAll('.search-results li').length > n", arg=shown)
    assert more.is_hidden()
    return sorted(urlsplit(a.get_attribute("href")).path for a in links.all())


def _search(page, base: str, words: str) -> list[str]:
    page.goto(base + relative(urls.SEARCH) + "?q=" + quote(words))
    return _results(page)


def _articles(site) -> dict[str, dict[str, str]]:
    """Each article's path -> the text of its parts, as the page shows them."""
    found = {}
    for path in sorted((site / relative(urls.ARTICLES)).glob("*/index.html")):
        url = urls.ARTICLES + path.parent.name + "/"
        doc = parse(site, url)
        part = {name: " ".join(e.text_content() for e in doc.cssselect(sel))
                for name, sel in (("title", "h1"), ("summary", "p.summary"), ("body", "div.body"),
                                  ("page", "main article"))}
        found[url] = {k: v.lower() for k, v in part.items()}
    return found


def test_the_fact_list_and_officials_are_not_searched(e2e_site, page):
    _, cfg = e2e_site
    articles = _articles(cfg.output)
    with_heading = [u for u, text in articles.items() if "pejabat" in text["page"]]  # the "Pejabat" section
    found = _search(page, e2e_site[0], "pejabat")
    assert len(with_heading) > len(articles) // 2 > len(found)
    for url in found:  # each result says "pejabat" (or a form of it) in what the reader wrote
        text = articles[url]
        assert "jabat" in text["title"] + text["summary"] + text["body"], url


def test_a_word_only_in_one_article_body_finds_that_article(e2e_site, page):
    base, cfg = e2e_site
    articles = _articles(cfg.output)
    everywhere = Counter(w for text in articles.values() for w in set(WORD.findall(text["page"])))
    url, word = next((u, w) for u, text in articles.items() for w in sorted(set(WORD.findall(text["body"])))
                     if everywhere[w] == 1 and w not in text["title"] + text["summary"])
    assert url in _search(page, base, word)


def test_search_finds_an_entry_by_a_word_from_it_in_any_form(e2e_site, page):
    base, _ = e2e_site
    # Indonesian stemming: the entry says "pengamanan" and "keamanan", the reader types "mengamankan".
    assert BATU in _search(page, base, "mengamankan")


def test_each_result_shows_date_province_and_stage_like_the_site_lists(e2e_site, page):
    base, cfg = e2e_site
    _search(page, base, "pengamanan")
    for item in page.locator(".search-results li").all()[:5]:
        link = item.locator("h2 a").get_attribute("href")
        article = parse(cfg.output, link).cssselect("main article")[0]
        day = article.cssselect("time")[0]  # the event's date, the first the article shows
        shown = item.locator("p.meta")
        assert shown.locator("time").get_attribute("datetime") == day.get("datetime")
        assert shown.locator("time").inner_text() == day.text_content()
        place, stage = (a.get_attribute("href") for a in shown.locator("a").all())
        assert place == article.cssselect("a[data-pagefind-filter^=Provinsi]")[0].get("href")
        assert stage == article.cssselect("a[data-pagefind-filter^=Tahapan]")[0].get("href")
        assert item.locator("mark").count() >= 1  # the matched words are marked in the excerpt
    # The site's own look: its font and its accent-coloured button, not Pagefind's default UI.
    font = page.evaluate("getComputedStyle(document.querySelector('.search-results a')).fontFamily")
    assert font == page.evaluate("getComputedStyle(document.querySelector('header.site')).fontFamily")
    button = page.evaluate("getComputedStyle(document.querySelector('form.search button')).backgroundColor")
    assert button == page.evaluate("getComputedStyle(document.querySelector('.search-results a')).color")
    assert page.locator("[class^=pagefind-ui]").count() == 0


def test_the_first_result_is_on_a_phone_first_screen(e2e_site, page):
    base, _ = e2e_site
    page.set_viewport_size({"width": 360, "height": 800})
    _search(page, base, "pengamanan")
    box = page.locator(".search-results li").first.bounding_box()
    assert box["y"] < 800 - 100, box  # its title and meta line show, not just its top edge
    screenshot(page, "search-results")


def test_search_province_filter_narrows_the_results(e2e_site, page):
    base, cfg = e2e_site
    everything = _search(page, base, "pemilu")
    before = page.locator(".search-status").inner_text()
    page.locator("details.filters summary").click()
    page.locator("select[name=provinsi]").select_option("Banten")
    page.wait_for_function("(s) => document.querySelector('.search-status').textContent !== s", arg=before)
    banten = _results(page)
    assert banten and set(banten) < set(everything)
    assert "provinsi=Banten" in page.url  # the filtered search can be shared as a link
    for path in banten:  # each result is an article set in Banten
        assert parse(cfg.output, path).cssselect("a[data-pagefind-filter^=Provinsi]")[0].text_content() == "Banten"
    page.reload()
    assert _results(page) == banten


@pytest.fixture(scope="module")
def sub_path_sites(tmp_path_factory):
    """The shipped content built for http://host/zqarsip/ with its index in small shards,
    and for http://host/zqsatu/ with one shard, both served: {folder: base URL}."""
    tmp = tmp_path_factory.mktemp("sub")
    root = tmp / "www"
    root.mkdir()
    shutil.copytree(ROOT / "content", tmp / "content")
    with static_server(root) as host:
        for folder, shard_pages in (("zqarsip", 20), ("zqsatu", search.SHARD_PAGES)):
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(search, "SHARD_PAGES", shard_pages)
                cfg = make_config(tmp / folder, tmp / "content", base_url=host + folder + "/")
                build(cfg)
            (root / folder).symlink_to(cfg.output)
        yield {folder: host + folder + "/" for folder in ("zqarsip", "zqsatu")}


def test_search_works_under_a_sub_path(sub_path_sites, page):
    base = sub_path_sites["zqarsip"]
    assert _search(page, base, "zqarsip") == []  # links ride along as filters, which are not searched
    found = _search(page, base, "mengamankan")
    assert BATU.replace("/", "/zqarsip/", 1) in found
    assert all(path.startswith("/zqarsip/berita/") for path in found)
    first = page.locator(".search-results li").first
    assert first.locator("p.meta a").first.get_attribute("href").startswith("/zqarsip/provinsi/")
    title = first.locator("h2 a").inner_text()
    first.locator("h2 a").click()
    assert page.locator("h1").inner_text() == title


def test_an_index_in_shards_finds_what_one_index_finds(sub_path_sites, page):
    sharded, single = sub_path_sites["zqarsip"], sub_path_sites["zqsatu"]
    page.goto(sharded + relative(search.SHARDS))
    assert len(page.evaluate("JSON.parse(document.body.innerText)")) == search.MAX_SHARDS
    for words in ("mengamankan", "logistik", "Syamsuddin", "kotak suara"):
        found = [p.removeprefix("/zqarsip") for p in _search(page, sharded, words)]
        assert found and found == [p.removeprefix("/zqsatu") for p in _search(page, single, words)], words
    page.goto(sharded + relative(urls.SEARCH) + "?q=pemilu&tahapan=Kampanye")
    kampanye = _results(page)
    page.goto(single + relative(urls.SEARCH) + "?q=pemilu&tahapan=Kampanye")
    assert [p.removeprefix("/zqarsip") for p in kampanye] == [p.removeprefix("/zqsatu")
                                                                    for p in _results(page)]


def test_words_typed_while_the_index_loads_are_searched_once_it_has(e2e_site, page):
    """On a slow phone the index takes seconds: the box takes words meanwhile, and keeps them."""
    base, _ = e2e_site
    held = []

    def hold(route) -> None:  # a bound method will not do: Playwright tags its handlers
        held.append(route)

    page.route("**/" + relative(search.SHARDS), hold)  # the index stays on its way
    page.goto(base + relative(urls.SEARCH))
    for _ in range(300):  # up to 15 s for the page to ask for the index
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "/cari/ never asked for the index"
    assert page.locator(".search-status").inner_text() == "Memuat pencarian…"
    page.evaluate("window.stillHere = true")  # gone if Enter reloads the page
    page.fill("#kata", "mengamankan")
    page.press("#kata", "Enter")
    held[0].continue_()
    assert BATU in _results(page)
    assert page.input_value("#kata") == "mengamankan"
    assert page.evaluate("window.stillHere === true")  # searched in place, not sent to the server


def test_the_filters_values_are_fetched_only_when_the_reader_opens_them(e2e_site, page):
    """Every shard's filter files are a phone's largest download before a first search."""
    base, _ = e2e_site
    fetched: list[str] = []
    page.context.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    everything = _search(page, base, "pemilu")
    assert everything and not [path for path in fetched if path.endswith(".pf_filter")]
    page.locator("details.filters summary").click()
    page.wait_for_function("document.querySelectorAll('select[name=provinsi] option').length > 1")
    assert [path for path in fetched if path.endswith(".pf_filter")]
