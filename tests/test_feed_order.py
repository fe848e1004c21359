"""Subscribers get every new entry: feeds and the home page list entries by when they joined
the digest, so an entry added today about an event of last year tops them; every Atom feed stays
valid RFC 4287 without an outlet, and an empty feed states no made-up date."""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from digest import urls
from tests.conftest import run_digest
from tests.sitetools import feed, listed_entries, parse
from tests.test_feed_validity import atom_schema

ENTRY = """---
title: {title}
date: {date}
{extra}province: Jawa Timur
regency: Kota Batu
election: pemilu-2024
stage: {stage}
source:
  outlet: {outlet}
  url: https://berita.example.id/{name}
---
Polres Batu dan KPU Kota Batu menggelar kegiatan pengamanan tahapan pemilu.
"""


def _write(content: Path, name: str, date: str, *, stage: str = "kampanye", added: str | None = None,
           outlet: str = "Warta Batu") -> None:
    extra = f"added: {added}\n" if added else ""
    text = ENTRY.format(title=f"Polres Batu kawal {name.replace('-', ' ')}", date=date, extra=extra, stage=stage,
                        outlet=outlet, name=name)
    if not outlet:
        text = text.replace("  outlet: \n", "")
    (content / f"{name}.md").write_text(text, encoding="utf-8")


def _build(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    result = run_digest("build", "--content", str(tmp_path / "content"), "--output", str(site), "--no-search",
                        "--quiet")
    assert result.returncode == 0, result.stderr
    return site


def _late_digest(tmp_path: Path) -> Path:
    """Three entries about events of early 2024, written when they happened, and one filed on
    2024-12-02 about a campaign rally of November 2023, without an outlet."""
    content = tmp_path / "content"
    content.mkdir()
    _write(content, "rapat-pleno", "2024-03-05", stage="rekapitulasi")
    _write(content, "apel-tps", "2024-02-12", stage="pemungutan")
    _write(content, "kampanye-akbar", "2024-01-20")
    _write(content, "kampanye-susulan", "2023-11-30", added="2024-12-02", outlet="")
    return _build(tmp_path)


def _day(stamp: str) -> dt.date:
    """The calendar day a feed's date names, in its own zone (WIB), from RSS or Atom text."""
    try:
        return dt.datetime.fromisoformat(stamp).date()
    except ValueError:
        return email.utils.parsedate_to_datetime(stamp).date()


def _ids(parsed) -> list[str]:
    return [urlsplit(e.link).path.strip("/").split("/")[-1] for e in parsed.entries]


def test_a_late_entry_tops_every_feed_it_belongs_to_and_the_home_page(tmp_path):
    site = _late_digest(tmp_path)
    for scope in ("/", urls.province("jawa-timur"), urls.stage("kampanye")):
        for name in ("feed.xml", "atom.xml"):
            assert _ids(feed(site, scope + name))[0] == "kampanye-susulan", scope + name
    latest = parse(site, "/").xpath("//section[@aria-labelledby='terbaru']//ol[contains(@class,'entries')]//h3/a")
    assert urlsplit(latest[0].get("href")).path == urls.entry("kampanye-susulan")
    # Browsing stays chronological: by the event's date, the late story is the oldest.
    assert listed_entries(site, urls.province("jawa-timur"))[-1] == urls.entry("kampanye-susulan")


def test_feed_items_stand_in_the_order_their_dates_state(tmp_path):
    site = _late_digest(tmp_path)
    parsed = feed(site, urls.rss(urls.HOME))
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    assert _day(parsed.entries[0].published) == dt.date(2024, 12, 2)  # announced the day it joined the digest


def test_atom_feeds_are_valid_without_an_outlet(tmp_path):
    site = _late_digest(tmp_path)
    for path in (site / "atom.xml", site / "tahapan" / "kampanye" / "atom.xml"):
        doc = etree.parse(str(path))
        assert atom_schema().validate(doc), atom_schema().error_log
    parsed = feed(site, "/atom.xml")
    late = next(e for e in parsed.entries if e.link.endswith("/kampanye-susulan/"))
    assert "author" not in late and parsed.feed.author == parsed.feed.title  # the digest answers for it


def test_empty_feeds_state_the_digests_last_announcement_not_a_made_up_date(tmp_path):
    site = _late_digest(tmp_path)
    empty = feed(site, urls.atom(urls.province("aceh")))
    assert not empty.entries
    assert _day(empty.feed.updated) == dt.date(2024, 12, 2)
    assert _day(feed(site, urls.rss(urls.province("aceh"))).feed.updated) == dt.date(2024, 12, 2)
