"""`digest check`: one broken entry per error kind gives exactly the expected lines and status."""

from __future__ import annotations

import json

from tests.conftest import ROOT, run_digest

FIXTURES = "tests/fixtures/check"

EXPECTED = f"""\
{FIXTURES}/bad-figure.md:8:14: error: figures.personnel must be a whole number without separators (4174, not '4.174'), got '4.174 personel'
{FIXTURES}/bad-yaml.md:2:17: error: invalid YAML: mapping values are not allowed in this context
{FIXTURES}/dup-id-b.md:1:1: error: id 'rakor-kpu-batu' is already used by {FIXTURES}/dup-id-a.md
{FIXTURES}/missing-title.md:1:1: error: 'title' is missing
{FIXTURES}/near-dup-b.md:1:1: warning: may report the same event as {FIXTURES}/near-dup-a.md: near-identical text, 78% shared
{FIXTURES}/open-review.md:7:9: warning: waiting for review: date, regency
{FIXTURES}/out-of-window.md:3:7: warning: date 2024-03-05 is outside the 'kampanye' window (pemilu-2024 2023-11-28 – 2024-02-10)
{FIXTURES}/regency-elsewhere.md:6:10: error: regency 'Kota Serang' is not in Jawa Timur (it lies in Banten)
{FIXTURES}/same-event-b.md:1:1: warning: may report the same event as {FIXTURES}/same-event-a.md: same date, place and agencies
{FIXTURES}/same-url-b.md:1:1: error: source.url is the same as in {FIXTURES}/same-url-a.md
{FIXTURES}/unknown-key.md:7:10: error: unknown key 'tahapan' (did you mean 'stage'?)
{FIXTURES}/unknown-province.md:4:11: error: province 'Jawa Timr' is unknown (did you mean 'Jawa Timur'?)
{FIXTURES}/unknown-regency.md:6:10: error: regency 'Kabupaten Malangg' is unknown in Jawa Timur (did you mean 'Kabupaten Malang'?)
{FIXTURES}/unknown-stage.md:6:8: error: stage 'pemungtan' is unknown (did you mean 'pemungutan'?)
"""


def test_each_error_kind_gives_exactly_its_line():
    result = run_digest("check", FIXTURES)
    assert result.returncode == 1
    assert result.stdout == EXPECTED
    assert result.stderr.strip() == "checked 18 files: 10 errors, 4 warnings"


def test_json_format_carries_the_same_problems():
    result = run_digest("check", "--format", "json", FIXTURES)
    data = json.loads(result.stdout)
    assert (data["files"], data["errors"], data["warnings"]) == (18, 10, 4)
    lines = [f"{p['path']}:{p['line']}:{p['col']}: {p['severity']}: {p['message']}" for p in data["problems"]]
    assert "\n".join(lines) + "\n" == EXPECTED


def test_warnings_alone_do_not_fail(tmp_path):
    for name in ("open-review.md", "out-of-window.md", "same-event-a.md", "same-event-b.md"):
        (tmp_path / name).write_text((ROOT / FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = run_digest("check", str(tmp_path))
    assert result.returncode == 0
    assert result.stdout.count(": warning: ") == 3


def test_shipped_content_has_no_errors():
    result = run_digest("check")
    assert result.returncode == 0, result.stdout
