"""Pelican equivalent of the digest site, for benchmarks/run.py only: article pages, province
(category) and stage (tag) lists paginated by 20, RSS and Atom feeds of the newest 50."""

import os

AUTHOR = "Redaksi"
SITENAME = "Digest Keamanan Pemilu"
SITEURL = "https://digest.example.id"
PATH = os.environ.get("PELICAN_CONTENT", "content")
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
THEME = os.path.join(os.path.dirname(__file__), "theme")
THEME_STATIC_PATHS = []
STATIC_PATHS = []
MARKDOWN = {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.sane_lists": {},
                                  "markdown.extensions.meta": {}}, "output_format": "html"}

ARTICLE_URL = "berita/{slug}/"
ARTICLE_SAVE_AS = "berita/{slug}/index.html"
CATEGORY_URL = "provinsi/{slug}/"
CATEGORY_SAVE_AS = "provinsi/{slug}/index.html"
TAG_URL = "tahapan/{slug}/"
TAG_SAVE_AS = "tahapan/{slug}/index.html"
CATEGORIES_SAVE_AS = "provinsi/index.html"
TAGS_SAVE_AS = "tahapan/index.html"
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = PAGE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "categories", "tags"]

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "category": None, "tag": None}
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"),
                       (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))

FEED_MAX_ITEMS = 50
FEED_ALL_ATOM = "atom.xml"
FEED_ALL_RSS = "feed.xml"
CATEGORY_FEED_ATOM = "provinsi/{slug}/atom.xml"
CATEGORY_FEED_RSS = "provinsi/{slug}/feed.xml"
TAG_FEED_ATOM = "tahapan/{slug}/atom.xml"
TAG_FEED_RSS = "tahapan/{slug}/feed.xml"
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = None
RELATIVE_URLS = False
