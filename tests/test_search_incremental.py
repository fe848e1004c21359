"""The search index keeps up with edits: an edit makes Pagefind index again only the shard that
holds the edited article, and the incremental site, index included, is byte for byte the site a
clean build makes. Shards are made small here so that a small corpus has several."""

from __future__ import annotations

import json
import os

import pytest

from digest.build import build
from digest.output import search
from tests.conftest import make_config
from tests.corpus import edit_entry, write_corpus
from tests.sitetools import tree_bytes


@pytest.fixture
def sharded(tmp_path, monkeypatch):
    """60 entries in shards of about 8 articles, built once; records the shards Pagefind indexes."""
    monkeypatch.setattr(search, "SHARD_PAGES", 8)
    write_corpus(tmp_path / "content", n=60, provinces=6)
    cfg = make_config(tmp_path, tmp_path / "content")
    indexed: list[str] = []
    real = search._run

    def run(work, folder, pages):
        indexed.append(folder)
        return real(work, folder, pages)

    monkeypatch.setattr(search, "_run", run)
    build(cfg)
    return cfg, indexed


def _shard_pages(site) -> dict[str, int]:
    """Each shard folder /cari/ merges -> how many pages Pagefind says it holds."""
    listed = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    return {shard: json.loads((site / "pagefind" / shard / "pagefind-entry.json").read_text(encoding="utf-8"))
            ["languages"]["id"]["page_count"] for shard in listed}


def _clean(cfg, tmp_path) -> dict[str, bytes]:
    clean = make_config(tmp_path / "clean", cfg.content)
    build(clean, clean=True, cache_dir=tmp_path / "clean" / "cache")
    return tree_bytes(clean.output)


def test_every_article_is_in_exactly_one_shard(sharded):
    cfg, indexed = sharded
    shards = _shard_pages(cfg.output)
    assert len(shards) == search.MAX_SHARDS and sorted(indexed) == sorted(f"pagefind/{s}".rstrip("/") for s in shards)
    assert sum(shards.values()) == len(list((cfg.output / "berita").glob("*/index.html")))
    assert all(shards.values())


def test_an_edit_reindexes_only_its_shard_and_equals_a_clean_build(sharded, tmp_path):
    cfg, indexed = sharded
    before = tree_bytes(cfg.output)
    article = sorted((tmp_path / "content").glob("*.md"))[17]
    edit_entry(article, "\nParagraf koreksi tentang gudang logistik.\n", title="Judul dikoreksi redaksi")
    indexed.clear()
    build(cfg)
    assert len(indexed) == 1  # the edited article's shard alone
    after = tree_bytes(cfg.output)
    changed = {rel for rel in after.keys() | before.keys() if after.get(rel) != before.get(rel)}
    assert {rel.split("/")[1] for rel in changed if rel.startswith("pagefind/")} == {indexed[0].rsplit("/", 1)[1]}
    assert after == _clean(cfg, tmp_path)


def test_adding_and_deleting_articles_keeps_the_index_equal_to_a_clean_build(sharded, tmp_path):
    cfg, indexed = sharded
    files = sorted((tmp_path / "content").glob("*.md"))
    os.unlink(files[3])
    new = tmp_path / "content" / "baru-gudang.md"
    new.write_bytes(files[5].read_bytes())
    edit_entry(new, id="baru-gudang", source={"outlet": "Baru", "url": "https://baru.example/gudang"})
    indexed.clear()
    build(cfg)
    assert 1 <= len(indexed) <= 2  # the shards of the deleted and of the added article
    assert tree_bytes(cfg.output) == _clean(cfg, tmp_path)
