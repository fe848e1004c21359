"""Markdown body -> safe HTML. Raw HTML in bodies passes through nh3's allow-list sanitizer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import nh3

from digest.cache import Shelf, digest
from digest.entry import Entry

if TYPE_CHECKING:
    import markdown

_ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "cite", "q", "small", "mark", "dl", "dt", "dd", "figure", "figcaption",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}

_md: markdown.Markdown | None = None


def _converter() -> markdown.Markdown:
    """One converter per process, made on first use: a build whose bodies are all cached never
    pays for importing python-markdown."""
    global _md
    if _md is None:
        import markdown

        _md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return _md


def render_markdown(text: str) -> str:
    """HTML for an entry body; links get rel=nofollow noopener, scripts and handlers are dropped.

    A level-1 heading in a body would compete with the page headline, so it is shifted down.
    """
    html = _converter().reset().convert(text)
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")


def body_digest(text: str) -> bytes:
    return digest(text.encode("utf-8", "surrogatepass"))


class Bodies:
    """Rendered bodies by the digest of their Markdown: a body is converted once, whatever
    else changes around it (title, neighbours, templates)."""

    def __init__(self, shelf: Shelf | None, digests: dict[str, bytes]):
        """`digests`: entry id -> body digest, as the entry cache recorded them."""
        self.shelf = shelf
        self.digests = digests
        self.fresh: dict[bytes, str] = {}  # converted by this process, for the parent to store

    def html(self, entry: Entry) -> str:
        """The entry's body as HTML; its Markdown is read only when not converted before."""
        key = self.digests.get(entry.id) or body_digest(entry.body)
        found = self.fresh.get(key) or (self.shelf.get(key) if self.shelf else None)
        if found is None:
            found = self.fresh[key] = render_markdown(entry.body)
        return found

    def take_fresh(self) -> dict[bytes, str]:
        """Bodies converted since the last call (workers send them back to be cached)."""
        fresh, self.fresh = self.fresh, {}
        return fresh

    def store(self, fresh: dict[bytes, str]) -> None:
        """Keep converted bodies for later builds."""
        if self.shelf:
            for key, html in fresh.items():
                self.shelf.put(key, html)

    def preload(self, entry_ids: list[str]) -> None:
        """Read the cache shards these bodies are in (before forking, so workers share them)."""
        if self.shelf:
            for entry_id in entry_ids:
                if entry_id in self.digests:
                    self.shelf.get(self.digests[entry_id])
