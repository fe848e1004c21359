"""`digest stats`: the province x stage counts, the empty provinces and the review backlog."""

from __future__ import annotations

from collections import Counter

from digest.reference.refdata import load
from tests.conftest import run_digest
from tests.corpus import edit_entry, write_corpus

REF = load()


def test_stats_table_matches_the_content(tmp_path):
    generated = write_corpus(tmp_path / "c", n=45, provinces=5)
    edit_entry(generated[0].path, review=["date"])
    edit_entry(generated[1].path, review=["title", "regency"], draft=True)
    result = run_digest("stats", "--content", str(tmp_path / "c"))
    assert result.returncode == 0, result.stderr
    expected = Counter((g.province, g.stage) for g in generated)
    stage_order = list(REF.stages)
    rows = {}
    for line in result.stdout.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == len(stage_order) + 2:
            rows[cells[0]] = cells[1:]
    for slug in {g.province for g in generated}:
        name = REF.province_by_slug[slug].name
        counts = [int(c) if c != "·" else 0 for c in rows[name][:-1]]
        assert counts == [expected[(slug, s)] for s in stage_order], name
        assert int(rows[name][-1]) == sum(counts)
    assert int(rows["Jumlah"][-1]) == 45
    empty_line = next(line for line in result.stdout.splitlines() if line.startswith("Provinsi tanpa berita"))
    assert f"({38 - len({g.province for g in generated})})" in empty_line
    assert "Menunggu pemeriksaan (review): 2 berita · draf: 1" in result.stdout
