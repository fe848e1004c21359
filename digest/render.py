"""Site model -> rendered files: Jinja templates for pages, feedgen for feeds.

Templates only loop and format; everything they show is prepared by the site model, and the
only HTML made outside templates is the sanitized Markdown body.
"""

from __future__ import annotations

from typing import Iterator

import jinja2

from digest import formatting
from digest.config import Config
from digest.errors import DigestError, Problem
from digest.feeds import render_feed
from digest.markup import render_markdown
from digest.refdata import RefData
from digest.sitemodel import Page, SiteModel


def output_path(url: str) -> str:
    """Relative file path for a site path: '/a/b/' -> 'a/b/index.html', '/x.xml' -> 'x.xml'."""
    rel = url.lstrip("/")
    return rel + "index.html" if rel.endswith("/") or not rel else rel


class Renderer:
    def __init__(self, config: Config, ref: RefData, preview: bool = False):
        """`preview` (digest serve) shows draft banners and open review fields to editors."""
        self.config = config
        if not config.templates.is_dir():
            raise DigestError(Problem(str(config.templates), 0, "templates folder not found"))
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(config.templates)),
            autoescape=jinja2.select_autoescape(["html", "xml", "opml"], default_for_string=True),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        )
        env.filters.update(tanggal=formatting.long_date, tanggal_pendek=formatting.short_date,
                           bulan_tahun=formatting.month_year, angka=formatting.number, rupiah=formatting.rupiah)
        env.globals.update(site=config, url=self.url, abs_url=config.absolute,
                           stages=list(ref.stages.values()), elections=ref.elections,
                           preview=preview)
        self.env = env

    def url(self, site_path: str) -> str:
        """Link target inside pages: the site path under the base URL's path."""
        return self.config.base_path + site_path.lstrip("/")

    def page(self, page: Page) -> bytes:
        context = dict(page.context, page_url=page.url, feeds=page.feeds)
        if page.template == "entry.html":
            context["body_html"] = render_markdown(page.context["item"].body)
        try:
            return self.env.get_template(page.template).render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            raise DigestError(Problem(str(self.config.templates / (exc.name or page.template)),
                                      exc.lineno, f"template error: {exc.message}")) from None
        except jinja2.TemplateNotFound as exc:
            raise DigestError(Problem(str(self.config.templates / exc.name), 0, "template not found")) from None
        except jinja2.TemplateError as exc:
            raise DigestError(Problem(str(self.config.templates / page.template), 0,
                                      f"template error while rendering {page.url}: {exc}")) from None

    def render(self, model: SiteModel) -> Iterator[tuple[str, bytes]]:
        """Every output file as (relative path, bytes), pages first, then feeds."""
        for page in model.pages:
            yield output_path(page.url), self.page(page)
        for feed in model.feeds:
            rss, atom = render_feed(feed, self.config)
            yield output_path(feed.link.rss), rss
            yield output_path(feed.link.atom), atom
