"""Saved news pages -> main text and page metadata, through trafilatura.

trafilatura is a maintained extractor built for news pages: it finds the article among menus,
related-article boxes and footers, and reads headline, date, site name, author and canonical
URL from the page's meta tags (og:title, article:published_time, og:site_name, <link
rel=canonical>). A hand-written extractor would miss most of the layouts news sites use.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.errors import DigestError, Problem


@dataclass(frozen=True)
class Page:
    text: str
    title: str = ""
    site: str = ""
    author: str = ""
    url: str = ""
    date: str = ""


def extract(name: str, html: bytes | str) -> Page:
    """The article text of a saved page, with its metadata; DigestError when there is none."""
    import trafilatura  # imported here: loading it takes time that .txt input never needs
    from trafilatura.settings import Document

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      include_images=False, deduplicate=False, as_dict=False)
    if not isinstance(doc, Document) or not (text := doc.text or "").strip():  # a dict only with as_dict=True
        raise DigestError(Problem(name, 0, "no article text found in this HTML page"))
    return Page(text=text, title=_strip_site(doc.title or "", doc.sitename or ""), site=doc.sitename or "",
                author=doc.author or "", url=doc.url or "", date=doc.date or "")


def _strip_site(title: str, site: str) -> str:
    """ "Headline - Site Name" -> "Headline"."""
    for sep in (" - ", " | ", " – ", " — "):
        head, _, tail = title.rpartition(sep)
        if head and site and tail.strip().lower() == site.strip().lower():
            return head.strip()
    return title.strip()
