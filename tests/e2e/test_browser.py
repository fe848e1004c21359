"""Readers in a real browser: browse by province and stage to an article and its source, on a
phone-sized screen, with no serious accessibility violations."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from digest import urls
from tests.e2e.conftest import axe_violations, screenshot
from tests.sitetools import parse, relative

BANTEN_ARTICLE = "2024-03-19-polda-banten-forkopimda-evaluasi-pemilu"  # a shipped entry


def test_reader_goes_from_home_to_province_stage_article_and_source(e2e_site, page):
    base, _ = e2e_site
    page.goto(base)
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator(f"figure.tilemap a.tile[href$='{urls.province('banten')}']").click()  # a tile of the map
    assert urlsplit(page.url).path == urls.province("banten")
    page.locator("ul.chips a", has_text="Persiapan").click()
    assert urlsplit(page.url).path == urls.province_stage("banten", "persiapan")
    first = page.locator("ol.entries h3 a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    source = page.locator("p.source a")
    assert source.get_attribute("href").startswith("https://")
    assert "noopener" in source.get_attribute("rel")


def test_pages_are_usable_at_360_px_without_horizontal_scrolling(e2e_site, page):
    base, _ = e2e_site
    for path, name in ((urls.HOME, "home"), (urls.PROVINCES, "provinces"), (urls.STAGES, "stages"),
                       (urls.province("banten"), "province"), (urls.stage("kampanye"), "stage"),
                       (urls.entry(BANTEN_ARTICLE), "article"), (urls.SEARCH + "?q=pengamanan", "search")):
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(base + relative(path))
        if path.startswith(urls.SEARCH):
            page.wait_for_selector(".pagefind-ui__result")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
        screenshot(page, name)


def test_no_serious_accessibility_violations_on_any_page_kind(e2e_site, page):
    base, _ = e2e_site
    for path in (urls.HOME, urls.PROVINCES, urls.province("banten"), urls.province_stage("banten", "persiapan"),
                 urls.STAGES, urls.stage("kampanye"), urls.ARCHIVE, urls.entry(BANTEN_ARTICLE), urls.NOT_FOUND,
                 urls.SEARCH + "?q=pengamanan"):
        page.goto(base + relative(path))
        if path.startswith(urls.SEARCH):
            page.wait_for_selector(".pagefind-ui__result")
        assert axe_violations(page) == [], path


def test_keyboard_users_can_skip_to_content_and_see_focus(e2e_site, page):
    base, _ = e2e_site
    page.goto(base)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#isi"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment == "isi"


def test_browsing_needs_no_javascript(e2e_site, browser):
    base, _ = e2e_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + relative(urls.province("banten")))
    page.locator("ol.entries h3 a").first.click()
    assert page.locator("h1").count() == 1
    context.close()


def _search(page, base: str, words: str) -> list[str]:
    """Type into the search page as a reader does; the site paths of the results shown."""
    page.goto(base + relative(urls.SEARCH))
    page.locator(".pagefind-ui__search-input").fill(words)
    page.wait_for_selector(".pagefind-ui__result-link")
    return _results(page)


def _results(page) -> list[str]:
    """Every result of the current search: "load more" until all that the message counts are shown.
    The count is read again each round: while a search settles, the UI may still show the
    message of the one before it."""
    page.wait_for_function("/\\d/.test(document.querySelector('.pagefind-ui__message')?.textContent || '')")
    links = page.locator(".pagefind-ui__result-link")
    more = page.locator(".pagefind-ui__button")  # "Muat lebih banyak hasil"
    for _ in range(300):  # 30 s at most
        total = int(re.search(r"\d+", page.locator(".pagefind-ui__message").inner_text()).group())
        shown = links.count()
        if shown >= total:
            return sorted(urlsplit(a.get_attribute("href")).path for a in links.all())
        if more.count():
            more.click()
            page.wait_for_function("(n) => document.querySelectorAll('.pagefind-ui__result-link').length > n",
                                   arg=shown)
        else:
            page.wait_for_timeout(100)
    raise AssertionError(f"the search shows {shown} results of the {total} its message counts")


def test_search_finds_an_entry_by_a_word_from_it_in_any_form(e2e_site, page):
    base, _ = e2e_site
    batu = urls.entry("2023-10-16-kpu-polres-batu-rakor-pengamanan-pemilu")
    assert batu in _search(page, base, "Syamsuddin")  # the Kapolres named in that entry only
    # Indonesian stemming: the entry says "pengamanan" and "keamanan", the reader types "mengamankan".
    assert batu in _search(page, base, "mengamankan")


def test_search_province_filter_narrows_the_results(e2e_site, page):
    base, cfg = e2e_site
    everything = _search(page, base, "pemilu")
    page.locator(".pagefind-ui__filter-name", has_text="Provinsi").click()
    page.locator(".pagefind-ui__filter-label", has_text="Banten").click()
    page.wait_for_function("(n) => document.querySelectorAll('.pagefind-ui__result-link').length < n",
                           arg=len(everything))
    banten = _results(page)
    assert banten and set(banten) < set(everything)
    for path in banten:  # each result is an article set in Banten
        assert "Banten" in parse(cfg.output, path).cssselect(f"dl.facts a[href*='{urls.PROVINCES}']")[0].text_content()
