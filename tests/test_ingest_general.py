"""General rules found by running ingest on real articles it had never seen, each on a short text
written for the test in the style of Indonesian news (no article text is copied)."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.ingest import agencies, dates
from digest.reference.refdata import load
from tests.conftest import ingest_text as entry

REF = load()
D = dt.date


def test_an_address_line_with_long_numbers_is_no_date_and_the_article_is_kept():
    draft = entry("""
        SINGARAJA - Polres Buleleng memetakan TPS rawan menjelang Pilkada 2024 bersama KPU Kabupaten Buleleng.
        "Setiap TPS rawan dijaga satu personel," kata Kapolres Buleleng di Singaraja, Rabu (11/9/2024).
        https://daerah.contoh.example/read/2024/09/11/154913878/polres-buleleng-petakan-tps-rawan
    """)
    assert draft.meta["date"] == D(2024, 9, 11) and "date" not in draft.meta["review"]


def test_numeric_dates_end_with_their_year():
    assert [m.text for m in dates.find("arsip /09/11/154913878/ dan Senin (9/9/2024)")] == ["Senin (9/9/2024)"]
    assert [m.text for m in dates.find("diunggah 2024-09-110 lalu")] == []


def test_a_date_before_the_republic_is_history_not_the_event():
    draft = entry("""
        PADANG - Bawaslu Sumatera Barat mengajak pemuda mengawasi Pilkada 2024 dalam peringatan yang
        mengenang 28 Oktober 1928 di Kota Padang.
        Ketua Bawaslu Sumbar mengatakan pengawasan partisipatif penting menjelang pemungutan suara.
    """)
    assert draft.meta["date"] is None and draft.missing == ["date"]


def test_a_pilkada_story_months_before_voting_is_not_silently_a_dispute():
    draft = entry("""
        Polres Buleleng Petakan TPS Rawan Pilkada 2024

        SINGARAJA - Polres Buleleng memetakan 300 TPS rawan untuk Pilkada 2024 di Kabupaten Buleleng.
        Salah satu ukurannya adalah riwayat Pemungutan Suara Ulang (PSU) dan konflik warga di TPS itu.
        "Setiap TPS rawan dijaga satu personel," kata Kapolres Buleleng di Singaraja, Rabu (11/9/2024).
    """)
    assert draft.meta["election"] == "pilkada-2024"
    assert draft.meta["stage"] != "sengketa" or "stage" in draft.meta["review"]


def test_a_city_where_the_provincial_bodies_sit_is_flagged_like_the_capital():
    draft = entry("""
        BANJARMASIN - Kapolda Kalsel meninjau kedatangan logistik Pemilu 2024 di Pelabuhan Trisakti, Selasa (17/10/2023).
        Kapolda didampingi Wakapolresta Banjarmasin, Ketua KPU Provinsi Kalsel dan Bawaslu Kalsel.
        Polda Kalsel akan mengawal logistik itu ke gudang KPU di setiap kabupaten dan kota.
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["province"] == "Kalimantan Selatan"
    assert draft.meta["regency"] is None or "regency" in draft.meta["review"]


@pytest.mark.parametrize(("written", "listed"), [
    ("Kepolisian Resor (Polres) Jayapura menyiagakan", "Polres Jayapura"),
    ("Kepala Kepolisian Resor (Kapolres) Gorontalo Utara AKBP Budi", "Polres Gorontalo Utara"),
    ("Kepala Kepolisian Resor Kota (Kapolresta) Palu Kombes Rudi", "Polresta Palu"),
    ("Kepolisian Daerah (Polda) Maluku Utara menggelar apel", "Polda Maluku Utara"),
    ("Komisi Pemilihan Umum (KPU) Kabupaten Kutai Timur menyimpan", "KPU Kabupaten Kutai Timur"),
    ("Badan Pengawas Pemilu (Bawaslu) Bone turun ke lapangan", "Bawaslu Bone"),
])
def test_a_name_spelt_out_with_its_short_form_in_brackets_keeps_its_place(written, listed):
    assert [a.display for a in agencies.finder(REF).find(written) if a.weight] == [listed]


def test_the_bracketed_short_form_places_the_story_in_its_kab_kota():
    draft = entry("""
        GORONTALO - Kepala Kepolisian Resor (Kapolres) Gorontalo Utara AKBP Budi Santoso mengimbau pendukung paslon Pilkada 2024 tidak berkonvoi, Rabu (27/11/2024).
        Ketua Komisi Pemilihan Umum (KPU) Gorontalo Utara meminta warga menunggu hasil rekapitulasi.
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["regency"] == "Kabupaten Gorontalo Utara" and "regency" not in draft.meta["review"]
    assert "Polres Gorontalo Utara" in draft.meta["agencies"]


def test_a_list_of_kabupaten_across_a_polda_s_provinces_does_not_silently_pick_one():
    draft = entry("""
        Kapolda Papua menyatakan 8.000 personel Polda Papua siap mengamankan TPS Pemilu 2024, Rabu (7/2/2024).
        Daerah sangat rawan antara lain Kabupaten Nduga, Yahukimo, Intan Jaya dan Pegunungan Bintang.
    """)
    assert draft.meta["province"] is None or "province" in draft.meta["review"]


def test_a_polda_spanning_provinces_with_one_kab_kota_acting_is_that_province():
    draft = entry("""
        TIMIKA - Polda Papua bersama Polres Mimika mengamankan rapat pleno KPU Kabupaten Mimika, Rabu (6/3/2024).
        Kapolres Mimika mengatakan rapat pleno rekapitulasi di Kabupaten Mimika berjalan aman.
    """)
    assert draft.meta["province"] == "Papua Tengah" and "province" not in draft.meta["review"]


def test_a_weekday_with_day_and_month_and_no_brackets_is_a_date():
    found = [(m.weekday, m.day, m.month, m.year) for m in dates.find("kata Kapolres, Rabu, 28/8, di Mapolres.")]
    assert found == [(2, 28, 8, None)]
    assert [(m.day, m.month) for m in dates.find("Senin, 1-2 Desember 2024") if m.day] == [(2, 12)]


def test_a_day_that_starts_a_period_is_not_the_day_of_the_report():
    draft = entry("""
        SURABAYA - Rekapitulasi suara Pemilu 2024 tingkat Kecamatan Simokerto di Kota Surabaya telah rampung.
        Rekapitulasi di PPK itu berlangsung mulai Senin 19/2 sampai Sabtu 24/2 untuk 263 TPS.
        "Kotak suara kami jaga sampai digeser ke gudang KPU Kota Surabaya," kata Kapolsek Simokerto, Senin (26/2/2024).
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["date"] == D(2024, 2, 26)


def test_a_misspelt_rekapitulasi_still_names_the_stage():
    draft = entry("""
        MUARO JAMBI - Polsek Jaluko mengamankan sidang pleno rekapsitulasi suara Pemilu 2024 di PPK, Selasa (20/2/2024).
        Kapolsek mengatakan rekapsitulasi dari 19 desa ditargetkan selesai dalam dua minggu.
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["stage"] == "rekapitulasi" and "stage" not in draft.meta["review"]


def test_an_electoral_district_is_a_legislative_election():
    draft = entry("""
        TARAKAN - Polres Tarakan menyiagakan 326 personel untuk PSU di Dapil 1 Tarakan Tengah, Kamis (11/7/2024).
        Kapolres berkaca pada Pemilu 14 Februari lalu; dapil itu menggelar pemungutan suara ulang sesuai putusan MK.
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["election"] == "pemilu-2024" and "election" not in draft.meta["review"]


@pytest.mark.parametrize("sentence", [
    "Polres Tarakan menyiagakan 326 personel untuk PSU Pemilu 2024 besok, Jumat (13/7/2024).",
    "Polres Tarakan menyiagakan 326 personel untuk PSU Pemilu 2024 pada Jumat (13/7/2024) besok.",
])
def test_a_day_called_tomorrow_dates_the_report_the_day_before(sentence):
    draft = entry(f"TARAKAN - {sentence}\nKapolres Tarakan mengatakan personel berjaga di setiap TPS.")
    assert draft.meta["date"] == D(2024, 7, 12)


def test_a_source_speaking_after_a_period_began_spoke_on_the_next_such_weekday():
    draft = entry("""
        SIGLI - Polres Pidie mengerahkan 727 personel untuk mengamankan TPS Pemilu 2024 di Kabupaten Pidie.
        "Personel harus siaga," kata Kabid Humas Polda Aceh di Pidie, Senin, dalam apel pergeseran pasukan.
        Kapolres Pidie mengatakan distribusi kotak suara sudah berjalan sejak Minggu (11/2/2024).
    """)
    assert draft.meta["date"] == D(2024, 2, 12)
