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
"""  # noqa: E501  expected output, one line per message


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


ENTRY = """---
title: Polres Kupang amankan rekapitulasi suara
date: 2024-02-20
province: NTT
election: pemilu-2024
stage: rekapitulasi
agencies: [Polres Kupang, KPU Kabupaten Kupang]
source:
  outlet: Pos Kupang
  url: https://kupang.example/berita/rekap
---
Polres Kupang mengawal rapat pleno rekapitulasi tingkat kabupaten.
"""


def _write(folder, files: dict[str, str]):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_strict_makes_what_publishing_needs_errors(tmp_path):
    content = _write(tmp_path / "content", {
        "lengkap.md": ENTRY,
        "review.md": ENTRY.replace("rekap\n", "rekap-2\n").replace("---\nPolres", "review: [date]\n---\nPolres"),
        "tanpa-sumber.md": ENTRY.replace("source:\n  outlet: Pos Kupang\n  url: https://kupang.example/berita/rekap\n",
                                         "").replace("pemilu-2024", "[pemilu-2024]"),
        "draf.md": ENTRY.replace("rekap\n", "rekap-3\n").replace("---\nPolres", "draft: true\n---\nPolres"),
    })
    relaxed = run_digest("check", str(content))
    assert relaxed.returncode == 0, relaxed.stdout
    assert f"{content}/review.md:11:9: warning: waiting for review: date" in relaxed.stdout
    strict = run_digest("check", "--strict", str(content))
    assert strict.returncode == 1
    errors = [line.split(f"{content}/", 1)[1] for line in strict.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "draf.md:11:8: error: is a draft (draft: true): finish it and remove 'draft', or move it out of what is "
        "published",
        "review.md:11:9: error: waiting for review: date",
        "tanpa-sumber.md:1:1: error: source.outlet is missing: every published entry names its source",
        "tanpa-sumber.md:1:1: error: source.url is missing: every published entry names its source",
    ]
    alone = run_digest("check", "--strict", str(content / "lengkap.md"))
    assert alone.returncode == 0, alone.stdout


def test_shipped_content_passes_strict():
    result = run_digest("check", "--strict")
    assert result.returncode == 0, result.stdout


INCOMPLETE = """---
title: Polres Kupang siagakan personel, tanggal belum jelas
date:
province: NTT
election: pemilu-2024
stage:
draft: true
review: [date, stage]
---
Tanggal dan tahapan belum dapat dipastikan dari artikel.
"""


def test_incomplete_draft_is_a_warning_naming_what_is_missing_and_stays_off_every_site(tmp_path):
    content = _write(tmp_path / "content", {"lengkap.md": ENTRY, "belum.md": INCOMPLETE})
    result = run_digest("check", str(content))
    assert result.returncode == 0, result.stdout
    assert (f"{content}/belum.md:7:8: warning: incomplete draft: date, stage still empty; it stays off the site "
            "until filled in") in result.stdout
    assert ": error: " in run_digest("check", "--strict", str(content)).stdout
    for extra in ([], ["--drafts"]):
        site = tmp_path / f"site{len(extra)}"
        built = run_digest("build", "--content", str(content), "--output", str(site), *extra)
        assert built.returncode == 0, built.stderr
        assert "(1 drafts/scheduled left out)" in built.stdout + built.stderr
        assert (site / "berita" / "lengkap" / "index.html").is_file()
        assert not (site / "berita" / "belum").exists()


def test_the_preview_build_leaves_an_incomplete_draft_out(tmp_path):
    """`digest serve` builds with drafts and scheduled entries shown, in preview mode."""
    from digest.build import build
    from tests.conftest import make_config
    content = _write(tmp_path / "content", {"lengkap.md": ENTRY, "belum.md": INCOMPLETE})
    report = build(make_config(tmp_path, content), drafts=True, future=True, preview=True)
    assert (report.entries, report.skipped) == (1, 1)
    assert not (tmp_path / "site" / "berita" / "belum").exists()


def test_an_empty_required_field_outside_a_draft_is_an_error(tmp_path):
    content = _write(tmp_path / "content", {"belum.md": INCOMPLETE.replace("draft: true\n", "")})
    result = run_digest("check", str(content))
    assert result.returncode == 1
    assert f"{content}/belum.md:3:6: error: 'date' is required and empty" in result.stdout
    assert f"{content}/belum.md:6:7: error: 'stage' is required and empty" in result.stdout


def test_many_copies_of_one_event_give_one_warning(tmp_path):
    copies = 400
    content = _write(tmp_path / "content", {
        f"salinan-{i:03d}.md": ENTRY.replace("berita/rekap", f"berita/rekap-{i}").replace(
            "tingkat kabupaten.", f"tingkat kabupaten, laporan ke-{i}.") for i in range(copies)})
    result = run_digest("check", str(content))
    assert result.returncode == 0
    warnings = result.stdout.splitlines()
    assert warnings == [f"{content}/salinan-{copies - 1:03d}.md:1:1: warning: may report the same event as "
                        f"{content}/salinan-000.md, {content}/salinan-001.md, {content}/salinan-002.md and "
                        f"{copies - 4} more: same date, place and agencies"]


def test_troops_sent_to_polling_stations_days_before_voting_are_voting_news(tmp_path):
    """The stage's news runs wider than its official window (stages.yaml): an apel sending TPS
    guards out four days before voting day is no warning; a story dated weeks before still is."""
    apel = ENTRY.replace("date: 2024-02-20", "date: 2024-02-10").replace("stage: rekapitulasi", "stage: pemungutan")
    early = apel.replace("date: 2024-02-10", "date: 2024-01-20").replace("/berita/rekap", "/berita/awal")
    content = _write(tmp_path / "content", {"apel.md": apel, "awal.md": early})
    result = run_digest("check", str(content))
    assert result.returncode == 0
    warnings = [line for line in result.stdout.splitlines() if "outside" in line]
    assert len(warnings) == 1 and "awal.md:3:7:" in warnings[0], result.stdout
    assert "pemilu-2024 2024-02-14 – 2024-02-15, its news 2024-02-04 – 2024-02-15" in warnings[0]
