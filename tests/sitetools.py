"""Read a built site the way a browser or feed reader would (parsed, never string-matched)."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import html5lib
import lxml.etree
import lxml.html

from digest import urls
from digest.serve.devserver import PreviewServer  # quiet about a browser that drops a connection


def page_file(site: Path, url_path: str) -> Path:
    """The file serving a site path ('/provinsi/banten/' -> site/provinsi/banten/index.html)."""
    rel = urlsplit(url_path).path.lstrip("/")
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def relative(url_path: str) -> str:
    """A site path as seen from the site's root ('/berita/x/' -> 'berita/x/'), to follow a server's base URL."""
    return url_path.removeprefix("/")


def output_key(url_path: str) -> str:
    """The file serving a site path, relative to the output folder ('/berita/x/' -> 'berita/x/index.html')."""
    return page_file(Path(), url_path).as_posix()


def parse(site: Path, url_path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page_file(site, url_path).read_bytes())


def parse_strict(path: Path) -> None:
    """Raise if html5lib finds a parse error (unclosed tags, bad nesting, stray characters)."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(path.read_bytes())


def listed_entries(site: Path, url_path: str) -> list[str]:
    """Entry paths listed on a paginated listing, following rel=next through every page."""
    found: list[str] = []
    seen_pages = set()
    while url_path and url_path not in seen_pages:
        seen_pages.add(url_path)
        doc = parse(site, url_path)
        found += [urlsplit(a.get("href")).path for a in doc.cssselect("ol.entries h3 a")]
        nxt = doc.cssselect('nav.pager a[rel="next"]')
        url_path = urlsplit(nxt[0].get("href")).path if nxt else None
    return found


def feed(site: Path, url_path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(page_file(site, url_path).read_bytes())
    assert not parsed.bozo, f"{url_path}: {parsed.get('bozo_exception')}"
    return parsed


def sitemap(site: Path) -> list[str]:
    """The page URLs the site's sitemap lists, in its order."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text for loc in lxml.etree.parse(page_file(site, urls.SITEMAP)).findall("s:url/s:loc", ns)]


def tree_bytes(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def json_ld(doc: lxml.html.HtmlElement) -> list[dict]:
    """The page's JSON-LD blocks, parsed. Asserts no '<' (so no '</script>') survives in them
    unescaped, whatever the content says."""
    blocks = doc.xpath("//script[@type='application/ld+json']")
    assert all("<" not in (s.text or "") for s in blocks)
    return [json.loads(s.text) for s in blocks]


def foreign_svg(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """SVG in the page other than the map and timeline the templates draw."""
    drawn = "ancestor::figure[@class='tilemap' or @class='timeline']"
    return [s for s in doc.cssselect("main svg") if not s.xpath(drawn)]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        """No request log in the test output."""


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """`folder` served as a plain static host would serve a built site, on 127.0.0.1 at a free port;
    yields the base URL ('http://127.0.0.1:N/'). The folder may be built after the server starts,
    since the base URL must be known to build it."""
    server = PreviewServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.port}/"
    finally:
        server.shutdown()
        server.server_close()
