"""Readers in a real browser: browse by province and stage to an article and its source, on a
phone-sized screen, with no serious accessibility violations."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import expect

from digest import urls
from tests.e2e.conftest import axe_violations, screenshot
from tests.sitetools import relative

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
            page.wait_for_selector(".search-results li")
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
            page.wait_for_selector(".search-results li")
        assert axe_violations(page) == [], path


def test_keyboard_users_can_skip_to_content_and_see_focus(e2e_site, page):
    base, _ = e2e_site
    page.goto(base)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#isi"
    assert page.evaluate("getComputedStyle(document.activeElement).left") != "-999px"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#isi$"))  # the jump lands a moment after the key press


def test_browsing_needs_no_javascript(e2e_site, browser):
    base, _ = e2e_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + relative(urls.province("banten")))
    link = page.locator("ol.entries h3 a").first
    href, headline = link.get_attribute("href"), link.inner_text()
    link.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == urlsplit(urljoin(base, href)).path  # the article, not the listing
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == headline
    context.close()
