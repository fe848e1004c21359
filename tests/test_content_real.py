"""The shipped content/ is a real digest: enough entries over every province, election and stage,
each ready to publish with its source, none from an article kept aside for evaluation; and what
`digest ingest` wrote for each is kept, so the README's table of ingest on real articles can be
made again.

The tests marked `shipped_content` check the content the project ships, not the code: they fail
when an editor's change breaks the digest's coverage or publishing rules.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from textwrap import dedent

import pytest

from benchmarks import ingest_real
from digest.content.loader import load_all
from digest.reference.refdata import load
from tests.conftest import ROOT, SHARED

REF = load()
RESERVED = SHARED / "tools" / "reserved_urls.py"
KEPT = ROOT / "benchmarks" / "ingest_real"

# The goals of issue 15 for the shipped digest.
MIN_ENTRIES, MIN_PER_PROVINCE, MIN_PER_ELECTION, MIN_PER_STAGE = 100, 2, 35, 3


@pytest.fixture(scope="module")
def shipped():
    return load_all(ROOT / "content", REF)


@pytest.mark.shipped_content
@pytest.mark.skipif(not RESERVED.exists(), reason="../shared/ reference tools not present")
def test_no_shipped_entry_uses_an_article_reserved_for_evaluation():
    done = subprocess.run([sys.executable, str(RESERVED), "--content", str(ROOT / "content")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.shipped_content
def test_shipped_digest_covers_every_province_election_and_stage(shipped):
    assert len(shipped) >= MIN_ENTRIES
    provinces = Counter(e.province for e in shipped)
    thin = {p.name: provinces[slug] for slug, p in REF.province_by_slug.items() if provinces[slug] < MIN_PER_PROVINCE}
    assert not thin, f"provinces with fewer than {MIN_PER_PROVINCE} entries: {thin}"
    elections = Counter(election for e in shipped for election in e.elections)
    assert {s: elections[s] for s in REF.elections} == {s: max(elections[s], MIN_PER_ELECTION) for s in REF.elections}
    stages = Counter(e.stage for e in shipped)
    assert {s: stages[s] for s in REF.stages} == {s: max(stages[s], MIN_PER_STAGE) for s in REF.stages}


@pytest.mark.shipped_content
def test_every_shipped_entry_is_ready_to_publish_with_its_source(shipped):
    unready = [(e.id, f) for e in shipped for f, bad in (
        ("source.url", not e.source_url), ("source.outlet", not e.source_outlet),
        ("review", bool(e.review)), ("draft", e.draft)) if bad]
    assert not unready


@pytest.mark.shipped_content
def test_every_shipped_entry_keeps_what_ingest_wrote_for_it(shipped):
    result, orphans = ingest_real.score(KEPT, ROOT / "content")
    assert not orphans
    assert {p.stem for p in KEPT.glob("*.yaml")} == {e.id for e in shipped}
    assert result.articles == len(shipped)


def test_ingest_table_tells_right_flagged_silent_and_refused_apart(tmp_path):
    """One kept article with a flagged wrong stage and an unflagged wrong regency, one refused."""
    kept, content = tmp_path / "kept", tmp_path / "content"
    kept.mkdir()
    content.mkdir()
    (kept / "a.yaml").write_text(dedent("""\
        id: 2024-11-26-polres-kawal-logistik
        title: Polres Bogor Kawal Logistik Pilkada
        date: 2024-11-26
        province: Jabar
        regency: Kota Bogor
        election: pilkada-2024
        stage: pemungutan
        agencies: [Polres Bogor]
        source: {url: https://berita.example.id/a}
        review: [stage, source.outlet]
        """), encoding="utf-8")
    (content / "a.md").write_text(dedent("""\
        ---
        title: "Polres Bogor kawal logistik Pilkada"
        date: 2024-11-26
        province: Jawa Barat
        regency: Kabupaten Bogor
        election: pilkada-2024
        stage: logistik
        agencies: [Polres Bogor]
        source: {url: https://berita.example.id/a, outlet: Berita Contoh}
        ---
        Polres Bogor mengawal logistik.
        """), encoding="utf-8")
    (kept / "b.yaml").write_text("refused: 'b.txt: cannot tell the date'\nsource: {url: https://berita.example.id/b}\n",
                                 encoding="utf-8")
    (content / "b.md").write_text((content / "a.md").read_text().replace("/a,", "/b,"), encoding="utf-8")
    result, orphans = ingest_real.score(kept, content)
    assert orphans == [] and result.articles == 2 and result.refused == 1
    assert result.counts["title"] == Counter(right=1, refused=1)  # case and quotes are not facts
    assert result.counts["province"] == Counter(right=1, refused=1)  # "Jabar" is Jawa Barat
    assert result.counts["stage"] == Counter(flagged=1, refused=1)
    assert result.counts["regency"] == Counter({"silently wrong": 1, "refused": 1})
    assert result.counts["source.outlet"] == Counter(flagged=1, refused=1)
    assert result.silent == ["a.yaml: regency: ingest '32.71', editor '32.01'"]
    assert "| regency | 0 | 0 | 1 | 1 |" in result.table().splitlines()


def test_ingest_table_names_a_broken_kept_file_by_its_line(tmp_path, capsys):
    kept, content = tmp_path / "kept", tmp_path / "content"
    kept.mkdir()
    content.mkdir()
    (kept / "a.yaml").write_text("title: Polres Bogor\ntitle: dua kali\n", encoding="utf-8")
    (content / "a.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert ingest_real.main(["--kept", str(kept), "--content", str(content)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{kept / 'a.yaml'}:2") and "title" in err and "\n" not in err
