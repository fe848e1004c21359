"""Markdown body -> safe HTML. Raw HTML in bodies passes through nh3's allow-list sanitizer."""

from __future__ import annotations

import markdown
import nh3

_ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "cite", "q", "small", "mark", "dl", "dt", "dd", "figure", "figcaption",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}

_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def render_markdown(text: str) -> str:
    """HTML for an entry body; links get rel=nofollow noopener, scripts and handlers are dropped.

    A level-1 heading in a body would compete with the page headline, so it is shifted down.
    """
    html = _md.reset().convert(text)
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")
