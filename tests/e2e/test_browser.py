"""Readers in a real browser: browse by province and stage to an article and its source, on a
phone-sized screen, with no serious accessibility violations."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.e2e.conftest import axe_violations, screenshot


def test_reader_goes_from_home_to_province_stage_article_and_source(e2e_site, page):
    base, _ = e2e_site
    page.goto(base)
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator("table.counts a", has_text="Banten").first.click()
    assert urlsplit(page.url).path == "/provinsi/banten/"
    page.locator("ul.chips a", has_text="Persiapan").click()
    assert urlsplit(page.url).path == "/provinsi/banten/persiapan/"
    first = page.locator("ol.entries h3 a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    source = page.locator("p.source a")
    assert source.get_attribute("href").startswith("https://")
    assert "noopener" in source.get_attribute("rel")


def test_pages_are_usable_at_360_px_without_horizontal_scrolling(e2e_site, page):
    base, _ = e2e_site
    for path, name in (("", "home"), ("provinsi/", "provinces"), ("tahapan/", "stages"),
                       ("provinsi/banten/", "province"), ("tahapan/kampanye/", "stage"),
                       ("berita/2024-03-19-polda-banten-forkopimda-evaluasi-pemilu/", "article")):
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
        screenshot(page, name)


def test_no_serious_accessibility_violations_on_any_page_kind(e2e_site, page):
    base, _ = e2e_site
    for path in ("", "provinsi/", "provinsi/banten/", "provinsi/banten/persiapan/", "tahapan/",
                 "tahapan/kampanye/", "arsip/", "berita/2024-03-19-polda-banten-forkopimda-evaluasi-pemilu/",
                 "404.html"):
        page.goto(base + path)
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
    page.goto(base + "provinsi/banten/")
    page.locator("ol.entries h3 a").first.click()
    assert page.locator("h1").count() == 1
    context.close()
