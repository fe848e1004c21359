"""Hostile content: each case ends in a clear `path:line` error or a safe render; never a
traceback, never a file written outside the output folder."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from digest import urls
from tests.conftest import commands_cpu, run_digest
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
    page = parse(tmp_path / "site", urls.entry("crlf"))
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
    assert parse(tmp_path / "site", urls.entry("berita-2f-evil-nama")).cssselect("h1")
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
                            f"officials: [{{name: '{HOSTILE_TEXT}', rank: '<b>AKBP</b>', "
                            "role: '\"><svg onload=alert(3)>'}]\n"
                            f"source: {{outlet: '{HOSTILE_TEXT}', url: 'https://contoh.example/a?b=<x>&c=\"d'}}")
    body = front.replace("Isi berita.", f"{HOSTILE_TEXT}\n\n<a href=\"javascript:alert(4)\">klik</a> "
                                         f"[tautan](javascript:alert(5)) [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
                                         f"<iframe src=https://evil.example></iframe><style>body{{display:none}}</style>")
    result = build(tmp_path, {"x.md": body})
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for url in (urls.entry("x"), "/", urls.province("jawa-timur"), urls.stage("persiapan")):
        doc = parse(site, url)
        assert not doc.cssselect("main script, main iframe, main style, main img") and not foreign_svg(doc), url
        json_ld(doc)
        for el in doc.iter():
            if isinstance(el.tag, str):
                assert not any(a.lower().startswith("on") for a in el.attrib), (url, el.tag, el.attrib)
                for attr in ("href", "src"):
                    assert not (el.get(attr) or "").strip().lower().startswith(("javascript:", "data:")), url
    article = parse(site, urls.entry("x"))
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
    h1 = parse(tmp_path / "site", urls.entry("x")).cssselect("h1")[0].text_content()
    assert h1 == f"{long_title.strip()} {rtl}"


# Every hostile case through both `digest check` and `digest build`: exit status 0 or 1, every
# message at a path and line, no internal error or traceback, and the two agree (what check
# passes, build builds; what check refuses, build refuses).

LOCATED = re.compile(r"^\S.*?\.md:\d+(:\d+)?: ")


@dataclass(frozen=True)
class Hostile:
    """One hostile content file (or a setup making one), and what both commands must say about it;
    expected None: the file is accepted and built."""

    id: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    expected: str | None = None
    setup: Callable[[Path], None] | None = None


def _with(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def _extra(lines: str) -> str:
    return _with("stage: persiapan", f"stage: persiapan\n{lines}")


def _fifo(content: Path) -> None:
    os.mkfifo(content / "x.md")


def _symlink_loop(content: Path) -> None:
    os.symlink("y.md", content / "x.md")
    os.symlink("x.md", content / "y.md")


TITLE = "title: Polres Batu gelar rakor pengamanan"
CASES = [
    # dates and times that are no real ones, in any field or key
    Hostile("month-13", {"x.md": _with("date: 2023-10-16", "date: 2024-13-45")},
            "x.md:3: '2024-13-45' is not a real date or time (month must be in 1..12)"),
    Hostile("february-30", {"x.md": _with("date: 2023-10-16", "date: 2024-02-30")},
            "x.md:3: '2024-02-30' is not a real date or time (day is out of range for month)"),
    Hostile("hour-24-minute-61", {"x.md": _extra("published: 2024-02-14 24:61:00")},
            "x.md:7: '2024-02-14 24:61:00' is not a real date or time"),
    Hostile("zone-plus-25", {"x.md": _extra("published: 2024-02-14T10:00:00+25:00")},
            "x.md:7: '2024-02-14T10:00:00+25:00' is not a real date or time (a zone beyond 24 hours)"),
    Hostile("impossible-date-as-key", {"x.md": _extra("2024-13-45: rapat")}, "x.md:7: '2024-13-45' is not a real date"),
    Hostile("impossible-date-in-title", {"x.md": _with(TITLE, "title: 2024-02-30")},
            "x.md:2: '2024-02-30' is not a real date or time"),
    Hostile("real-date-in-title", {"x.md": _with(TITLE, "title: 2024-02-14")},
            "x.md:2: 'title' must be text, not a date: put the value in quotes"),
    Hostile("year-one", {"x.md": _with("date: 2023-10-16", "date: 0001-01-01")},
            "x.md:3: date 0001-01-01 is not a plausible day"),
    # YAML 1.1 numbers that would be published changed
    Hostile("octal-personnel", {"x.md": _extra("figures:\n  personnel: 0350")},
            "x.md:8: 0350 has a leading zero, so YAML reads it as the octal number 232: write 350"),
    Hostile("octal-id", {"x.md": _extra("id: 017")}, "x.md:7: 017 has a leading zero, so YAML reads it as the octal "
                                                     "number 15: write 17, or put text in quotes ('017')"),
    Hostile("base-60-title", {"x.md": _with(TITLE, "title: 1:20")},
            "x.md:2: YAML reads 1:20 as the base-60 number 80: put text in quotes ('1:20')"),
    Hostile("hex-budget", {"x.md": _extra("figures:\n  budget_idr: 0x1F")},
            "x.md:8: YAML reads 0x1F as the hexadecimal number 31: write 31"),
    Hostile("float-title", {"x.md": _with(TITLE, "title: 1.10")}, "x.md:2: YAML reads 1.10 as the number 1.1"),
    Hostile("yes-title", {"x.md": _with(TITLE, "title: yes")},
            "x.md:2: 'title' must be text, not true/false: put the value in quotes"),
    # characters feeds and terminals cannot take
    Hostile("control-in-title", {"x.md": _with(TITLE, 'title: "Polres\\x01 Batu"')},
            "x.md:2: 'title' contains the control character U+0001 at position 7"),
    Hostile("nul-in-summary", {"x.md": _extra('summary: "Rapat\\0 koordinasi"')},
            "x.md:7: 'summary' contains the control character U+0000"),
    Hostile("fffe-in-outlet", {"x.md": _extra('source:\n  outlet: "Radar\\uFFFE"')},
            "x.md:8: 'source.outlet' contains the control character U+FFFE"),
    Hostile("ffff-in-title", {"x.md": _with(TITLE, 'title: "Polres Batu\\uFFFF"')},
            "x.md:2: 'title' contains the control character U+FFFF"),
    Hostile("escape-in-body", {"x.md": GOOD.replace("Isi berita.", "Isi berita.\n\nMerah \x1b[31m sekali")},
            "x.md:10: the body contains the control character U+001B"),
    # empty required values, broken addresses
    Hostile("empty-province", {"x.md": _with("province: Jawa Timur", "province:")},
            "x.md:4: 'province' is required and empty"),
    Hostile("null-province", {"x.md": _with("province: Jawa Timur", "province: null")},
            "x.md:4: 'province' is required and empty"),
    Hostile("empty-election-list", {"x.md": _with("election: pemilu-2024", "election: []")},
            "x.md:5: 'election' is required and empty"),
    Hostile("bracketed-host", {"x.md": _extra("source:\n  url: 'http://[::1'")},
            "x.md:8: source.url 'http://[::1' must be an absolute http(s) address"),
    Hostile("port-out-of-range", {"x.md": _extra("source:\n  url: 'https://berita.example:99999/a'")},
            "x.md:8: source.url 'https://berita.example:99999/a' must be an absolute http(s) address"),
    # numbers past what fits
    Hostile("5000-digit-number", {"x.md": _extra("figures:\n  personnel: " + "9" * 5000)},
            "x.md:8: a number of 5000 digits is too long (at most 30)"),
    Hostile("budget-10-to-400", {"x.md": _extra("figures:\n  budget_idr: 1" + "0" * 400)},
            "x.md:8: a number of 401 digits is too long"),
    Hostile("budget-beyond-any-real-one", {"x.md": _extra("figures:\n  budget_idr: 1" + "0" * 20)},
            "x.md:8: figures.budget_idr 100,000,000,000,000,000,000 is larger than any real figure"),
    # nesting
    Hostile("yaml-nested-998-deep", {"x.md": _extra("topics: " + "[" * 998 + "]" * 998)},
            "x.md:7: 'topics[0]' must be text, not a list"),
    Hostile("deep-value-in-message", {"x.md": _extra("draft: " + "[" * 998 + "]" * 998)},
            "x.md:7: 'draft' must be true or false, not '[[[...]]]'"),
    Hostile("markdown-list-250-deep", {"x.md": GOOD.replace("Isi berita.", "".join(
        "    " * i + "- butir\n" for i in range(250)))}, "x.md:8: the body's Markdown is nested too deeply"),
    Hostile("markdown-500-definitions", {"x.md": GOOD.replace("Isi berita.", "".join(
        f"Istilah {i}\n: Penjelasan {i}\n\n" for i in range(500)))}),
    Hostile("markdown-500-definitions-run-together", {"x.md": GOOD.replace("Isi berita.", "".join(
        f"Istilah {i}\n: Penjelasan {i}\n" for i in range(500)))}, "x.md:8: the body's Markdown is nested too deeply"),
    # files that are not what they seem
    Hostile("fifo", setup=_fifo, expected="x.md:1: is a FIFO, not a regular file; refused without reading it"),
    Hostile("symlink-loop", setup=_symlink_loop, expected="x.md:1: is a symlink loop"),
    # values quoted in messages: escaped, one line, shortened
    Hostile("newline-and-escape-in-key", {"x.md": _extra('"tahap\\n::error::palsu\\e[31m": 1')},
            "x.md:7: unknown key 'tahap\\n::error::palsu\\x1b[31m'"),
    Hostile("newline-in-file-name", {"a\n::error::b.md": _with("stage: persiapan", "stage: kampnye")},
            "a\\n::error::b.md:6: stage 'kampnye' is unknown"),
    Hostile("very-long-value", {"x.md": _with("stage: persiapan", "stage: kampanye" + "x" * 5000)},
            "x.md:6: stage 'kampanye" + "x" * 71 + "…' is unknown"),
]


def both(tmp_path: Path, case: Hostile) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """`digest check` and `digest build` on the good entry plus the case, with every promise
    both must keep asserted."""
    content = _project(tmp_path, case.files)
    if case.setup:
        case.setup(content)
    checked = run_digest("check", str(content))
    built = run_digest("build", "--content", str(content), "--output", str(tmp_path / "site"), "--quiet")
    for result in (checked, built):
        assert result.returncode in (0, 1), result.stderr
        out = result.stdout + result.stderr
        assert "internal error" not in out and "Traceback" not in out, out
        messages = [line for line in out.splitlines() if line and not line.startswith(("checked ", "build failed"))]
        assert all(LOCATED.match(line) for line in messages), messages
        assert not any(ch in line for line in messages for ch in "\x1b\r\x00"), messages
    check_errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert bool(check_errors) == (built.returncode == 1), (checked.stdout, built.stderr)
    return checked, built


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case_through_check_and_build(tmp_path, case):
    checked, built = both(tmp_path, case)
    if case.expected is None:
        assert checked.returncode == 0 and built.returncode == 0, (checked.stdout, built.stderr)
        assert parse(tmp_path / "site", urls.entry("x")).cssselect("h1")
    else:
        place, message = case.expected.split(": ", 1)
        assert f"{place}:" in checked.stdout and f": error: {message}" in checked.stdout, checked.stdout
        assert case.expected in built.stderr, built.stderr
        assert not (tmp_path / "site").exists()


PATHOLOGICAL = {"brackets": "[" * 50000, "link-openers": "[a](" * 20000, "tag-openers": "<a " * 30000,
                "autolink-openers": "<http://" * 20000}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_markdown_fails_within_seconds_in_check_and_build(tmp_path, name):
    start = commands_cpu()
    checked, built = both(tmp_path, Hostile(name, {"x.md": GOOD.replace("Isi berita.", PATHOLOGICAL[name])}))
    assert commands_cpu() - start < 15  # python-markdown alone takes minutes to hours on these
    for out in (checked.stdout, built.stderr):
        assert "x.md:8:" in out and "the body's Markdown takes more than 2 s to convert" in out, out


def test_an_unreadable_folder_is_an_error_in_check_and_build(tmp_path, monkeypatch, capsys):
    """As root (CI) permissions do not stop reading, so the folder's listing is made to fail."""
    from digest import cli
    content = _project(tmp_path, {"rahasia/y.md": GOOD})
    listing = os.scandir

    def scandir(path):
        if str(path).endswith("rahasia"):
            raise PermissionError(13, "Permission denied")
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert cli.main(["check", str(content)]) == 1
    assert f"{content}/rahasia:1:1: error: folder cannot be read (Permission denied)" in capsys.readouterr().out
    assert cli.main(["build", "--content", str(content), "--output", str(tmp_path / "site"), "--quiet"]) == 1
    assert f"{content}/rahasia:1: folder cannot be read (Permission denied)" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_the_markdown_budget_holds_in_the_preview_servers_watcher_thread(monkeypatch):
    """`digest serve` rebuilds in a thread, where no timer signal can be used: the budget is
    raised into the thread instead, and a budget that runs out just as a body finishes must not
    leave an exception behind to strike later."""
    import threading

    from digest.site import markup
    outcomes: list[str] = []

    def watcher() -> None:
        start = time.monotonic()
        try:
            markup.render_markdown(PATHOLOGICAL["brackets"])
        except markup.BodyError as exc:  # refused once the budget ran out, long before the minutes it would take
            took = time.monotonic() - start
            outcomes.append(f"refused: {exc}" if markup.SECONDS_PER_BODY <= took < 20 else f"took {took:.1f} s")
        monkeypatch.setattr(markup, "SECONDS_PER_BODY", 0.002)  # expires at every moment of a conversion
        for i in range(300):
            with contextlib.suppress(markup.BodyError):
                markup.render_markdown(f"Polres Batu *amankan* {i} TPS.\n\n- satu\n- dua\n")
        outcomes.append(f"after: {sum(range(200_000))}")

    thread = threading.Thread(target=watcher)
    thread.start()
    thread.join(timeout=60)
    assert outcomes == ["refused: the body's Markdown takes more than 2 s to convert (runs of unclosed "
                        "brackets, links or tags?); simplify it", f"after: {sum(range(200_000))}"]
