"""Election and stage by pemilu-stages.md section 5: the election first, then stage keywords from
headline and lead, the calendar window only as a flagged fallback."""

from __future__ import annotations

import pytest

from tests.conftest import ingest_text as entry


@pytest.mark.parametrize("text,election", [
    ("SURABAYA - Polda Jatim mengamankan debat publik Pilgub Jatim 2024 di Kota Surabaya, Jumat (18/10/2024).",
     "pilkada-2024"),
    ("MEDAN - Polda Sumut mengawal kampanye akbar capres di Kota Medan, Sabtu (10/2/2024).", "pemilu-2024"),
    ("MAKASSAR - Polrestabes Makassar mengamankan pleno Pilwalkot Makassar. Wali Kota mengatakan Pemilu "
     "sebelumnya juga aman, Kamis (5/12/2024).", "pilkada-2024"),
])
def test_the_election_pilkada_cues_beat_pemilu_cues(text, election):
    draft = entry(text)
    assert draft.meta["election"] == election
    assert "election" not in draft.meta["review"]


@pytest.mark.parametrize("text,field,value,why", [
    ("SERANG - Polda Banten menggelar rakor persiapan Pemilu dan Pilkada serentak 2024 di Kota Serang, "
     "Senin (11/12/2023).", "election", "pemilu-2024", "menyebut kedua pemilihan"),
    ("PALU - Polda Sulteng menyiagakan personel di Kota Palu jelang masa tenang, Sabtu (23/11/2024).",
     "election", "pilkada-2024", "tidak menyebut pemilihan"),
    ("PONTIANAK - Kapolda Kalbar mengunjungi Mapolresta Pontianak dalam rangka Pemilu 2024, Kamis (21/12/2023).",
     "stage", "kampanye", "masa tahapan"),
])
def test_what_the_text_does_not_settle_is_decided_by_date_and_flagged(text, field, value, why):
    draft = entry(text)
    assert draft.meta[field] == value
    assert why in draft.reasons[field] and value in draft.reasons[field].lower()  # the doubt and the choice


@pytest.mark.parametrize("headline,stage", [
    ("Polres Sleman Kawal Distribusi Logistik Pemilu ke 17 PPK", "logistik"),
    ("Ratusan Personel Amankan Pencoblosan di 2.000 TPS Kabupaten Sleman", "pemungutan"),
    ("Polres Sleman Amankan Rapat Pleno Rekapitulasi Suara Tingkat Kabupaten", "rekapitulasi"),
    ("Polres Sleman Tertibkan APK di Masa Tenang Pemilu 2024", "masa-tenang"),
    ("Polres Sleman Kawal Kampanye Terbuka Caleg di Lapangan Denggung", "kampanye"),
    ("Polres Sleman Amankan Pendaftaran Bakal Calon Bupati di KPU Sleman", "pencalonan"),
    ("Polres Sleman Siaga Sidang Sengketa Pilkada di MK", "sengketa"),
    ("Polres Sleman Amankan Pelantikan Anggota DPRD Sleman", "pelantikan"),
    ("Polres Sleman Gelar Rakor Pengamanan Distribusi Logistik Pemilu", "persiapan"),  # rule 4
    ("Polres Sleman Teken MoU Pengamanan dengan KPU Sleman", "persiapan"),
    ("Pasca Pemilu 2024, Polres Sleman Gelar Evaluasi Pengamanan", "lintas-tahapan"),
])
def test_stage_from_headline_keywords(headline, stage):
    draft = entry(f"""
        {headline}

        SLEMAN - Kegiatan berlangsung di wilayah Kabupaten Sleman pada Senin (12/2/2024) dan diikuti unsur Forkopimda.
    """)
    assert draft.meta["stage"] == stage


def test_rule_four_a_rakor_is_persiapan_even_inside_the_campaign_window():
    draft = entry("SERANG - Polda Banten menghadiri rapat koordinasi bidang politik di Kota Serang, "
                  "Senin (11/12/2023).")
    assert draft.meta["stage"] == "persiapan"


def test_text_beats_the_calendar_logistics_in_the_campaign_window():
    draft = entry("""
        KPU Cianjur Mulai Sortir dan Lipat Surat Suara Pemilu 2024

        CIANJUR - Ratusan petugas mulai menyortir surat suara di gudang logistik KPU Kabupaten Cianjur dengan pengawalan Polres Cianjur, Selasa (2/1/2024).
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["stage"] == "logistik"
    assert "stage" not in draft.meta["review"]


def test_topics_are_suggested_and_always_flagged():
    draft = entry("""
        Polda Kalsel dan KPU Kalsel Teken Kerja Sama Pengamanan Pemilu

        BANJARMASIN - Polda Kalsel dan KPU Kalsel menandatangani perjanjian kerja sama pengamanan distribusi logistik dan rekapitulasi suara Pemilu 2024, Senin (25/9/2023).
    """)  # noqa: E501  article text, one line per paragraph
    assert {"kerja-sama", "logistik", "rekapitulasi"} <= set(draft.meta["topics"])
    assert "topics" in draft.meta["review"]
