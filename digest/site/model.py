"""Entries -> site model: which pages and feeds exist, at which URLs, listing which entries.

Nothing here renders HTML. Each Page names a template and the plain data it shows, and the
entry ids it depends on, so a later incremental build can tell which pages an edit touches.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Generic, TypeVar

from digest import urls
from digest.config import Config
from digest.content.entry import Entry
from digest.content.schema import WIB
from digest.reference.refdata import Election, Province, RefData, Regency, Stage
from digest.site import cms, formatting, opendata, related, shareimage, visuals

_T = TypeVar("_T")
HOME = "Beranda"
# Breadcrumbs: (name, site path), home first, the page itself last (its name None on entry pages).
Trail = tuple[tuple["str | None", str], ...]


class Shared(tuple[_T, ...], Generic[_T]):
    """A tuple that many pages show as is (the feed links of a scope, a province's stages):
    fingerprint.py digests it once per build instead of once per page."""


@dataclass(frozen=True)
class Pager:
    """Where a listing page stands among its listing's pages. It names the listing by its base and
    gives neighbours' URLs from it, so what each page keeps (pagestore.py) does not grow with the
    listing's length."""

    base: str  # site path of the listing's first page
    number: int  # from 1
    total: int

    @property
    def first(self) -> str:
        return urls.listing_page(self.base, 1)

    @property
    def prev(self) -> str | None:
        return urls.listing_page(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return urls.listing_page(self.base, self.number + 1) if self.number < self.total else None


@dataclass(frozen=True)
class FeedLink:
    title: str
    page: str  # site path of the HTML page the feed mirrors
    rss: str  # site path of the RSS 2.0 feed
    atom: str  # site path of the Atom feed


@dataclass(frozen=True)
class Subscription:
    """A feed as the subscription page names it: its scope alone ("Jawa Timur"), not the title."""

    name: str
    link: FeedLink


@dataclass(frozen=True)
class FeedGroup:
    heading: str
    feeds: tuple[Subscription, ...]


@dataclass(frozen=True)
class EntryView:
    """An entry with its reference data resolved, as pages show it."""

    entry: Entry
    url: str
    province: Province
    regency: Regency | None
    stage: Stage
    elections: tuple[Election, ...]

    def __getattr__(self, name: str) -> Any:
        """Entry fields read straight through (view.title); guarded so copying and pickling work."""
        if name.startswith("__") or name == "entry":
            raise AttributeError(name)
        return getattr(self.entry, name)


# The Entry fields the site model (and build.is_public) reads. Which pages exist, with which
# context, listing which entries in which order, is a function of these fields, the settings and
# the reference data alone; entries enter a context only as views, each listed in Page.shown or
# Feed.items. So when no entry changed in these fields, only outputs showing an edited entry can
# change (outputs.plan relies on it; tests/test_incremental.py checks both facts, and that the
# model reads exactly these fields). The cache's stored entries take their slots from this list.
STRUCTURE = ("id", "date", "added", "province", "stage", "regency", "elections", "published", "draft")


@dataclass
class Page:
    url: str  # site path: "/provinsi/banten/page/2/" (-> .../index.html) or "/sitemap.xml"
    template: str
    context: dict[str, Any]
    feeds: tuple[FeedLink, ...] = ()
    shown: tuple[EntryView, ...] = ()  # the entries the page shows


@dataclass
class Feed:
    link: FeedLink
    items: list[EntryView]  # newest announced first
    # A feed with no items states when the digest last announced anything (Atom needs a date):
    # never a made-up one. None when the feed has items, which give its date.
    quiet_since: dt.datetime | None = None


@dataclass
class SiteModel:
    pages: list[Page] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)


def _feed_link(title: str, base: str) -> FeedLink:
    return FeedLink(title, base, urls.rss(base), urls.atom(base))


class Views:
    """Entries as pages show them, each tuple of elections made once (the model and the kept
    model, pagestore.py, make views the same way)."""

    def __init__(self, ref: RefData):
        self.ref = ref
        self._elections: dict[tuple[str, ...], tuple[Election, ...]] = {}

    def __call__(self, e: Entry) -> EntryView:
        ref, elections = self.ref, e.elections
        resolved = self._elections.get(elections)
        if resolved is None:
            resolved = self._elections[elections] = tuple(ref.elections[s] for s in elections)
        return EntryView(e, urls.entry(e.id), ref.province_by_slug[e.province],
                         ref.regency_by_code[e.regency] if e.regency else None, ref.stages[e.stage], resolved)


def announced(entry: Entry) -> dt.datetime:
    """When subscribers learn of an entry: the day it joined the digest (`added`, 00:00 WIB) or its
    source's publication time or event day, whichever is latest. Digests are filled in after the
    fact, so an entry added today about last year's event is today's news to a subscriber."""
    seen = entry.published or dt.datetime.combine(entry.date, dt.time(), WIB)
    added = entry.added
    return seen if added is None else max(seen, dt.datetime.combine(added, dt.time(), WIB))


def _announced_key(view: EntryView) -> tuple[dt.datetime, dt.date, str]:
    entry = view.entry
    return (announced(entry), entry.date, entry.id)


def newest_announced(views: Iterable[EntryView], n: int) -> list[EntryView]:
    """The n entries subscribers learnt of last, newest first: what feeds and the home page list."""
    return heapq.nlargest(n, views, key=_announced_key)


class _Builder:
    def __init__(self, entries: list[Entry], config: Config, ref: RefData):
        self.config = config
        self.ref = ref
        self.model = SiteModel()
        newest_first = sorted(entries, key=attrgetter("date", "id"), reverse=True)  # Entry.sort_key, faster
        self.views = list(map(Views(ref), newest_first))
        self.last_announced = max(map(announced, entries), default=None)
        self.site_feed = _feed_link(config.title, urls.HOME)
        self._feeds: dict[str, FeedLink] = {}
        self._page_feeds: dict[tuple[str, ...], Shared[FeedLink]] = {}
        self._regency_feeds: dict[str, list[Subscription]] = defaultdict(list)  # by province slug

    def add(self, url: str, template: str, *, feeds: tuple[FeedLink, ...] = (), shown: Iterable[EntryView] = (),
            trail: Trail = (), **context: Any) -> None:
        """A page; with a `trail`, its breadcrumbs (shown, and given to search engines as JSON-LD by
        the template: the model holds plain data only, cheap to build and fingerprint per page)."""
        key = tuple(f.page for f in feeds)  # one Shared tuple per set of scopes
        page_feeds = self._page_feeds.get(key)
        if page_feeds is None:
            page_feeds = self._page_feeds[key] = Shared((self.site_feed, *feeds))
        if trail:
            context["trail"] = trail
        self.model.pages.append(Page(url, template, context, page_feeds, tuple(shown)))

    def paginated(self, base: str, template: str, views: list[EntryView], *, feeds: tuple[FeedLink, ...] = (),
                  trail: Trail = (), **context: Any) -> None:
        """One listing split into pages of `items_per_page`: base, base/page/2/, ..."""
        per = self.config.items_per_page
        chunks = [views[i:i + per] for i in range(0, len(views), per)] or [[]]
        for n, chunk in enumerate(chunks, start=1):
            url = urls.listing_page(base, n)
            crumbs = trail if n == 1 or not trail else (*trail, (f"Halaman {n}", url))
            pager = Pager(base, n, len(chunks))
            self.add(url, template, feeds=feeds, shown=chunk, trail=crumbs, items=chunk, pager=pager, count=len(views),
                     **context)

    def feed(self, link: FeedLink, views: list[EntryView]) -> None:
        items = newest_announced(views, self.config.feed_size)
        self.model.feeds.append(Feed(link, items, None if items else self.last_announced))

    def build(self) -> SiteModel:
        views, ref = self.views, self.ref
        by_province: dict[str, list[EntryView]] = defaultdict(list)
        by_stage: dict[str, list[EntryView]] = defaultdict(list)
        by_month: dict[tuple[int, int], list[EntryView]] = defaultdict(list)
        by_election: dict[str, list[EntryView]] = defaultdict(list)
        for v in views:  # views are newest first, so every bucket is too
            by_province[v.province.slug].append(v)
            by_stage[v.stage.slug].append(v)
            by_month[(v.entry.date.year, v.entry.date.month)].append(v)
            for election in v.elections:
                by_election[election.slug].append(v)

        province_counts = [(p, len(by_province[p.slug])) for p in ref.provinces]
        stage_counts = [(s, len(by_stage[s.slug])) for s in ref.stages.values()]
        timeline = visuals.timeline(ref, {s.slug: n for s, n in stage_counts})  # on / and /tahapan/
        months = [{"month_date": dt.date(y, m, 1), "url": urls.month(y, m), "count": len(by_month[(y, m)])}
                  for (y, m) in sorted(by_month, reverse=True)]

        self.feed(self.site_feed, views)
        latest = newest_announced(views, self.config.items_per_page)
        self.add(urls.HOME, "index.html", shown=latest, latest=latest, total=len(views),
                 province_counts=province_counts, months=months[:12],
                 tilemap=visuals.tile_map(province_counts), timeline=timeline)
        self._entries(by_province)
        self._provinces(by_province, province_counts)
        self._stages(by_stage, stage_counts, timeline)
        self._elections(by_election)
        self._archive(by_month, months)
        if self.config.search:
            self.add(urls.SEARCH, "search.html", trail=((HOME, urls.HOME), ("Cari", urls.SEARCH)))
        self._subscribe()
        self.add(urls.NOT_FOUND, "404.html")
        self.add(urls.FEED_STYLE, "feed.xsl", months=tuple(self.ref.calendar["months"]))
        self.add(urls.OPML, "feeds.opml", all_feeds=[f.link for f in self.model.feeds])
        self.add(urls.ROBOTS, "robots.txt")
        listed = [p.url for p in self.model.pages if p.url.endswith("/")]
        self.add(urls.SITEMAP, "sitemap.xml", urls=sorted(listed),
                 lastmod={v.url: (e.published.date() if (e := v.entry).published else e.date) for v in views})
        if self.config.cms:  # after the sitemap: the editor is no page for readers or search engines
            self.add(urls.ADMIN, "admin.html", script=cms.script())
            self.add(urls.CMS_CONFIG, "admin_config.yml", text=cms.config_text(self.config, ref))
        self._beside_pages(views)
        return self.model

    def _beside_pages(self, views: list[EntryView]) -> None:
        """The files pages link besides pages and feeds: share images (each HTML page's `share`),
        the icons and the open data files."""
        pages = self.model.pages
        for url, card in list(shareimage.cards(pages)):
            pages.append(Page(url, shareimage.CARD, {"card": card}, shown=(card.item,) if card.item else ()))
        pages += [Page(path, shareimage.ICON, {"path": path}) for path in shareimage.ICON_FILES]
        pages.append(Page(urls.ICON_SVG, "favicon.svg", {"icon": shareimage.ICON_SHAPE}))
        for url, template in ((urls.DATA_CSV, opendata.CSV), (urls.DATA_JSON, opendata.JSON)):
            pages.append(Page(url, template, {"items": views}, shown=tuple(views)))

    def _entries(self, by_province: dict[str, list[EntryView]]) -> None:
        stage_feeds = {s.slug: self._stage_feed(s) for s in self.ref.stages.values()}
        by_place: dict[tuple[str, str], list[EntryView]] = defaultdict(list)  # kab/kota and stage
        for v in self.views:  # newest first, as each province's entries
            if v.regency:
                by_place[(v.regency.code, v.stage.slug)].append(v)
        in_place = {v.entry.id: i for place in by_place.values() for i, v in enumerate(place)}
        for siblings in filter(None, by_province.values()):
            province_feed = self._province_feed(siblings[0].province)
            for i, v in enumerate(siblings):
                newer = siblings[i - 1] if i > 0 else None
                older = siblings[i + 1] if i + 1 < len(siblings) else None
                stage_url = urls.province_stage(v.province.slug, v.stage.slug)
                trail = (*self._province_trail(v.province), (v.stage.label, stage_url),
                         (None, v.url))  # the headline is the template's to show: see STRUCTURE
                place = by_place[(v.regency.code, v.stage.slug)] if v.regency else []
                pool = related.Pool(related.nearest(siblings, i, related.NEARBY, related.WEEK),
                                    related.nearest(place, in_place[v.entry.id], related.SHOWN) if place else ())
                shown = {x.entry.id: x for x in (v, newer, older, *pool.nearby, *pool.same_place) if x}
                self.add(v.url, "entry.html", feeds=(province_feed, stage_feeds[v.stage.slug]),
                         shown=shown.values(), trail=trail, item=v, newer=newer, older=older, pool=pool)

    def _scoped_feed(self, name: str, base: str) -> FeedLink:
        """One FeedLink per scope, shared by every page that links it."""
        if base not in self._feeds:
            self._feeds[base] = _feed_link(f"{self.config.title}: {name}", base)
        return self._feeds[base]

    def _province_feed(self, p: Province) -> FeedLink:
        return self._scoped_feed(p.name, urls.province(p.slug))

    def _stage_feed(self, s: Stage) -> FeedLink:
        return self._scoped_feed(s.label, urls.stage(s.slug))

    @staticmethod
    def _province_trail(p: Province) -> Trail:
        return ((HOME, urls.HOME), ("Provinsi", urls.PROVINCES), (p.name, urls.province(p.slug)))

    def _provinces(self, by_province: dict[str, list[EntryView]], counts: list[tuple[Province, int]]) -> None:
        self.add(urls.PROVINCES, "provinces.html", trail=((HOME, urls.HOME), ("Provinsi", urls.PROVINCES)),
                 counts=counts)
        for p in self.ref.provinces:
            views = by_province[p.slug]
            base = urls.province(p.slug)
            feed = self._province_feed(p)
            self.feed(feed, views)
            per_stage: dict[str, list[EntryView]] = defaultdict(list)
            for v in views:
                per_stage[v.stage.slug].append(v)
            stages = Shared((s, len(per_stage[s.slug]), urls.province_stage(p.slug, s.slug))
                            for s in self.ref.stages.values() if per_stage[s.slug])
            trail = self._province_trail(p)
            regencies = self._regencies(p, views, trail, feed)
            self.paginated(base, "province.html", views, feeds=(feed,), trail=trail, province=p, stages=stages,
                           regencies=regencies)
            for s, _, url in stages:
                self.paginated(url, "province_stage.html", per_stage[s.slug], feeds=(feed, self._stage_feed(s)),
                               trail=(*trail, (s.label, url)), province=p, stage=s)

    def _regencies(self, p: Province, views: list[EntryView], trail: Trail, province_feed: FeedLink
                   ) -> Shared[tuple[Regency, int, str]]:
        """A page and feeds for each kab/kota of a province that has entries; (kab/kota, count,
        URL) of each, by name, for the province page's index."""
        per_regency: dict[Regency, list[EntryView]] = defaultdict(list)
        for v in views:
            if v.regency:
                per_regency[v.regency].append(v)
        found = []
        for r in sorted(per_regency, key=attrgetter("name", "code")):
            listed = per_regency[r]
            base = urls.regency(r.slug)
            feed = self._scoped_feed(r.name, base)
            self.feed(feed, listed)
            self.paginated(base, "regency.html", listed, feeds=(province_feed, feed), trail=(*trail, (r.name, base)),
                           regency=r, province=p)
            found.append((r, len(listed), base))
            self._regency_feeds[p.slug].append(Subscription(r.name, feed))
        return Shared(found)

    def _elections(self, by_election: dict[str, list[EntryView]]) -> None:
        elections_trail = ((HOME, urls.HOME), ("Pemilihan", urls.ELECTIONS))
        counts = [(e, len(by_election[e.slug])) for e in self.ref.elections.values()]
        self.add(urls.ELECTIONS, "elections.html", trail=elections_trail, counts=counts)
        for e in self.ref.elections.values():
            base = urls.election(e.slug)
            feed = self._scoped_feed(e.label, base)
            self.feed(feed, by_election[e.slug])
            self.paginated(base, "election.html", by_election[e.slug], feeds=(feed,),
                           trail=(*elections_trail, (e.label, base)), election=e)

    def _stages(self, by_stage: dict[str, list[EntryView]], counts: list[tuple[Stage, int]],
                timeline: visuals.Timeline) -> None:
        elections = Shared(self.ref.elections.values())
        stages_trail = ((HOME, urls.HOME), ("Tahapan", urls.STAGES))
        self.add(urls.STAGES, "stages.html", trail=stages_trail, elections=list(elections), counts=counts,
                 timeline=timeline)
        for s in self.ref.stages.values():
            views = by_stage[s.slug]
            base = urls.stage(s.slug)
            feed = self._stage_feed(s)
            self.feed(feed, views)
            per_province: dict[str, int] = defaultdict(int)
            for v in views:
                per_province[v.province.slug] += 1
            provinces = Shared((p, per_province[p.slug], urls.province_stage(p.slug, s.slug))
                               for p in self.ref.provinces if per_province[p.slug])
            self.paginated(base, "stage.html", views, feeds=(feed,), trail=(*stages_trail, (s.label, base)),
                           stage=s, provinces=provinces, elections=elections)

    def _subscribe(self) -> None:
        """/langganan/: every feed of the site, grouped by scope; kab/kota by province."""
        ref, feeds = self.ref, self._feeds
        groups = (
            FeedGroup("Seluruh berita", (Subscription(self.config.title, self.site_feed),)),
            FeedGroup("Per pemilihan", tuple(Subscription(e.label, feeds[urls.election(e.slug)])
                                             for e in ref.elections.values())),
            FeedGroup("Per tahapan", tuple(Subscription(s.label, feeds[urls.stage(s.slug)])
                                           for s in ref.stages.values())),
            FeedGroup("Per provinsi", tuple(Subscription(p.name, feeds[urls.province(p.slug)]) for p in ref.provinces)),
        )
        regencies = tuple(FeedGroup(p.name, tuple(self._regency_feeds[p.slug]))
                          for p in ref.provinces if self._regency_feeds[p.slug])
        self.add(urls.SUBSCRIBE, "langganan.html", trail=((HOME, urls.HOME), ("Langganan", urls.SUBSCRIBE)),
                 groups=groups, regencies=regencies)

    def _archive(self, by_month: dict[tuple[int, int], list[EntryView]], months: list[dict[str, Any]]) -> None:
        archive_trail = ((HOME, urls.HOME), ("Arsip", urls.ARCHIVE))
        self.add(urls.ARCHIVE, "archive_index.html", trail=archive_trail, months=months)
        for (y, m), views in by_month.items():
            url, month = urls.month(y, m), dt.date(y, m, 1)
            self.paginated(url, "archive.html", views, trail=(*archive_trail, (formatting.month_year(month), url)),
                           month=month)


def build_model(entries: list[Entry], config: Config, ref: RefData) -> SiteModel:
    """The complete page and feed plan for these (already filtered) entries."""
    return _Builder(entries, config, ref).build()
