"""The shipped content builds, and agrees with the careful editor's values for the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from digest.build import build
from digest.frontmatter import parse
from digest.loader import load_all
from digest.refdata import load
from tests.conftest import ROOT, SHARED, make_config, run_digest
from tests.sitetools import feed, parse as parse_page

REF = load()


def test_shipped_content_builds_into_a_browsable_site(tmp_path):
    cfg = make_config(tmp_path, ROOT / "content")
    report = build(cfg)
    entries = load_all(ROOT / "content", REF)
    assert report.entries == len(entries) >= 5
    home = parse_page(cfg.output, "/")
    assert home.get("lang") == "id"
    linked = {a.get("href") for a in home.cssselect("ol.entries h3 a")}
    assert linked == {f"/berita/{e.id}/" for e in entries}
    assert len(feed(cfg.output, "/feed.xml").entries) == len(entries)


def test_cli_build_writes_site_and_reports(tmp_path):
    result = run_digest("build", "--output", str(tmp_path / "out"), "--base-url", "https://pemilu.example.org/")
    assert result.returncode == 0, result.stderr
    assert "built" in result.stdout
    rss = feed(tmp_path / "out", "/feed.xml")
    assert rss.feed.link.startswith("https://pemilu.example.org/")


TRUTH = SHARED / "seeds" / "truth.yaml"


@pytest.mark.skipif(not TRUTH.exists(), reason="../shared/ reference data not present")
def test_shipped_entries_carry_the_editors_facts_for_each_seed():
    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    entries = load_all(ROOT / "content", REF)
    assert len(entries) == len(truth)
    for seed in truth.values():
        match = [e for e in entries if e.date.isoformat() == str(seed["date"])
                 and REF.province_by_slug[e.province].name == seed["province"]]
        assert len(match) == 1, seed
        e = match[0]
        assert REF.stages[e.stage].slug in seed["stage"]
        assert seed["election"] in e.elections
        assert REF.regency_by_code[e.regency].name == seed["regency"]
        assert {o.name for o in e.officials} == {o["name"] for o in seed["officials"]}
        if seed.get("personnel"):
            assert e.personnel == seed["personnel"]
        if seed.get("source_url"):
            assert e.source_url == seed["source_url"]
        else:
            assert "source.url" in e.review


@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="../shared/ seeds not present")
def test_shipped_entries_do_not_copy_article_text():
    seeds = " ".join(p.read_text(encoding="utf-8") for p in (SHARED / "seeds").glob("*.txt"))
    seed_words = seeds.split()
    runs = {" ".join(seed_words[i:i + 12]) for i in range(len(seed_words) - 12)}
    for path in (ROOT / "content").glob("*.md"):
        doc = parse(str(path), path.read_text(encoding="utf-8"))
        words = (doc.body + " " + str(doc.meta.get("summary", ""))).split()
        copied = [" ".join(words[i:i + 12]) for i in range(len(words) - 12) if " ".join(words[i:i + 12]) in runs]
        assert not copied, f"{path.name} copies: {copied[0]}"
