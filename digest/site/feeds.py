"""RSS 2.0 and Atom feeds via feedgen, with ids and dates that never depend on the clock.

An item's id is a tag: URI built from the site's host and path and the entry id only, so
editing an entry, or moving the site from http to https, never re-announces it to subscribers.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from digest import __version__, urls
from digest.config import Config
from digest.content.schema import WIB
from digest.site.model import Feed, announced

# Atom needs a date even on a digest with no entries at all: the day the Pemilu 2024 stages
# began, the earliest day the digest can be about. Any other empty feed states the digest's
# newest announcement (Feed.quiet_since).
NO_ENTRIES_YET = dt.datetime(2022, 6, 14, tzinfo=WIB)


def tag_uri(config: Config, site_path: str) -> str:
    """A scheme-independent id (RFC 4151) for a site path: tag:host,2024:/path."""
    parts = urlsplit(config.base_url)
    return f"tag:{parts.hostname},2024:{config.base_path}{site_path.lstrip('/')}"


def item_id(config: Config, entry_id: str) -> str:
    """Stable id of an entry in every feed, from its id and the site's host and path only."""
    return tag_uri(config, urls.entry(entry_id).rstrip("/"))  # no trailing slash: ids published so


def render_feed(feed: Feed, config: Config) -> tuple[bytes, bytes]:
    """(rss_bytes, atom_bytes) for one feed."""
    # Imported here: a build whose feeds did not change never pays for importing feedgen and lxml.
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(tag_uri(config, feed.link.page))
    fg.title(feed.link.title)
    fg.subtitle(config.description or feed.link.title)
    fg.language(config.language)
    fg.generator("digest", __version__)
    page = {"href": config.absolute(feed.link.page), "rel": "alternate", "type": "text/html"}
    # Every feed names the digest as its author, so an item without an outlet is still valid
    # Atom (RFC 4287 4.1.1: an entry with no author takes the feed's).
    fg.author({"name": config.title})
    fg.updated(announced(feed.items[0].entry) if feed.items else feed.quiet_since or NO_ENTRIES_YET)
    for view in reversed(feed.items):  # feedgen prepends: add oldest first to list newest first
        fe = fg.add_entry()
        uid = item_id(config, view.id)
        fe.id(uid)
        fe.guid(uid, permalink=False)
        fe.title(view.title)
        fe.link(href=config.absolute(view.url))
        when = announced(view.entry)
        fe.published(when)
        fe.updated(when)
        fe.summary(view.summary or view.title)
        fe.category([{"term": view.province.slug, "label": view.province.name},
                     {"term": view.stage.slug, "label": view.stage.label}])
        if view.source_outlet:
            fe.author({"name": view.source_outlet})
    # feedgen takes the RSS <link> from the last link given, so the HTML page goes last.
    fg.link([{"href": config.absolute(feed.link.rss), "rel": "self"}, page], replace=True)
    rss = fg.rss_str(pretty=True)
    fg.link([{"href": config.absolute(feed.link.atom), "rel": "self"}, page], replace=True)
    return _styled(rss, config), _styled(fg.atom_str(pretty=True), config)


def _styled(xml: bytes, config: Config) -> bytes:
    """The feed with its stylesheet named after the XML declaration, so a browser shows it as a
    page (same origin, hence a path on the site, not an absolute URL); readers ignore it."""
    declaration, end, rest = xml.partition(b"?>\n")
    href = config.base_path + urls.FEED_STYLE.lstrip("/")
    return b"%s%s<?xml-stylesheet type=\"text/xsl\" href=\"%s\"?>\n%s" % (declaration, end, href.encode(), rest)
