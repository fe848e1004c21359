"""Dates in the forms Indonesian news writes them; event and publication dates kept apart."""

from __future__ import annotations

import datetime as dt

import pytest

from digest.ingest import dates
from digest.ingest.hints import Hints
from tests.conftest import ingest_text as entry

D = dt.date


@pytest.mark.parametrize("written,day,month,year,weekday", [
    ("Senin (16/10/2023)", 16, 10, 2023, 0),
    ("Selasa (19/03)", 19, 3, None, 1),
    ("Jumat (17/11/23)", 17, 11, 2023, 4),
    ("Jum'at (17/11/2023)", 17, 11, 2023, 4),
    ("Kamis, 16/11/2023", 16, 11, 2023, 3),
    ("Senin, 25 September 2023", 25, 9, 2023, 0),
    ("Sabtu (10 Februari 2024)", 10, 2, 2024, 5),
    ("25 September 2023", 25, 9, 2023, None),
    ("Dec 12, 2023 - 06:09", 12, 12, 2023, None),
    ("14 Des 2023", 14, 12, 2023, None),
    ("16/10/2023 14:30 WIB", 16, 10, 2023, None),
    ("2024-02-12T09:15:00+07:00", 12, 2, 2024, None),
    ("Ahad (26/11/2023)", 26, 11, 2023, 6),
])
def test_date_forms(written, day, month, year, weekday):
    [m] = dates.find(f"Kegiatan berlangsung {written} di aula.")
    assert (m.day, m.month, m.year, m.weekday) == (day, month, year, weekday)


def test_a_weekday_alone_is_found_but_has_no_date():
    [m] = dates.find("Rapat digelar di Mapolda Banten, Serang, Rabu.")
    assert (m.weekday, m.day) == (2, None)


def test_event_date_comes_from_the_lead():
    draft = entry("""
        SURABAYA - Polda Jatim menggelar apel gelar pasukan pengamanan Pemilu 2024 di Lapangan Kodam V/Brawijaya, Selasa (17/10/2023).
        Jadwal penetapan DCT sendiri jatuh pada 3 November 2023.
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["date"] == D(2023, 10, 17)
    assert "date" not in draft.meta["review"]


def test_year_is_taken_from_context_and_checked_against_the_weekday():
    draft = entry("""
        Serang – Pasca Pemilu 2024, Polda Banten menggelar evaluasi pengamanan bersama Forkopimda pada Selasa (19/03).
    """)
    assert draft.meta["date"] == D(2024, 3, 19)  # 19/03/2024 is a Tuesday; 2023 and 2025 are not
    assert "date" not in draft.meta["review"]


def test_day_and_month_resolve_against_the_publication_date():
    draft = entry("""
        Polda Banten Hadiri Rakor Bidang Politik

        Dec 12, 2023 - 06:09

        SERANG - Polda Banten hadir dalam rapat koordinasi bidang politik persiapan Pemilu 2024 di Kota Serang pada Senin (11/12).
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["date"] == D(2023, 12, 11)
    assert str(draft.meta["published"]) == "2023-12-12T06:09"


def test_a_weekday_alone_resolves_against_a_known_publication_date():
    draft = entry("""
        Pontianak (ANTARA) - KPU Kalbar dan Polda Kalbar memperkuat koordinasi pengamanan Pemilu 2024 di Mapolda Kalbar, Pontianak, Rabu.
    """, hints=Hints(published=dt.datetime(2023, 8, 3, 14, 0)))  # noqa: E501  article text, one line per paragraph
    assert draft.meta["date"] == D(2023, 8, 2)  # the Wednesday before Thursday 3 August
    assert "date" not in draft.meta["review"]


def test_a_weekday_alone_without_a_publication_date_is_flagged():
    draft = entry("""
        Pontianak (ANTARA) - KPU Kalbar dan Polda Kalbar memperkuat koordinasi pengamanan Pemilu 2024 di Mapolda Kalbar, Pontianak, Rabu.
        Saat ini KPU tengah menyusun daftar calon sementara yang diumumkan 19 Agustus 2023.
    """)  # noqa: E501  article text, one line per paragraph
    assert "date" in draft.meta["review"]
    assert "hanya disebut hari 'Rabu'" in draft.reasons["date"]
    assert draft.meta["date"].weekday() == 2


def test_a_weekday_that_contradicts_its_date_is_flagged_not_ignored():
    draft = entry("""
        MATARAM - Polda NTB menggelar simulasi sistem pengamanan kota jelang Pemilu 2024, Senin (17/10/2023).
    """)
    assert draft.meta["date"] == D(2023, 10, 17)
    assert draft.reasons["date"] == ("'Senin (17/10/2023)': 2023-10-17 jatuh pada hari Selasa, bukan Senin; hari Senin "
                                     "terdekat adalah 2023-10-16 dan 2023-10-23; tetap dipakai 2023-10-17")


def test_an_event_after_publication_is_flagged():
    draft = entry("""
        Kamis, 16 November 2023 | 09:00 WIB

        PADANG - Polda Sumbar menggelar rakor pengamanan kampanye Pemilu 2024, Jumat (17/11/2023), bersama KPU Sumbar di Kota Padang.
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["date"] == D(2023, 11, 17)
    assert "sesudah tanggal terbit 2023-11-16" in draft.reasons["date"]


def test_no_date_at_all_gives_a_draft_with_the_date_empty_and_the_reason():
    draft = entry("PALU - Polda Sulteng menyiagakan personel pengamanan Pemilu 2024 di Kota Palu.")
    assert draft.meta["date"] is None and draft.meta["draft"] is True and draft.missing == ["date"]
    assert draft.reasons["date"] == ("tanggal kejadian kosong: teks sama sekali tidak memberi tanggal "
                                     "(isi dengan --date)")
    assert "\ndate:\n" in draft.text and draft.meta["id"].startswith("polda-sulteng-menyiagakan")


def test_publication_date_given_on_the_command_line_fills_in_a_missing_event_date():
    draft = entry("PALU - Polda Sulteng menyiagakan personel pengamanan Pemilu 2024 di Kota Palu.",
                  hints=Hints(published=dt.datetime(2024, 2, 13)))
    assert draft.meta["date"] == D(2024, 2, 13)
    assert draft.reasons["date"] == "teks tidak memberi tanggal kejadian; dipakai tanggal terbit"
