"""A reader who taps "Langganan" and opens a feed on a phone sees a readable Indonesian page
(the feeds' XSLT stylesheet), not raw XML, and can go on to an article from it."""

from __future__ import annotations

from urllib.parse import urlsplit

import feedparser

from digest import urls
from tests.e2e.conftest import axe_violations, screenshot
from tests.sitetools import page_file

# Chromium 156 lays its own notice that XSLT is going away over the top of every styled page; the
# test closes it as a reader would, to reach the page beneath.
CLOSE_XSLT_NOTICE = "document.querySelector('xslt-warning-banner')?.remove()"


def test_footer_leads_to_the_subscription_page_and_a_feed_opens_as_a_readable_page(e2e_site, page):
    base, cfg = e2e_site
    page.goto(base)
    page.locator("footer a", has_text="Langganan").click()
    assert urlsplit(page.url).path == urls.SUBSCRIBE
    assert page.locator("h1").inner_text() == "Langganan berita"
    assert not axe_violations(page)
    screenshot(page, "langganan")
    page.locator("ul.subscriptions a", has_text="RSS").first.click()
    assert urlsplit(page.url).path == urls.rss(urls.HOME)
    parsed = feedparser.parse(page_file(cfg.output, urls.rss(urls.HOME)).read_bytes())
    page.wait_for_selector("h1")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == parsed.feed.title
    assert page.locator("p.banner").inner_text().startswith("Ini umpan berita")
    titles = page.locator("ol.entries h3 a").all_inner_texts()
    assert titles == [e.title for e in parsed.entries] and titles
    screenshot(page, "umpan-rss")
    page.evaluate(CLOSE_XSLT_NOTICE)
    page.locator("ol.entries h3 a").first.click()
    assert page.locator("h1").inner_text() == titles[0]


def test_an_atom_feed_opens_as_a_readable_page_too(e2e_site, page):
    base, cfg = e2e_site
    path = urls.atom(urls.province("banten"))
    page.goto(base + path.lstrip("/"))
    parsed = feedparser.parse(page_file(cfg.output, path).read_bytes())
    assert page.locator("h1").inner_text() == parsed.feed.title
    assert page.locator("ol.entries h3 a").all_inner_texts() == [e.title for e in parsed.entries]
    page.evaluate(CLOSE_XSLT_NOTICE)
    page.locator("p.banner a").click()
    assert urlsplit(page.url).path == urls.SUBSCRIBE
