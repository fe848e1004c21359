"""schema.org JSON-LD for search engines and link previews: NewsArticle and BreadcrumbList.

An entry is the digest's own summary of another outlet's report: the digest is its author and
publisher, and the outlet's article is credited as the work it is based on (`isBasedOn`), so a
search engine neither takes the digest for the outlet nor the outlet for the digest.

Plain dicts; templates serialise them with Jinja's `tojson`, which escapes <, > and & so the
data can not close its <script> element whatever a title contains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from digest.config import Config

if TYPE_CHECKING:  # templates call these with the site model's views; only its types are needed here
    from digest.site.model import EntryView


def news_article(view: EntryView, config: Config) -> dict[str, Any]:
    """NewsArticle for an entry page (called by entry.html, so the page's context holds the
    entry only as its view and stays cheap to fingerprint)."""
    place = view.regency.name if view.regency else view.province.name
    digest = {"@type": "Organization", "name": config.title, "url": config.base_url}
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": view.title[:110],
        "description": view.summary or view.title,
        "inLanguage": "id",
        "datePublished": (view.published or view.date).isoformat(),  # a day alone when that is all we know
        "dateline": view.dateline or place,
        "contentLocation": {"@type": "Place", "name": f"{place}, {view.province.name}, Indonesia"
                            if view.regency else f"{place}, Indonesia"},
        "about": [view.stage.label, *(e.label for e in view.elections)],
        "mainEntityOfPage": config.absolute(view.url),
        "url": config.absolute(view.url),
        "author": digest,
        "publisher": digest,
    }
    source = _source(view)
    if source:
        article["isBasedOn"] = source
    return article


def _source(view: EntryView) -> dict[str, Any] | None:
    """The outlet's article the entry summarises, with what the entry knows of it."""
    work: dict[str, Any] = {}
    if view.source_url:
        work["url"] = view.source_url
    if view.source_outlet:
        outlet = work["publisher"] = {"@type": "Organization", "name": view.source_outlet}
        if view.source_url:
            parts = urlsplit(view.source_url)
            outlet["url"] = f"{parts.scheme}://{parts.netloc}/"
    if view.source_author:
        work["author"] = {"@type": "Person", "name": view.source_author}
    return {"@type": "NewsArticle", **work} if work else None


def breadcrumbs(trail: tuple[tuple[str | None, str], ...], config: Config) -> dict[str, Any]:
    """BreadcrumbList for a trail of (name, site path), home first; an unnamed step (an entry
    page, whose headline is not part of the site structure) ends the list at its parent."""
    named = [(name, path) for name, path in trail if name is not None]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [{"@type": "ListItem", "position": i, "name": name, "item": config.absolute(path)}
                            for i, (name, path) in enumerate(named, start=1)],
    }
