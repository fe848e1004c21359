"""Agencies, officials with rank and role, personnel counts and budgets."""

from __future__ import annotations

import pytest

from tests.conftest import ingest_text as entry

STORY = """
    Polres Wonosobo dan KPU Kabupaten Wonosobo Gelar Rakor Pengamanan Pemilu

    WONOSOBO - Polres Wonosobo menggelar rapat koordinasi pengamanan Pemilu 2024 bersama KPU Kabupaten Wonosobo, Bawaslu Kabupaten Wonosobo dan Forkopimda di Mapolres Wonosobo, Kamis (26/10/2023).
    Kapolres Wonosobo, AKBP Eko Novan Prasetyo, mengatakan pihaknya menyiapkan 315 personel untuk mengamankan tahapan kampanye.
    Ketua KPU Wonosobo Asma Khozin menyebut anggaran pengamanan dari hibah daerah mencapai Rp 2,5 miliar.
    Dandim 0707/Wonosobo Letkol Inf Daniel Lumbanraja menyatakan TNI siap membantu Polri.
    Hadir pula Kepala Kesbangpol Wonosobo Bapak Haryono dan Staf Ahli Bupati Wonosobo Slamet Riyadi.
"""  # noqa: E501  article text, one line per paragraph


def test_officials_with_rank_and_role():
    officials = entry(STORY).meta["officials"]
    assert {"name": "Eko Novan Prasetyo", "rank": "AKBP", "role": "Kapolres Wonosobo"} in officials
    assert {"name": "Asma Khozin", "role": "Ketua KPU Wonosobo"} in officials
    assert {"name": "Daniel Lumbanraja", "rank": "Letkol Inf", "role": "Dandim 0707/Wonosobo"} in officials
    assert {"name": "Haryono", "role": "Kepala Kesbangpol Wonosobo"} in officials


def test_a_staff_member_is_not_taken_for_the_regent():
    assert not any(o["name"] == "Slamet Riyadi" for o in entry(STORY).meta["officials"])


def test_agencies_are_listed_once_each():
    agencies = entry(STORY).meta["agencies"]
    for name in ("Polres Wonosobo", "KPU Kabupaten Wonosobo", "Bawaslu Kabupaten Wonosobo", "Forkopimda",
                 "Kodim 0707/Wonosobo", "Kesbangpol Wonosobo", "TNI"):
        assert agencies.count(name) == 1, name
    assert "KPU" not in agencies  # the bare name goes when KPU is also named with its place
    assert "Polri" not in agencies  # "membantu Polri" names no unit acting


def test_figures_personnel_and_budget():
    draft = entry(STORY)
    assert draft.meta["figures"] == {"personnel": 315, "budget_idr": 2_500_000_000}
    assert "figures.personnel" not in draft.meta["review"]


@pytest.mark.parametrize("written,field,value", [
    ("mengerahkan 4.174 personel untuk pengamanan kampanye", "personnel", 4174),
    ("sebanyak 1.250 personil gabungan TNI-Polri disiagakan", "personnel", 1250),
    ("personel sebanyak 120 orang dikerahkan", "personnel", 120),
    ("menyiagakan 350 pasukan di titik rawan", "personnel", 350),
    ("menyiapkan anggaran pengamanan Rp 131 miliar", "budget_idr", 131_000_000_000),
    ("menyiapkan anggaran pengamanan Rp1,5 triliun", "budget_idr", 1_500_000_000_000),
    ("menyiapkan anggaran pengamanan Rp 2.500.000.000", "budget_idr", 2_500_000_000),
    ("menyiapkan anggaran pengamanan Rp 750 juta", "budget_idr", 750_000_000),
])
def test_personnel_counts_and_budgets_as_whole_numbers(written, field, value):
    draft = entry(f"AMBON - Polda Maluku {written} di Kota Ambon jelang Pemilu 2024, Selasa (13/2/2024).")
    assert draft.meta["figures"][field] == value


def test_several_personnel_counts_keep_the_largest_and_flag():
    draft = entry("AMBON - Polda Maluku menyiagakan 1.200 personel, terdiri atas 800 personel Polda dan 400 personel "
                  "TNI, di Kota Ambon jelang Pemilu 2024, Selasa (13/2/2024).")
    assert draft.meta["figures"]["personnel"] == 1200
    assert "beberapa jumlah personel" in draft.reasons["figures.personnel"]


def test_long_titles_collapse_and_misspelt_ranks_are_corrected_and_flagged():
    draft = entry("""
        PEKANBARU - Wakil Kepala Kepolisian Daerah Riau Brigjen Pol Kasihan Rahmadi meninjau gudang KPU Kota Pekanbaru, Rabu (7/2/2024).
        Kasubdit 2 Ditintelkam Polda Riau Kopol Budi Hartono menyampaikan hasil pemetaan TPS rawan.
    """)  # noqa: E501  article text, one line per paragraph
    officials = draft.meta["officials"]
    assert {"name": "Kasihan Rahmadi", "rank": "Brigjen Pol", "role": "Wakapolda Riau"} in officials
    assert {"name": "Budi Hartono", "rank": "Kompol", "role": "Kasubdit 2 Ditintelkam Polda Riau"} in officials
    assert "pangkat 'Kopol' dibaca sebagai 'Kompol'" in draft.reasons["officials"]


def test_one_person_named_twice_is_listed_once_with_the_full_name():
    draft = entry("""
        SERANG - Kasubdit 1 Ditintelkam Polda Banten Kompol Heri, dan tim hadir dalam rakor Pemilu 2024 di Kota Serang, Senin (11/12/2023).
        Kasubdit 1 Ditintelkam Polda Banten Kompol Heri Purnomo menjelaskan tujuan kegiatan.
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["officials"] == [
        {"name": "Heri Purnomo", "rank": "Kompol", "role": "Kasubdit 1 Ditintelkam Polda Banten"}]


def test_a_provincial_title_without_its_province_gets_the_story_province_flagged():
    draft = entry("""
        KENDARI - Polda Sultra menggelar evaluasi pengamanan Pemilu 2024 di Kota Kendari, Selasa (19/3/2024).
        Hadir Pj Gubernur Andap Budhi Revianto dan Ketua DPRD Abdurrahman Saleh.
    """)
    officials = draft.meta["officials"]
    assert {"name": "Andap Budhi Revianto", "role": "Pj Gubernur Sulawesi Tenggara"} in officials
    assert {"name": "Abdurrahman Saleh", "role": "Ketua DPRD"} in officials
    assert "'Ketua DPRD' (Abdurrahman Saleh) tidak menyebut satuan atau tempat" in draft.reasons["officials"]
    assert "Pemprov Sulawesi Tenggara" in draft.meta["agencies"] and "agencies" in draft.meta["review"]


def test_aceh_bodies_kip_and_panwaslih():
    draft = entry("TAKENGON - KIP Aceh Tengah dan Panwaslih Aceh Tengah menggelar rakor bersama Polres Aceh Tengah, "
                  "Selasa (17/10/2023). Ketua KIP Aceh Tengah Ikhsan Gayo memimpin rapat.")
    assert {"KIP Aceh Tengah", "Panwaslih Aceh Tengah", "Polres Aceh Tengah"} <= set(draft.meta["agencies"])
    assert {"name": "Ikhsan Gayo", "role": "Ketua KIP Aceh Tengah"} in draft.meta["officials"]
