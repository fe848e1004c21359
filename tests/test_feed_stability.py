"""Subscribers never see an unchanged entry twice: its feed id survives edits of other entries,
renames and moves of its file, and a change of the site's URL scheme."""

from __future__ import annotations

from digest import urls
from digest.build import build
from tests.conftest import make_config
from tests.corpus import edit_entry, write_corpus
from tests.sitetools import feed


def _ids(cfg) -> dict[str, str]:
    """Entry path -> item id, from both feed formats (which must agree)."""
    atom = {e.link.split(urls.ARTICLES)[1]: e.id for e in feed(cfg.output, "/atom.xml").entries}
    rss = {e.link.split(urls.ARTICLES)[1]: e.id for e in feed(cfg.output, urls.rss(urls.HOME)).entries}
    assert atom == rss
    return atom


def test_ids_survive_renames_moves_scheme_changes_and_other_edits(tmp_path):
    generated = write_corpus(tmp_path / "content", n=40)
    cfg = make_config(tmp_path, tmp_path / "content", base_url="http://pemilu.example.org/")
    build(cfg)
    before = _ids(cfg)
    assert len(before) == 40
    generated[3].path.rename(tmp_path / "content" / "nama-berkas-baru.md")
    (tmp_path / "content" / "2024" / "02").mkdir(parents=True)
    generated[4].path.rename(tmp_path / "content" / "2024" / "02" / generated[4].path.name)
    edit_entry(generated[5].path, "\nKoreksi redaksi.\n", title="Judul dikoreksi", summary="Ringkasan baru.")
    https = make_config(tmp_path, tmp_path / "content", base_url="https://pemilu.example.org/")
    build(https)
    after = _ids(https)
    assert after == before


def test_ids_differ_between_sites_and_entries(tmp_path):
    write_corpus(tmp_path / "content", n=5)
    one = make_config(tmp_path / "a", tmp_path / "content", base_url="https://satu.example.org/")
    two = make_config(tmp_path / "b", tmp_path / "content", base_url="https://dua.example.org/")
    build(one)
    build(two)
    ids_one, ids_two = _ids(one), _ids(two)
    assert len(set(ids_one.values())) == 5
    assert not set(ids_one.values()) & set(ids_two.values())
