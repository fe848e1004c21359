"""Saved news pages go through trafilatura: main text plus the page's own metadata."""

from __future__ import annotations

import datetime as dt

from digest.ingest import pipeline
from digest.ingest.source import Input
from digest.reference.refdata import load

PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Polres Wonosobo Kawal Distribusi Logistik Pemilu ke 15 PPK - Warta Dieng</title>
<meta property="og:title" content="Polres Wonosobo Kawal Distribusi Logistik Pemilu ke 15 PPK - Warta Dieng">
<meta property="og:site_name" content="Warta Dieng">
<meta property="article:published_time" content="2024-02-12T15:20:00+07:00">
<meta name="author" content="Rina Kusuma">
<link rel="canonical" href="https://wartadieng.example/berita/2024/02/polres-wonosobo-kawal-logistik">
</head><body>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/politik">Politik</a></li>
<li><a href="/jateng">Jawa Tengah</a></li><li><a href="/jatim">Jawa Timur</a></li></ul></nav>
<header><div class="logo">WARTA DIENG</div><form><input placeholder="Cari berita"></form></header>
<main><article>
<h1>Polres Wonosobo Kawal Distribusi Logistik Pemilu ke 15 PPK</h1>
<p class="byline">Rina Kusuma - Senin, 12 Februari 2024 15:20 WIB</p>
<p>WONOSOBO - Polres Wonosobo mengerahkan 215 personel untuk mengawal distribusi logistik Pemilu 2024 dari gudang KPU Kabupaten Wonosobo ke 15 PPK, Senin (12/2/2024).</p>
<p>Kapolres Wonosobo AKBP Eko Novan Prasetyo mengatakan pengawalan dilakukan sejak dini hari agar seluruh kotak suara tiba tepat waktu.</p>
<p>Baca juga: Bupati Temanggung Tinjau Gudang Logistik KPU</p>
<p>"Kami pastikan surat suara tiba di PPS sebelum hari pemungutan suara," ujarnya.</p>
</article></main>
<aside><h3>Berita Terkait</h3><ul>
<li><a href="/a">KPU Kota Magelang Sortir Surat Suara</a></li>
<li><a href="/b">Polres Purworejo Gelar Apel Kesiapan Pemilu</a></li></ul></aside>
<footer><p>Copyright 2024 Warta Dieng. Redaksi | Pedoman Media Siber | Kontak</p></footer>
</body></html>
"""  # noqa: E501  article text, one line per paragraph


def ingest_page(**options):
    return pipeline.ingest(Input("halaman.html", "", True, PAGE.encode()), ref=load(), **options)


def test_page_metadata_fills_headline_outlet_author_url_and_publication_date():
    meta = ingest_page().meta
    assert meta["title"] == "Polres Wonosobo Kawal Distribusi Logistik Pemilu ke 15 PPK"
    assert meta["source"] == {"outlet": "Warta Dieng",
                              "url": "https://wartadieng.example/berita/2024/02/polres-wonosobo-kawal-logistik",
                              "author": "Rina Kusuma"}
    assert meta["published"] == dt.date(2024, 2, 12) or str(meta["published"]).startswith("2024-02-12")
    assert meta["date"] == dt.date(2024, 2, 12)
    assert "source.url" not in meta["review"] and "title" not in meta["review"]


def test_menus_related_boxes_and_footer_stay_out_of_the_body():
    body = ingest_page().body
    for furniture in ("Beranda", "Cari berita", "Berita Terkait", "Magelang", "Purworejo", "Copyright",
                      "Pedoman Media Siber", "Baca juga", "Temanggung"):
        assert furniture not in body, furniture
    assert body.startswith("WONOSOBO - Polres Wonosobo mengerahkan 215 personel")
    assert body.endswith("sebelum hari pemungutan suara,\" ujarnya.")


def test_the_same_analysis_runs_on_page_text():
    meta = ingest_page().meta
    assert (meta["province"], meta["regency"], meta["stage"]) == ("Jawa Tengah", "Kabupaten Wonosobo", "logistik")
    assert meta["figures"] == {"personnel": 215}
    assert {"name": "Eko Novan Prasetyo", "rank": "AKBP", "role": "Kapolres Wonosobo"} in meta["officials"]


def test_a_page_without_article_text_is_refused():
    import pytest

    from digest.errors import DigestError

    with pytest.raises(DigestError, match="no article text"):
        pipeline.ingest(Input("kosong.html", "", True, b"<html><body><nav>Beranda</nav></body></html>"), ref=load())
