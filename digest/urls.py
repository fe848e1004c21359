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
FAVICON = "/favicon.ico"  # where browsers look for an icon when a page names none
ICON_SVG = "/favicon.svg"
ICON_PNG = "/favicon-32.png"
TOUCH_ICON = "/apple-touch-icon.png"  # where iOS looks for a home-screen icon
DATA_CSV = "/data/berita.csv"  # open data: every public entry
DATA_JSON = "/data/berita.json"
ADMIN = "/admin/"  # the browser editor (Decap CMS), when digest.yaml says `cms: true`
CMS_CONFIG = "/admin/config.yml"  # its configuration, which Decap reads from beside the page
ELECTIONS = "/pemilihan/"
REGENCIES = "/kabkota/"
SUBSCRIBE = "/langganan/"
FEED_STYLE = "/umpan.xsl"  # the XSLT stylesheet that shows a feed opened in a browser as a page


def entry(entry_id: str) -> str:
    return f"{ARTICLES}{entry_id}/"


def province(slug: str) -> str:
    return f"{PROVINCES}{slug}/"


def province_stage(province_slug: str, stage_slug: str) -> str:
    return f"{PROVINCES}{province_slug}/{stage_slug}/"


def stage(slug: str) -> str:
    return f"{STAGES}{slug}/"


def election(slug: str) -> str:
    return f"{ELECTIONS}{slug}/"


def regency(slug: str) -> str:
    """A kab/kota's page: regency slugs are unique nationwide, so they need no province."""
    return f"{REGENCIES}{slug}/"


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


def share_image(base: str) -> str:
    """The share image (og:image) of the page at `base` (the home page or a listing's first page,
    an article)."""
    return f"{base}bagikan.png"


def static(name: str) -> str:
    """A file copied from templates/static (style sheet, scripts)."""
    return f"/static/{name}"


def pagefind(name: str) -> str:
    """A file of the search index and its UI, which `digest build` makes."""
    return f"/pagefind/{name}"
