"""Light pages (issue #16, "Checked by"): readers come on phones, often on thin mobile data. The
heaviest article page with its stylesheets stays under 60 KB, and no page a reader browses needs
JavaScript: only /cari/ (search) loads a script (test_readers checks it is the site's own), and
/admin/ is the editors' CMS, not a reader page. Measured on the shipped content and on a generated
corpus, built as published."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from digest import urls
from digest.build import build
from tests.conftest import ROOT, make_config
from tests.sitetools import page_file, parse, relative

BUDGET = 60 * 1024
SCRIPTED = (urls.SEARCH, urls.ADMIN)  # the only pages allowed a script that runs
JSON_LD = "application/ld+json"  # data for search engines, never run


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("shipped")
    cfg = make_config(tmp, ROOT / "content")
    build(cfg)
    return cfg.output


@pytest.fixture(params=["shipped", "generated"])
def site(request, shipped, corpus) -> Path:
    return shipped if request.param == "shipped" else corpus[1]


def _url_path(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return "/" + rel.removesuffix("index.html")


def _pages(site: Path) -> list[tuple[str, lxml.html.HtmlElement]]:
    paths = [_url_path(site, p) for p in sorted(site.rglob("*.html"))]
    return [(path, parse(site, path)) for path in paths]


def test_the_heaviest_article_with_its_stylesheets_weighs_under_60_kb(site):
    heaviest = max((site / relative(urls.ARTICLES)).glob("*/index.html"), key=lambda p: p.stat().st_size)
    doc = parse(site, _url_path(site, heaviest))
    assert doc.cssselect("article.entry h1") and doc.cssselect("article.entry p.summary")  # a real article
    sheets = doc.xpath("//link[@rel='stylesheet']/@href")
    assert sheets, heaviest
    css = sum(page_file(site, href).stat().st_size for href in sheets)
    total = heaviest.stat().st_size + css
    assert total < BUDGET, f"{_url_path(site, heaviest)}: {heaviest.stat().st_size} B of HTML + {css} B of CSS"


def test_no_page_but_search_and_the_editor_runs_a_script(site):
    pages = _pages(site)
    assert len(pages) > 100 and any(path.startswith(urls.ARTICLES) for path, _ in pages)
    for path, doc in pages:
        if path.startswith(SCRIPTED):
            continue
        scripts = [s for s in doc.iter("script") if s.get("type") != JSON_LD]
        assert not scripts, (path, [lxml.html.tostring(s)[:80] for s in scripts])
        handlers = [(el.tag, name) for el in doc.iter() if isinstance(el.tag, str)
                    for name in el.attrib if name.lower().startswith("on")]
        assert not handlers, (path, handlers)
        assert not [h for h in doc.xpath("//@href") if h.strip().lower().startswith("javascript:")], path
