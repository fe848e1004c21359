"""The shipped content builds, and agrees with the careful editor's values for the seeds."""

from __future__ import annotations

import shutil

import pytest
import yaml

from digest import urls
from digest.build import build
from digest.content.frontmatter import parse
from digest.content.loader import load_all
from digest.reference.refdata import load
from digest.site.model import Views, newest_announced
from tests.conftest import ROOT, SHARED, make_config, run_digest
from tests.sitetools import feed
from tests.sitetools import parse as parse_page

REF = load()


def test_shipped_content_builds_into_a_browsable_site(tmp_path):
    """However many entries ship: each gets its page, home lists the newest page-full, the feed the newest."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cfg = make_config(tmp_path, content)
    report = build(cfg)
    entries = load_all(content, REF)
    assert report.entries == len(entries) >= 5
    for e in entries:
        assert parse_page(cfg.output, urls.entry(e.id)).cssselect("h1")[0].text_content().strip() == e.title
    views = list(map(Views(REF), entries))
    home = parse_page(cfg.output, "/")
    assert home.get("lang") == "id"
    linked = [a.get("href") for a in home.cssselect("ol.entries h3 a")]
    assert linked == [v.url for v in newest_announced(views, cfg.items_per_page)]
    assert len(feed(cfg.output, urls.rss(urls.HOME)).entries) == min(len(entries), cfg.feed_size)


def test_cli_build_writes_site_and_reports(tmp_path):
    result = run_digest("build", "--output", str(tmp_path / "out"), "--base-url", "https://pemilu.example.org/")
    assert result.returncode == 0, result.stderr
    assert "built" in result.stdout
    rss = feed(tmp_path / "out", urls.rss(urls.HOME))
    assert rss.feed.link.startswith("https://pemilu.example.org/")


TRUTH = SHARED / "seeds" / "truth.yaml"


@pytest.mark.skipif(not TRUTH.exists(), reason="../shared/ reference data not present")
def test_shipped_entries_carry_the_editors_facts_for_each_seed():
    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    entries = load_all(ROOT / "content", REF)
    for seed in truth.values():  # the seed's entry: its date, province and (at least) its officials
        match = [e for e in entries if e.date.isoformat() == str(seed["date"])
                 and REF.province_by_slug[e.province].name == seed["province"]
                 and {o.name for o in e.officials} >= {o["name"] for o in seed["officials"]}]
        assert len(match) == 1, seed
        e = match[0]
        assert REF.stages[e.stage].slug in seed["stage"]
        assert seed["election"] in e.elections
        assert REF.regency_by_code[e.regency].name == seed["regency"]
        if seed.get("personnel"):
            assert e.personnel == seed["personnel"]
        assert e.source_url == seed.get("source_url", e.source_url) != ""


@pytest.mark.skipif(not (SHARED / "seeds").exists(), reason="../shared/ seeds not present")
def test_shipped_entries_do_not_copy_article_text():
    """No run of 15 words (longer than a rank, name and full title) of a seed or shared article
    shows up in a summary or body."""
    articles = [*(SHARED / "seeds").glob("*.txt"), *(SHARED / "articles" / "raw").glob("*.txt")]
    runs = set()
    for article in articles:
        words = article.read_text(encoding="utf-8").split()
        runs |= {" ".join(words[i:i + 15]) for i in range(len(words) - 15)}
    for path in (ROOT / "content").glob("*.md"):
        doc = parse(str(path), path.read_text(encoding="utf-8"))
        words = (doc.body + " " + str(doc.meta.get("summary", ""))).split()
        copied = [" ".join(words[i:i + 15]) for i in range(len(words) - 15) if " ".join(words[i:i + 15]) in runs]
        assert not copied, f"{path.name} copies: {copied[0]}"
