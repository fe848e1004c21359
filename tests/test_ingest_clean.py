"""Ingest keeps the article and drops what a careful editor strips from a copied news page."""

from __future__ import annotations

from textwrap import dedent

import pytest

from digest.ingest.clean import clean, find_dateline
from digest.ingest.gazetteer import gazetteer
from digest.reference.refdata import load
from tests.conftest import ingest_text as entry

GAZ = gazetteer(load())

PAGE = """
    RADARKUDUS

    Polres Kudus Gelar Rakor Pengamanan Pemilu 2024

    Rina Astuti - RADARKUDUS.ID

    Selasa, 14 November 2023 | 10:15 WIB

    12

    KUDUS - Polres Kudus menggelar rapat koordinasi pengamanan Pemilu 2024 bersama KPU dan Bawaslu Kabupaten Kudus di aula Mapolres, Senin (13/11/2023).

    Baca juga: Ratusan Surat Suara di Jepara Rusak Saat Sortir

    Kapolres Kudus AKBP Ronni Bonic mengatakan rakor membahas pemetaan TPS rawan di sembilan kecamatan.

    BACA: Bupati Pati Tinjau Gudang Logistik KPU

    Simak juga: Debat Cabup Demak Berlangsung Panas

    "Kami siapkan 450 personel untuk mengamankan seluruh tahapan," ujarnya. (rin/ams)

    Cek Berita dan Artikel yang lain di Google News

    Penulis: Rina Astuti
    Editor: Ahmad Sulthon

    Tinggalkan Komentar

    Alamat email anda tidak akan disiarkan. Kolom yang wajib ditandai *
"""  # noqa: E501  article text, one line per paragraph


def test_related_links_prompts_and_credits_never_reach_the_body():
    body = entry(PAGE).body
    for line in ("Baca juga", "BACA:", "Simak juga", "Cek Berita", "Penulis", "Editor", "Tinggalkan Komentar",
                 "Alamat email", "(rin/ams)", "RADARKUDUS", "10:15 WIB", "Jepara", "Pati", "Demak"):
        assert line not in body, line


def test_every_sentence_of_the_article_is_kept_as_a_markdown_paragraph():
    body = entry(PAGE).body
    assert body.split("\n\n") == [
        "KUDUS - Polres Kudus menggelar rapat koordinasi pengamanan Pemilu 2024 bersama KPU dan Bawaslu "
        "Kabupaten Kudus di aula Mapolres, Senin (13/11/2023).",
        "Kapolres Kudus AKBP Ronni Bonic mengatakan rakor membahas pemetaan TPS rawan di sembilan kecamatan.",
        "\"Kami siapkan 450 personel untuk mengamankan seluruh tahapan,\" ujarnya.",
    ]


def test_header_gives_headline_site_author_and_publication_date():
    draft = entry(PAGE)
    assert draft.meta["title"] == "Polres Kudus Gelar Rakor Pengamanan Pemilu 2024"
    assert "title" not in draft.meta["review"]
    assert draft.meta["source"] == {"outlet": "RADARKUDUS", "author": "Rina Astuti"}
    assert str(draft.meta["published"]) == "2023-11-14T10:15"
    assert draft.meta["date"].isoformat() == "2023-11-13"


def test_places_named_only_in_related_links_do_not_count():
    draft = entry(PAGE)
    assert (draft.meta["province"], draft.meta["regency"]) == ("Jawa Tengah", "Kabupaten Kudus")
    assert "province" not in draft.meta["review"] and "regency" not in draft.meta["review"]


@pytest.mark.parametrize("line,place,outlet", [
    ("Serang (ANTARA) - KPU Banten menggelar rapat.", "Serang", "ANTARA"),
    ("KOTA BATU, BANGSAONLINE.com - KPU Kota Batu menyatakan siap.", "KOTA BATU", "BANGSAONLINE.com"),
    ("SERANG - Polda Banten hadir dalam rapat.", "SERANG", ""),
    ("Serang – Pasca Pemilu 2024, Polda Banten menggelar buka puasa.", "Serang", ""),
    ("Jakarta, CNN Indonesia -- Polda Metro Jaya menyiagakan personel.", "Jakarta", "CNN Indonesia"),
    ("Liputan6.com, Sentani - Polres Jayapura mengawal logistik.", "Sentani", "Liputan6.com"),
    ("Kupang (ANTARA News NTT) - Polda NTT siaga.", "Kupang", "ANTARA News NTT"),
])
def test_datelines_in_every_common_form(line, place, outlet):
    found = find_dateline(line, GAZ)
    assert (found.place, found.outlet) == (place, outlet)


def test_a_sentence_is_not_mistaken_for_a_dateline():
    assert find_dateline("Kapolres mengatakan - sambil tersenyum - bahwa semua aman.", GAZ) is None


def test_closing_credits_give_outlet_or_mark_a_press_release():
    credited = entry("""
        Polres Tapin Teken MoU dengan KPU Tapin

        Polres Tapin dan KPU Kabupaten Tapin menandatangani nota kesepahaman pengamanan Pemilu 2024 di Rantau, Rabu (4/10/2023).
        Kapolres Tapin AKBP Sutrisno berharap kerja sama berjalan baik.(jejakrekam)
    """)  # noqa: E501  article text, one line per paragraph
    assert credited.meta["source"]["outlet"] == "jejakrekam"
    assert credited.body.endswith("berjalan baik.")
    press = entry("""
        Kendari - Polda Sultra menggelar simulasi pengamanan Pemilu 2024 di Kota Kendari, Kamis (7/12/2023).
        Kapolda Sultra Irjen Pol Teguh Pristiwanto meninjau langsung jalannya simulasi. (Bidhumas)
    """)
    assert "outlet" not in press.meta.get("source", {})
    assert "siaran pers" in press.reasons["source.outlet"]
    assert "(Bidhumas)" not in press.body


def test_an_acronym_in_brackets_at_the_end_is_article_text_not_a_credit():
    draft = entry("""
        Mamuju - Polda Sulbar menggelar rakor pengamanan Pemilu 2024 bersama Komisi Pemilihan Umum (KPU), Selasa (5/9/2023).
        Kegiatan juga dihadiri Badan Pengawas Pemilu (Bawaslu).
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.body.endswith("Badan Pengawas Pemilu (Bawaslu).")


def test_stray_counters_and_page_furniture_lines_go():
    article = clean("x.txt", "Judul Berita Pengamanan Pemilu di Kota Palu\n0\nShare:\nADVERTISEMENT\n"
                              "Palu - Polresta Palu menyiagakan personel untuk mengamankan pleno rekapitulasi "
                              "di Kota Palu, Senin (19/2/2024).\n1.234 kali dibaca", GAZ)
    assert article.headline == "Judul Berita Pengamanan Pemilu di Kota Palu"
    assert len(article.paragraphs) == 1
    assert {"0", "Share:", "ADVERTISEMENT", "1.234 kali dibaca"} <= set(article.dropped)


def test_the_headline_is_the_longest_title_line_above_the_body_not_a_site_name_or_share_buttons():
    article = clean("x.txt", dedent("""
        • Sen. 12 Feb 2024
        Humas Polres Contoh
        Polres Lombok Tengah Kawal Distribusi Logistik Pemilu ke Seluruh PPK
        facebook icon twitter icon whatsapp icon telegram icon line icon copy
        URL berhasil dicopy
        Polres Lombok Tengah mengawal distribusi logistik Pemilu 2024 dari gudang KPU ke 12 PPK pada Senin (12/2/2024) pagi tanpa kendala berarti meski hujan turun sejak subuh di sebagian wilayah
    """), GAZ)  # noqa: E501  article text, one line per paragraph
    assert article.headline == "Polres Lombok Tengah Kawal Distribusi Logistik Pemilu ke Seluruh PPK"
    assert article.paragraphs[0].startswith("Polres Lombok Tengah mengawal")  # a long line without its stop is body


def test_a_dateline_with_its_outlet_after_bars():
    line = find_dateline("Surabaya||Contohnews.com-Pelaksanaan Pilkada serentak 2024 di Jawa Timur berjalan lancar.",
                         GAZ)
    assert (line.place, line.outlet) == ("Surabaya", "Contohnews.com")
