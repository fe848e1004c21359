"""The rules of issue 13, each on a short text written in the style of Indonesian news: no article
lost (drafts), evidence from addresses and date lines, the day of the report over a day looked
ahead to, province-wide stories without a kab/kota, kecamatan, editors' hints and manifests."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from digest.cli import main
from digest.ingest.hints import Hints, parse
from digest.reference.refdata import load
from tests.conftest import ingest_text as entry

REF = load()
D = dt.date


def test_the_day_a_source_spoke_beats_a_day_the_story_looks_ahead_to():
    draft = entry("""
        Polres Serang Siagakan Personel Jelang PSU

        SERANG - Polres Serang menyiagakan 900 personel untuk PSU Pilbup Serang yang akan digelar pada Sabtu (19/4/2025).
        "Semua TPS kami jaga," kata Kapolres Serang AKBP Andi Wijaya dalam keterangan tertulis, Kamis (17/4/2025).
    """)  # noqa: E501  article text, one line per paragraph
    assert draft.meta["date"] == D(2025, 4, 17) and "date" not in draft.meta["review"]


def test_a_weekday_alone_said_before_a_scheduled_day_counts_back_from_it():
    draft = entry("""
        WAMENA - Polres Jayawijaya meningkatkan patroli jelang putusan sengketa Pilgub di Mahkamah Konstitusi.
        Kapolres di Wamena, Minggu mengatakan putusan akan dibacakan pada Senin (24/2/2025).
    """)
    assert draft.meta["date"] == D(2025, 2, 23)


def test_a_date_in_the_address_is_the_publication_day():
    draft = entry("PALU - Polresta Palu mengamankan rapat pleno rekapitulasi suara di Kota Palu, Selasa.",
                  hints=Hints(url="https://palu.example/berita/2024/02/27/pleno-aman"))
    assert draft.meta["published"] == D(2024, 2, 27) and draft.meta["date"] == D(2024, 2, 27)


def test_a_date_line_after_the_story_dates_the_page():
    draft = entry("""
        KENDARI - Polda Sultra mengamankan debat publik Pilgub Sultra di Kota Kendari, Selasa.
        Baca juga: Polres Kolaka Siagakan Personel
        Rabu, 23 Oktober 2024 | 08:15 WIB
    """)
    assert draft.meta["published"] == "2024-10-23T08:15" and draft.meta["date"] == D(2024, 10, 22)


def test_a_text_with_no_date_is_a_draft_and_the_date_can_be_given():
    text = "PALU - Polda Sulteng menyiagakan personel pengamanan Pemilu 2024 di Kota Palu."
    assert entry(text).missing == ["date"]
    given = entry(text, hints=Hints(date=D(2024, 2, 13)))
    assert given.meta["date"] == D(2024, 2, 13) and "date" not in given.meta["review"] and not given.missing


def test_a_province_wide_story_gets_no_kab_kota():
    draft = entry("""
        Polda Jambi Kerahkan Brimob Amankan Kampanye Pilkada

        JAMBI - Polda Jambi mengerahkan personel Brimob Polda Jambi ke seluruh kabupaten dan kota untuk pengamanan
        kampanye Pilkada 2024, Selasa (8/10/2024). Personel disebar ke Kerinci, Merangin, Bungo, Tebo dan Batanghari.
        Kapolda Jambi Irjen Pol Rusdi Hartono mengatakan Polda Jambi siap mengamankan seluruh tahapan.
    """)
    assert draft.meta["province"] == "Jambi" and "regency" not in draft.meta


def test_a_city_police_story_keeps_its_kab_kota():
    draft = entry("SEMARANG - Polrestabes Semarang mengamankan pleno rekapitulasi KPU Kota Semarang, "
                  "Senin (26/2/2024).")
    assert draft.meta["regency"] == "Kota Semarang"


def test_a_kecamatan_places_the_story_in_its_kab_kota():
    draft = entry("Polsek setempat mengawal logistik Pemilu 2024 ke Kecamatan Junrejo, Senin (12/2/2024).")
    assert (draft.meta["province"], draft.meta["regency"]) == ("Jawa Timur", "Kota Batu")


def test_a_hint_wins_is_never_flagged_and_a_contradiction_is_noted():
    hints = parse({"province": "Banten", "stage": "logistik"}, REF)
    draft = entry("PALU - Polda Sulteng menggelar rapat koordinasi Pemilu 2024 di Kota Palu, Rabu (6/12/2023).",
                  hints=hints)
    assert draft.meta["province"] == "Banten" and draft.meta["stage"] == "logistik"
    assert "province" not in draft.meta["review"] and "stage" not in draft.meta["review"]
    assert "--province Banten diberikan, tetapi teks mengarah ke Sulawesi Tengah" in draft.notes
    assert "--stage logistik diberikan, tetapi teks mengarah ke persiapan" in draft.notes


def test_a_manifest_gives_each_file_its_address_and_date(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("PALU - Polresta Palu mengamankan pleno rekapitulasi di Kota Palu, Selasa.",
                                 encoding="utf-8")
    (inbox / "b.txt").write_text("Personel gabungan mengawal logistik Pemilu 2024 ke gudang KPU, Senin (12/2/2024).",
                                 encoding="utf-8")
    (inbox / "daftar.csv").write_text("file,url,published,province\n"
                                      "a.txt,https://palu.example/pleno,2024-02-27,\n"
                                      "b.txt,,,Bali\n", encoding="utf-8")
    code = main(["ingest", "--manifest", str(inbox / "daftar.csv"), "--content", str(tmp_path / "c"),
                 "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(r["result"], r["date"], r["province"]) for r in rows] == [
        ("written", "2024-02-27", "Sulawesi Tengah"), ("written", "2024-02-12", "Bali")]
    assert "province" not in rows[1]["review"]


@pytest.mark.parametrize("manifest,message", [
    ("file,town\na.txt,Palu\n", "daftar.csv:2: unknown column 'town'"),
    ("file,date\na.txt,27/2/2024\n", "daftar.csv:2: date: '27/2/2024' is not a date"),
    ("url\nhttps://x.example/a\n", "daftar.csv:1: the first line must name the columns"),
])
def test_a_bad_manifest_row_is_named_by_its_line(tmp_path, capsys, manifest, message):
    (tmp_path / "daftar.csv").write_text(manifest, encoding="utf-8")
    code = main(["ingest", "--manifest", str(tmp_path / "daftar.csv"), "--content", str(tmp_path / "c")])
    assert code == 1 and message in capsys.readouterr().err


def test_force_replaces_the_same_story_under_its_published_id(tmp_path, capsys):
    content = tmp_path / "c"
    article = tmp_path / "a.txt"
    url = "https://palu.example/pleno"
    article.write_text("PALU - Polresta Palu mengamankan pleno rekapitulasi di Kota Palu, Selasa (27/2/2024).",
                       encoding="utf-8")
    main(["ingest", str(article), "--content", str(content), "--url", url, "-q"])
    [first] = content.glob("*.md")
    published = first.read_text(encoding="utf-8").replace("2024-02-27-polresta-palu", "2024-02-27-pleno-palu", 1)
    first.write_text(published, encoding="utf-8")  # the id as published earlier
    article.write_text(article.read_text(encoding="utf-8").replace("Selasa", "Selasa sore"), encoding="utf-8")
    assert main(["ingest", str(article), "--content", str(content), "--url", url, "--force", "-q"]) == 0
    assert sorted(p.name for p in content.glob("*.md")) == [first.name]
    text = first.read_text(encoding="utf-8")
    assert "id: 2024-02-27-pleno-palu-mengamankan" in text and "Selasa sore" in text


def test_a_one_megabyte_text_is_ingested_in_seconds():
    import time

    paragraph = ("Polres Batu mengamankan rapat pleno rekapitulasi suara Pemilu 2024 di Kecamatan Junrejo, "
                 "Senin (19/2/2024), kata Kapolres AKBP Oskar Syamsuddin kepada wartawan. ")
    start = time.process_time()  # CPU time: a busy machine (a parallel test run) does not count
    draft = entry("Polres Batu Amankan Pleno\n\n" + "\n\n".join([paragraph * 3] * 2200))
    assert time.process_time() - start < 15 and draft.meta["regency"] == "Kota Batu"


def test_a_regional_address_is_weak_evidence_for_its_province_only():
    text = "Personel gabungan mengamankan TPS Pemilu 2024 di wilayah hukum Polres setempat, Rabu (14/2/2024)."
    sumut = entry(text, hints=Hints(url="https://sumut.antaranews.com/berita/1/pengamanan-tps"))
    assert sumut.meta["province"] == "Sumatera Utara" and "province" in sumut.meta["review"]
    yogya = entry(text, hints=Hints(url="https://humas.polri.go.id/yogyakarta/2024/02/14/tps-aman"))
    assert yogya.meta["province"] == "DI Yogyakarta" and yogya.meta["published"] == D(2024, 2, 14)
    bureau = entry(text, hints=Hints(url="https://mataram.example.co.id/berita/tps"))  # a city names a bureau
    assert bureau.meta["province"] is None and bureau.missing == ["province"]


def test_an_incomplete_draft_passes_check_with_a_warning_and_stays_off_the_site(tmp_path, capsys):
    from digest.build import build
    from tests.conftest import make_config

    content = tmp_path / "content"
    (tmp_path / "tanpa-tanggal.txt").write_text(
        "PALU - Polda Sulteng menyiagakan personel pengamanan Pemilu 2024 di Kota Palu.", encoding="utf-8")
    (tmp_path / "lengkap.txt").write_text(
        "PALU - Polresta Palu mengamankan pleno rekapitulasi di Kota Palu, Selasa (27/2/2024).", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "tanpa-tanggal.txt"), str(tmp_path / "lengkap.txt"),
                 "--content", str(content), "-q"]) == 0
    assert main(["check", str(content)]) == 0
    assert "incomplete draft: date still empty" in capsys.readouterr().out
    build(make_config(tmp_path, content))
    pages = [p.parent.name for p in (tmp_path / "site" / "berita").glob("*/index.html")]
    assert pages == ["2024-02-27-polresta-palu-mengamankan-pleno-rekapitulasi-di-kota-palu"]


def test_a_polsek_is_read_as_its_kecamatan():
    draft = entry("Polsek Narmada mengawal distribusi logistik Pemilu 2024 ke desa-desa, Senin (12/2/2024).")
    assert (draft.meta["province"], draft.meta["regency"]) == ("Nusa Tenggara Barat", "Kabupaten Lombok Barat")
    assert draft.meta["agencies"] == ["Polsek Narmada"]


def test_a_manifest_naming_a_fifo_or_a_missing_file_refuses_those_without_blocking(tmp_path, capsys):
    import os

    os.mkfifo(tmp_path / "pipa.txt")
    (tmp_path / "daftar.yaml").write_text("- file: pipa.txt\n- {file: hilang.txt, province: Bali}\n", encoding="utf-8")
    code = main(["ingest", "--manifest", str(tmp_path / "daftar.yaml"), "--content", str(tmp_path / "c"),
                 "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(r["result"], r["message"]) for r in rows] == [("refused", "is not a regular file"),
                                                           ("refused", "no such file")]


def test_a_yearless_date_takes_the_story_year():
    draft = entry("""
        SURABAYA - Polda Jatim menilai pemungutan suara Pilkada 2024 berjalan aman di seluruh TPS.
        Hal itu disampaikan Kabidhumas Polda Jatim dalam dialog di radio, Kamis (28/11).
    """)
    assert draft.meta["date"] == D(2024, 11, 28)


def test_regency_and_election_hints_on_the_command_line(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("SERANG - Polda Banten menyiagakan personel pengamanan Pemilu 2024, Rabu (14/2/2024).",
                       encoding="utf-8")
    code = main(["ingest", str(article), "--content", str(tmp_path / "c"), "--regency", "Kabupaten Serang",
                 "--election", "pilkada-2024", "--format", "json"])
    [row] = json.loads(capsys.readouterr().out)
    text = (tmp_path / "c").joinpath(row["path"].rsplit("/", 1)[1]).read_text(encoding="utf-8")
    assert code == 0 and "province: Banten\nregency: Kabupaten Serang\nelection: pilkada-2024\n" in text
    assert "--election pilkada-2024 diberikan, tetapi teks mengarah ke pemilu-2024" in row["notes"]
    assert not {"regency", "election"} & set(row["review"])
    published = text.splitlines().index(next(line for line in text.splitlines() if line.startswith("date:")))
    assert text.splitlines()[published + 1].startswith("added: ")  # no published date: added takes its place


@pytest.mark.parametrize("lead,stage", [
    ("Polres Kolaka mengamankan debat tahap II pasangan calon Gubernur Sulawesi Tenggara di Kolaka", "kampanye"),
    ("Polda Gorontalo mengawal kunjungan calon presiden nomor urut 1 di Gorontalo demi proses demokrasi yang damai",
     "kampanye"),
    ("Polresta Pontianak menjaga proses penghitungan suara hasil pemungutan suara di tingkat kecamatan",
     "rekapitulasi"),
])
def test_the_stage_follows_what_the_story_reports(lead, stage):
    draft = entry(f"{lead}, Senin (8/1/2024). Personel disiagakan sejak pagi.")
    assert draft.meta["stage"] == stage
