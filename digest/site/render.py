"""Site model -> rendered files: Jinja templates for pages, feedgen for feeds.

Templates only loop and format; everything they show is prepared by the site model, and the
only HTML made outside templates is the sanitized Markdown body.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import jinja2
import jinja2.bccache
from markupsafe import Markup

from digest import urls
from digest.config import Config
from digest.errors import DigestError, Problem
from digest.output import cache
from digest.reference.refdata import RefData
from digest.site import formatting, opendata, related, shareimage, structured, visuals
from digest.site.feeds import render_feed
from digest.site.markup import Bodies, rebase
from digest.site.model import Feed, Page


def output_path(url: str) -> str:
    """Relative file path for a site path: '/a/b/' -> 'a/b/index.html', '/x.xml' -> 'x.xml'."""
    rel = url.lstrip("/")
    return rel + "index.html" if rel.endswith("/") or not rel else rel


def output_files(job: Page | Feed) -> tuple[str, ...]:
    """The files a page (one) or a feed (RSS, then Atom) is written to."""
    if isinstance(job, Page):
        return (output_path(job.url),)
    return output_path(job.link.rss), output_path(job.link.atom)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache (checksummed, replaced atomically) and, for the
    life of the process, in memory: a build compiles only the templates edited since the last one.
    `fresh` (a clean build) reads none from the cache folder, but keeps what it compiles there;
    what this process compiled itself it still reuses (Jinja checks each against its source), so
    `digest serve` and repeated clean builds in one process compile a template once."""

    _compiled: ClassVar[dict[tuple[bytes, str], bytes]] = {}  # (cache key, bucket key) -> code

    def __init__(self, folder: Path, key: bytes, *, fresh: bool = False):
        self.folder = folder
        self.key = key
        self.fresh = fresh

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._compiled.get((self.key, bucket.key))
        if code is None and not self.fresh:
            code = cache.read(self.folder / bucket.key, self.key)
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the compiled template if the cache has room: a full or read-only cache folder
        costs the next build a compile, never this build its pages."""
        code = bucket.bytecode_to_string()
        self._compiled[self.key, bucket.key] = code
        try:
            cache.write(self.folder / bucket.key, self.key, code)
        except OSError:
            return


class Renderer:
    def __init__(self, config: Config, ref: RefData, preview: bool = False, bodies: Bodies | None = None,
                 compiled: CompiledTemplates | None = None, *, rows: opendata.Rows | None = None):
        """`preview` (digest serve) shows draft banners and open review fields to editors;
        `bodies` converts (or recalls) entry bodies; `compiled` keeps compiled templates; `rows`
        encodes (or recalls) the open data's rows."""
        self.config = config
        self.bodies = bodies or Bodies(None, {})
        self.rows = rows or opendata.Rows(None, {}, config.absolute)
        self._related = related.Chooser()
        self._base_path = config.base_path
        if not config.templates.is_dir():
            raise DigestError(Problem(str(config.templates), 0, "templates folder not found"))
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(config.templates)),
            autoescape=jinja2.select_autoescape(["html", "xml", "xsl", "opml"], default_for_string=True),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            auto_reload=False,  # one build sees one set of templates; no stat per render
            bytecode_cache=compiled,
        )
        env.filters.update(tanggal=formatting.long_date, tanggal_pendek=formatting.short_date,
                           bulan_tahun=formatting.month_year, angka=formatting.number, rupiah=formatting.rupiah)
        env.globals.update(site=config, url=self.url, abs_url=config.absolute, urls=urls,
                           stages=list(ref.stages.values()), elections=ref.elections,
                           stage_timeline=visuals.timeline(ref), preview=preview,
                           timeline_marker=functools.partial(visuals.marker, ref),
                           news_article=functools.partial(structured.news_article, config=config),
                           breadcrumb_list=functools.partial(structured.breadcrumbs, config=config),
                           share_size=(shareimage.WIDTH, shareimage.HEIGHT))
        self.env = env
        painter = shareimage.Painter(config.title, config.description)
        # Outputs made by code, not Jinja: template name -> (maker, the settings it shows).
        self._made: dict[str, tuple[Callable[[dict[str, Any]], bytes], tuple[str, ...]]] = {
            shareimage.CARD: (lambda c: painter.card(c["card"]), (config.title, config.description)),
            shareimage.ICON: (lambda c: painter.icon(c["path"]), ()),
            opendata.CSV: (lambda c: opendata.csv_bytes(c["items"], self.rows), (config.base_url,)),
            opendata.JSON: (lambda c: opendata.json_bytes(c["items"], self.rows, config.title),
                            (config.base_url, config.title)),
        }
        # Every article shows the same timeline and stage key: drawn once per build, not per page.
        for name, macro in (("timeline_bars", "timeline_bars"), ("timeline_key", "stage_key")):
            env.globals[name] = self._draw("_visuals.html", macro, env.globals["stage_timeline"])
        # What each global shows, for deps.TemplateKeys ("site" is followed attribute by attribute;
        # reference data is part of the code key).
        self.global_inputs: dict[str, Any] = {"url": config.base_url, "abs_url": config.base_url, "urls": None,
                                              "stages": None, "elections": None, "stage_timeline": None,
                                              "preview": preview, "news_article": (config.title, config.base_url),
                                              "breadcrumb_list": config.base_url, "timeline_marker": None,
                                              "share_size": None,
                                              "timeline_bars": str(env.globals["timeline_bars"]),
                                              "timeline_key": str(env.globals["timeline_key"])}

    def _draw(self, template: str, macro: str, *args: Any) -> Markup | None:
        """A macro's output, for drawings many pages share; None if the templates cannot make it
        (pages then draw it themselves, and report any template error with its page)."""
        try:
            return Markup(getattr(self.env.get_template(template).module, macro)(*args))
        except (jinja2.TemplateError, AttributeError):
            return None

    def made_key(self, template: str) -> bytes | None:
        """For an output made by code (a share image, open data), the key of what it shows besides
        its context, as deps.TemplateKeys gives a Jinja template's; None for a Jinja template."""
        made = self._made.get(template)
        return None if made is None else cache.digest(repr((template, made[1])).encode())

    def url(self, site_path: str) -> str:
        """Link target inside pages: the site path under the base URL's path."""
        return self._base_path + site_path.lstrip("/")

    def error(self, exc: jinja2.TemplateError, page: Page) -> DigestError:
        """A template problem as the editor should see it: file, line, message."""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return DigestError(Problem(str(self.config.templates / (exc.name or page.template)),
                                       exc.lineno, f"template error: {exc.message}"))
        if isinstance(exc, jinja2.TemplateNotFound):
            return DigestError(Problem(str(self.config.templates / str(exc.name or page.template)), 0,
                                       "template not found"))
        return DigestError(Problem(str(self.config.templates / page.template), 0,
                                   f"template error while rendering {page.url}: {exc}"))

    def prepare(self, pages: list[Page]) -> None:
        """Compile every template the pages use and encode the open data's rows (before forking
        workers, so each compiles none and what is encoded is cached)."""
        for page in pages:
            if page.template in (opendata.CSV, opendata.JSON):
                self.rows.prepare(page.context["items"])
                break
        for template in {p.template: p for p in pages if p.template not in self._made}.values():
            try:
                self.env.get_template(template.template)
            except jinja2.TemplateError as exc:
                raise self.error(exc, template) from None

    def page(self, page: Page) -> bytes:
        made = self._made.get(page.template)
        if made is not None:
            return made[0](page.context)
        context = dict(page.context, page_url=page.url, feeds=page.feeds)
        if page.template == "entry.html":
            context["body_html"] = rebase(self.bodies.html(page.context["item"].entry), self._base_path)
            context["related"] = self._related.choose(page.context["item"], page.context["pool"])
        try:
            return self.env.get_template(page.template).render(context).encode("utf-8")
        except jinja2.TemplateError as exc:
            raise self.error(exc, page) from None

    def feed(self, feed: Feed) -> tuple[bytes, bytes]:
        """(rss_bytes, atom_bytes) for one feed."""
        return render_feed(feed, self.config)
