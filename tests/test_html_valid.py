"""Every kind of page the build writes is valid HTML with ordered headings: the current Nu HTML
checker (vnu-jar from npm) finds no error, and no heading skips a level.

Page kinds are found, not listed: every built page is grouped by the shape of its URL (a
segment spelt in digest/urls.py stays itself, a province, stage, election or kab/kota slug
becomes its kind, a number `{n}`, anything else `{slug}`), so a kind added later is checked
without touching this file. The largest and the smallest page of each kind go to the checker
(the fullest and the emptiest variant), with an article whose body uses every Markdown form, all
in one run of it.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import lxml.html
import pytest

from digest import urls
from digest.build import build
from digest.reference.refdata import load
from tests.conftest import ROOT, make_config
from tests.sitetools import page_file

SHOWCASE = "contoh-isi-lengkap"
VNU = ROOT / "tests" / "e2e" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REF = load()

# An entry whose body uses what editors may write: headings at any level (a level-1 one too),
# a table, lists, a quote, raw HTML and a link within the site.
BODY_SHOWCASE = """\
# Ringkasan rapat

Rapat membahas pembagian tugas pengamanan di setiap kecamatan.

#### Titik rawan

| Kecamatan | TPS rawan |
| --- | ---: |
| Curug | 12 |
| Walantaka | 7 |

- patroli malam
- pengawalan logistik

> Semua pihak diminta menjaga suasana tetap kondusif.

<p>Catatan <abbr title="Tempat Pemungutan Suara">TPS</abbr> dari <a href="/provinsi/banten/">Banten</a>.</p>

## Tindak lanjut

Lihat juga [berita sebelumnya](/berita/2023-07-26-kpu-polda-banten-koordinasi-pemilu/).
"""


def _url_words() -> set[str]:
    """Every path segment spelt literally in digest/urls.py (its constants and f-strings)."""
    tree = ast.parse(Path(urls.__file__).read_text(encoding="utf-8"))
    spelt = [n.value for n in ast.walk(tree) if isinstance(n, ast.Assign | ast.Return) and n.value]  # not docstrings
    literals = (c.value for v in spelt for c in ast.walk(v) if isinstance(c, ast.Constant) and isinstance(c.value, str))
    return {word for text in literals for word in text.split("/") if word and " " not in word}


SLUG_KINDS = {
    **{r.slug: "{kabkota}" for p in REF.provinces for r in REF.regencies_of(p)},
    **{slug: "{pemilihan}" for slug in REF.elections},
    **{slug: "{tahapan}" for slug in REF.stages},
    **{p.slug: "{provinsi}" for p in REF.provinces},
}


def page_kind(rel: str, words: set[str]) -> str:
    """'provinsi/banten/page/2/index.html' -> 'provinsi/{provinsi}/page/{n}/index.html'."""
    def token(segment: str) -> str:
        if segment in words:
            return segment
        if segment in SLUG_KINDS:
            return SLUG_KINDS[segment]
        return "{n}" if segment.isdigit() else "{slug}"
    *folders, name = rel.split("/")
    return "/".join([*map(token, folders), name])


def samples(site: Path) -> dict[str, list[Path]]:
    """Per page kind, its largest and smallest page."""
    words = _url_words()
    kinds: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith(urls.pagefind("").strip("/")):  # the search index's own files
            kinds[page_kind(rel, words)].append(path)
    return {kind: sorted({max(paths, key=_size), min(paths, key=_size)}) for kind, paths in kinds.items()}


def _size(path: Path) -> tuple[int, str]:
    return path.stat().st_size, path.as_posix()


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped content, plus one entry whose body shows every Markdown form, built as published."""
    tmp = tmp_path_factory.mktemp("valid")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    front = (ROOT / "content" / "2023-07-26-kpu-polda-banten-koordinasi-pemilu.md").read_text(encoding="utf-8")
    front = front.split("---\n")[1].replace("2023-07-26-kpu-polda-banten-koordinasi-pemilu", SHOWCASE)
    front = re.sub(r"url: .*", "url: https://contoh.example/berita/isi-lengkap", front)
    (content / f"{SHOWCASE}.md").write_text(f"---\n{front}---\n{BODY_SHOWCASE}", encoding="utf-8")
    cfg = make_config(tmp, content)
    build(cfg)
    return cfg.output


@pytest.fixture(scope="module")
def sites(shipped_site, corpus) -> list[Path]:
    """The shipped site and the generated 320-entry one."""
    return [shipped_site, corpus[1]]


def test_page_kinds_are_found_from_urls():
    words = _url_words()
    assert page_kind("provinsi/banten/page/2/index.html", words) == "provinsi/{provinsi}/page/{n}/index.html"
    assert page_kind("provinsi/banten/kampanye/index.html", words) == "provinsi/{provinsi}/{tahapan}/index.html"
    assert page_kind("arsip/2024/02/index.html", words) == "arsip/{n}/{n}/index.html"
    assert page_kind("berita/2024-02-14-x/index.html", words) == "berita/{slug}/index.html"
    assert page_kind("404.html", words) == "404.html"


def test_every_page_kind_is_sampled(sites):
    kinds = set().union(*(samples(site) for site in sites))
    expected = {"index.html", "404.html", "berita/{slug}/index.html", "provinsi/index.html",
                "provinsi/{provinsi}/index.html", "provinsi/{provinsi}/page/{n}/index.html",
                "provinsi/{provinsi}/{tahapan}/index.html", "tahapan/index.html", "tahapan/{tahapan}/index.html",
                "tahapan/{tahapan}/page/{n}/index.html", "arsip/index.html", "arsip/{n}/{n}/index.html",
                "cari/index.html"}
    assert expected <= kinds


@pytest.mark.skipif(shutil.which("java") is None or not VNU.exists(),
                    reason="the Nu checker needs java and vnu-jar (npm ci --prefix tests/e2e)")
def test_nu_checker_finds_no_error_on_any_page_kind(sites):
    checked = [path for site in sites for paths in samples(site).values() for path in paths]
    checked.append(page_file(sites[0], urls.entry(SHOWCASE)))  # every Markdown form in one body
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--stdout", "--skip-non-html",
                          *map(str, checked)], capture_output=True, text=True, timeout=600, check=False)
    messages = json.loads(run.stdout)["messages"]
    errors = [f"{m.get('url', '?').removeprefix('file:')}:{m.get('lastLine', 0)}: {m['message']}"
              for m in messages if m["type"] != "info"]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0, run.stderr


def _headings_skip(doc: lxml.html.HtmlElement) -> list[str]:
    """Where a heading is more than one level below the one before it (or the first is no h1)."""
    found, level = [], 0
    for h in doc.xpath("//h1|//h2|//h3|//h4|//h5|//h6"):
        this = int(h.tag[1])
        if this > level + 1:
            found.append(f"{h.sourceline}: h{this} after h{level}" if level else f"{h.sourceline}: h{this} first")
        level = this
    return found


def test_no_page_skips_a_heading_level(sites):
    problems = []
    for site in sites:
        for path in sorted(site.rglob("*.html")):
            doc = lxml.html.fromstring(path.read_bytes())
            problems += [f"{path}:{where}" for where in _headings_skip(doc)]
    assert problems == [], "\n".join(problems[:20])


def test_pages_speak_indonesian_without_english_asides(sites):
    """A foreign term may be marked as such (<i lang="en">feed</i>); a sentence in another
    language, such as "(Search the digest.)", may not stand on a page."""
    for site in sites:
        for paths in samples(site).values():
            for path in paths:
                doc = lxml.html.fromstring(path.read_bytes())
                assert doc.get("lang") == "id", path
                foreign = [el.text_content().strip("() ") for el in doc.xpath("//body//*[@lang]")
                           if not el.get("lang").startswith("id")]
                assert [text for text in foreign if len(text.split()) > 3 or text.endswith(".")] == [], path
