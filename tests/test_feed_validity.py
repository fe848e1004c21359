"""Every feed validates: Atom against RFC 4287's RELAX NG schema, RSS against the RSS 2.0 rules,
with dates carrying a time zone (WIB, +07:00)."""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
from pathlib import Path

import rnc2rng
from lxml import etree

from digest.content.loader import load_all
from digest.reference.refdata import load

REF = load()

SCHEMA = Path(__file__).parent / "schemas" / "atom.rnc"
ATOM = "{http://www.w3.org/2005/Atom}"
WIB = dt.timedelta(hours=7)


@functools.cache
def atom_schema() -> etree.RelaxNG:
    xml = rnc2rng.dumps(rnc2rng.loads(SCHEMA.read_text(encoding="utf-8")))
    xml = xml.replace('xmlns:local=""', "")  # rnc2rng declares the empty namespace, libxml2 refuses it
    return etree.RelaxNG(etree.fromstring(xml.encode()))


def rfc822(text: str) -> dt.datetime:
    when = email.utils.parsedate_to_datetime(text)
    assert when.tzinfo is not None and when.utcoffset() == WIB, text
    return when


def test_the_schema_rejects_a_broken_feed():
    bad = etree.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')
    assert not atom_schema().validate(bad)  # no id, no updated


def scopes(cfg) -> int:
    """Feeds a site has: the whole digest, each province, stage and election, each kab/kota with entries."""
    regencies = {e.regency for e in load_all(cfg.content, REF) if e.regency}
    return 1 + len(REF.provinces) + len(REF.stages) + len(REF.elections) + len(regencies)


def test_every_atom_feed_validates_against_rfc_4287(corpus):
    _, site, cfg = corpus
    feeds = sorted(site.rglob("atom.xml"))
    assert len(feeds) == scopes(cfg)
    for path in feeds:
        doc = etree.parse(str(path))
        assert atom_schema().validate(doc), (path, atom_schema().error_log)
        for stamp in doc.iter(f"{ATOM}updated", f"{ATOM}published"):
            when = dt.datetime.fromisoformat(stamp.text)
            assert when.utcoffset() == WIB, stamp.text


def test_every_rss_feed_follows_rss_2_0(corpus):
    _, site, cfg = corpus
    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) == scopes(cfg)
    for path in feeds:
        rss = etree.parse(str(path)).getroot()
        assert rss.tag == "rss" and rss.get("version") == "2.0"
        channel = rss.find("channel")
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (path, required)
        assert channel.findtext("link").startswith(cfg.base_url)
        items = channel.findall("item")
        guids = [i.findtext("guid") for i in items]
        assert len(set(guids)) == len(guids) and all(guids)
        dates = [rfc822(i.findtext("pubDate")) for i in items]
        if items:
            assert rfc822(channel.findtext("lastBuildDate")) == max(dates)
        for item in items:
            assert item.findtext("title") or item.findtext("description")
            assert item.find("guid").get("isPermaLink") == "false"
