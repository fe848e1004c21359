"""Hostile content: each case ends in a clear `path:line` error or a safe render; never a
traceback, never a file written outside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_digest
from tests.sitetools import foreign_svg, json_ld, parse

GOOD = """---
title: Polres Batu gelar rakor pengamanan
date: 2023-10-16
province: Jawa Timur
election: pemilu-2024
stage: persiapan
---
Isi berita.
"""


def _project(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "baik.md").write_text(GOOD, encoding="utf-8")
    for name, data in files.items():
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return content


def build(tmp_path: Path, files: dict[str, bytes | str]):
    content = _project(tmp_path, files)
    result = run_digest("build", "--content", str(content), "--output", str(tmp_path / "site"), "--quiet")
    assert "Traceback" not in result.stderr
    return result


def snapshot(root: Path) -> set[str]:
    """Every file under root except the output, to prove nothing was written elsewhere."""
    return {str(p.relative_to(root)) for p in root.rglob("*") if "site" not in p.relative_to(root).parts}


def fails_with(tmp_path: Path, files: dict[str, bytes | str], expected: str) -> str:
    before = snapshot(tmp_path)
    result = build(tmp_path, files)
    assert result.returncode == 1, result.stderr
    assert expected in result.stderr, result.stderr
    assert not (tmp_path / "site").exists()
    assert snapshot(tmp_path) - before <= {"content", *(f"content/{n}" for n in files), "content/baik.md"}
    return result.stderr


def test_malformed_yaml(tmp_path):
    fails_with(tmp_path, {"x.md": GOOD.replace("stage: persiapan", "stage: [persiapan")},
               "content/x.md:7: invalid YAML")


def test_yaml_tags_that_construct_objects_are_refused(tmp_path):
    marker = tmp_path / "pwned"
    evil = GOOD.replace("stage: persiapan", f"stage: !!python/object/apply:os.system ['touch {marker}']")
    fails_with(tmp_path, {"x.md": evil}, "content/x.md:6: YAML tag")
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n"
    fails_with(tmp_path, {"x.md": bomb}, "YAML aliases (*name) are not allowed")


def test_duplicate_keys(tmp_path):
    fails_with(tmp_path, {"x.md": GOOD.replace("stage: persiapan", "stage: persiapan\nstage: kampanye")},
               "content/x.md:7: duplicate key 'stage' (first at line 6)")


def test_front_matter_never_closed(tmp_path):
    fails_with(tmp_path, {"x.md": GOOD.replace("---\nIsi", "Isi")}, "content/x.md:1: front matter is never closed")


def test_empty_file(tmp_path):
    fails_with(tmp_path, {"x.md": ""}, "content/x.md:1: front matter missing")


def test_binary_file(tmp_path):
    fails_with(tmp_path, {"x.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "content/x.md:1: is a binary file")


def test_non_utf8_file_names_its_line(tmp_path):
    latin1 = GOOD.replace("Isi berita.", "Isi berita Kapolres Batu.\nDipublikasikan: caf\xe9").encode("latin-1")
    fails_with(tmp_path, {"x.md": latin1}, "content/x.md:9: is not valid UTF-8 text")


def test_bom_and_crlf_files_build_normally(tmp_path):
    text = "\ufeff" + GOOD.replace("\n", "\r\n").replace("Polres Batu gelar", "Polres Batu (CRLF) gelar")
    result = build(tmp_path, {"crlf.md": text.encode("utf-8")})
    assert result.returncode == 0, result.stderr
    page = parse(tmp_path / "site", "/berita/crlf/")
    assert page.cssselect("h1")[0].text_content() == "Polres Batu (CRLF) gelar rakor pengamanan"


def test_a_50_mb_file_is_refused_without_reading_it_all(tmp_path):
    big = GOOD + "x" * (50 * 1024 * 1024)
    fails_with(tmp_path, {"big.md": big}, "content/big.md:1: file is 50.0 MB; content files are limited to 2 MB")


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "/etc/passwd", "..", "CON", "a/b", "berita/../../x",
                                    "x" * 200, "index.html"])
def test_ids_that_are_paths_are_refused(tmp_path, bad_id):
    fails_with(tmp_path, {"x.md": GOOD.replace("---\ntitle", f"---\nid: '{bad_id}'\ntitle", 1)},
               "content/x.md:2: id")


def test_file_names_that_are_not_slugs_still_give_safe_ids(tmp_path):
    result = build(tmp_path, {"Berita %2F..evil Nama.md": GOOD, "..%2Fhidden.md": GOOD})
    assert result.returncode == 0, result.stderr
    assert parse(tmp_path / "site", "/berita/berita-2f-evil-nama/").cssselect("h1")
    assert sorted(p.name for p in (tmp_path / "site" / "berita").iterdir()) == ["baik", "berita-2f-evil-nama"]


def test_symlink_out_of_content_is_refused(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD.replace("Isi berita.", "RAHASIA mesin build"), encoding="utf-8")
    content = _project(tmp_path, {})
    os.symlink(secret, content / "link.md")
    result = run_digest("build", "--content", str(content), "--output", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "content/link.md:1: links to a file outside the content folder; refused" in result.stderr


def test_symlinked_folder_out_of_content_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "y.md").write_text(GOOD.replace("Isi berita.", "RAHASIA"), encoding="utf-8")
    content = _project(tmp_path, {})
    os.symlink(outside, content / "sub")
    result = run_digest("build", "--content", str(content), "--output", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / "berita" / "y").exists()
    assert not any(b"RAHASIA" in p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file())


HOSTILE_TEXT = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def test_scripts_and_handlers_in_every_text_field_render_inert(tmp_path):
    front = GOOD.replace("title: Polres Batu gelar rakor pengamanan", f"title: '{HOSTILE_TEXT}'").replace(
        "stage: persiapan", f"stage: persiapan\nsummary: '{HOSTILE_TEXT}'\nagencies: ['{HOSTILE_TEXT}']\n"
                            f"officials: [{{name: '{HOSTILE_TEXT}', rank: '<b>AKBP</b>', role: '\"><svg onload=alert(3)>'}}]\n"
                            f"source: {{outlet: '{HOSTILE_TEXT}', url: 'https://contoh.example/a?b=<x>&c=\"d'}}")
    body = front.replace("Isi berita.", f"{HOSTILE_TEXT}\n\n<a href=\"javascript:alert(4)\">klik</a> "
                                         f"[tautan](javascript:alert(5)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
                                         f"<iframe src=https://evil.example></iframe><style>body{{display:none}}</style>")
    result = build(tmp_path, {"x.md": body})
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for url in ("/berita/x/", "/", "/provinsi/jawa-timur/", "/tahapan/persiapan/"):
        doc = parse(site, url)
        assert not doc.cssselect("main script, main iframe, main style, main img") and not foreign_svg(doc), url
        json_ld(doc)
        for el in doc.iter():
            if isinstance(el.tag, str):
                assert not any(a.lower().startswith("on") for a in el.attrib), (url, el.tag, el.attrib)
                for attr in ("href", "src"):
                    assert not (el.get(attr) or "").strip().lower().startswith(("javascript:", "data:")), url
    article = parse(site, "/berita/x/")
    assert article.cssselect("h1")[0].text_content() == HOSTILE_TEXT


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>", "//evil.example/x",
                                 "JaVaScRiPt:alert(1)", " javascript:alert(1)", "http://"])
def test_unsafe_source_urls_are_errors(tmp_path, url):
    front = GOOD.replace("stage: persiapan", f"stage: persiapan\nsource:\n  url: '{url}'")
    fails_with(tmp_path, {"x.md": front}, "content/x.md:8: source.url")


def test_very_long_and_right_to_left_text_renders(tmp_path):
    long_title = "Pengamanan " * 400
    rtl = "\u202eطلب الأمن\u202c تأمين الانتخابات"
    text = GOOD.replace("title: Polres Batu gelar rakor pengamanan", f"title: '{long_title.strip()} {rtl}'")
    text = text.replace("Isi berita.", ("kata" * 5000 + " ") * 3 + rtl)
    result = build(tmp_path, {"x.md": text})
    assert result.returncode == 0, result.stderr
    h1 = parse(tmp_path / "site", "/berita/x/").cssselect("h1")[0].text_content()
    assert h1 == f"{long_title.strip()} {rtl}"
