"""The site's URL map: every site path is spelled here and nowhere else.

The site model, the templates (as the `urls` global) and the feeds ask this module, so moving a
kind of page means editing one line. Paths are site paths ("/provinsi/banten/"); the templates'
`url()` puts them under the base URL's path. Changing an existing pattern breaks readers'
bookmarks and search engines' links: the README's URL contract lists them.
"""

from __future__ import annotations

HOME = "/"
PROVINCES = "/provinsi/"
STAGES = "/tahapan/"
ARCHIVE = "/arsip/"
SEARCH = "/cari/"
NOT_FOUND = "/404.html"
OPML = "/feeds.opml"
ROBOTS = "/robots.txt"
SITEMAP = "/sitemap.xml"
ARTICLES = "/berita/"


def entry(entry_id: str) -> str:
    return f"{ARTICLES}{entry_id}/"


def province(slug: str) -> str:
    return f"{PROVINCES}{slug}/"


def province_stage(province_slug: str, stage_slug: str) -> str:
    return f"{PROVINCES}{province_slug}/{stage_slug}/"


def stage(slug: str) -> str:
    return f"{STAGES}{slug}/"


def month(year: int, month_number: int) -> str:
    return f"{ARCHIVE}{year:04d}/{month_number:02d}/"


def listing_page(base: str, number: int) -> str:
    """Page `number` (from 1) of the paginated listing at `base`."""
    return base if number == 1 else f"{base}page/{number}/"


def rss(base: str) -> str:
    """The RSS feed of the page at `base` (a listing or the home page)."""
    return f"{base}feed.xml"


def atom(base: str) -> str:
    return f"{base}atom.xml"


def static(name: str) -> str:
    """A file copied from templates/static (style sheet, scripts)."""
    return f"/static/{name}"


def pagefind(name: str) -> str:
    """A file of the search index and its UI, which `digest build` makes."""
    return f"/pagefind/{name}"
