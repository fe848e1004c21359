"""`digest ingest` on the command line: new files only, a table at the end, clear one-line errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digest.cli import main
from digest.content import frontmatter
from digest.content.loader import load_all
from digest.reference.refdata import load

ROOT = Path(__file__).resolve().parent.parent

KUDUS = """Polres Kudus Gelar Rakor Pengamanan Pemilu 2024

KUDUS - Polres Kudus menggelar rapat koordinasi pengamanan Pemilu 2024 bersama KPU Kabupaten Kudus di aula Mapolres, Senin (13/11/2023).
Kapolres Kudus AKBP Ronni Bonic mengatakan rakor membahas pemetaan TPS rawan.
Baca juga: Polres Pati Siagakan Personel
"""  # noqa: E501  article text, one line per paragraph
PALU = """PALU - Polresta Palu mengamankan rapat pleno rekapitulasi suara tingkat Kota Palu di Hotel Santika, Selasa (27/2/2024).
Kapolresta Palu Kombes Pol Barliansyah mengatakan 250 personel disiagakan.
"""  # noqa: E501  article text, one line per paragraph
PAGE = """<!DOCTYPE html><html><head><title>Polda NTB Amankan Debat Publik Pilgub - Lombok Kini</title>
<meta property="og:site_name" content="Lombok Kini">
<meta property="article:published_time" content="2024-10-23T20:00:00+08:00">
<link rel="canonical" href="https://lombokkini.example/polda-ntb-debat-pilgub"></head>
<body><nav>Beranda | Politik</nav><article><h1>Polda NTB Amankan Debat Publik Pilgub</h1>
<p>MATARAM - Polda NTB menyiagakan 600 personel untuk mengamankan debat publik Pilgub NTB 2024 di Kota Mataram, Rabu (23/10/2024).</p>
<p>Kabid Humas Polda NTB Kombes Pol Rio Indra Lesmana mengatakan pengamanan berjalan lancar.</p></article>
<footer>Copyright Lombok Kini</footer></body></html>
"""  # noqa: E501  article text, one line per paragraph


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "kudus.txt").write_text(KUDUS, encoding="utf-8")
    (folder / "palu.txt").write_text(PALU, encoding="utf-8")
    (folder / "ntb.html").write_text(PAGE, encoding="utf-8")
    return folder


def ingest(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["ingest", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_folder_becomes_valid_entries_and_a_table(capsys, inbox, tmp_path):
    content = tmp_path / "content"
    code, out, err = ingest(capsys, str(inbox), "--content", str(content))
    assert code == 0, err
    entries = load_all(content, load())  # the project's own loader and validation
    assert sorted((e.province, e.stage) for e in entries) == [
        ("jawa-tengah", "persiapan"), ("nusa-tenggara-barat", "kampanye"), ("sulawesi-tengah", "rekapitulasi")]
    header = out.splitlines()[-4]
    assert header.split() == ["file", "province", "stage", "date", "review", "result"]
    assert "palu.txt: review title: teks tidak memiliki judul; judul ini disusun dari paragraf pembuka" in out
    assert len(re.findall(r"  written \S+\.md$", out, re.MULTILINE)) == 3


def test_quiet_writes_the_entries_and_prints_nothing(capsys, inbox, tmp_path):
    content = tmp_path / "content"
    code, out, err = ingest(capsys, str(inbox), "--content", str(content), "--quiet")
    assert code == 0 and out == "" and err == ""  # no table, no review notes, no progress off a terminal
    assert len(load_all(content, load())) == 3


def test_existing_entries_are_reported_not_overwritten_unless_forced(capsys, inbox, tmp_path):
    content = tmp_path / "content"
    ingest(capsys, str(inbox / "kudus.txt"), "--content", str(content))
    [written] = content.glob("*.md")
    edited = written.read_text(encoding="utf-8").replace("rakor membahas", "RAKOR EDITED membahas")
    written.write_text(edited, encoding="utf-8")
    code, out, _ = ingest(capsys, str(inbox / "kudus.txt"), "--content", str(content))
    assert code == 0 and "duplicate: same id as" in out
    assert "RAKOR EDITED" in written.read_text(encoding="utf-8")
    code, out, _ = ingest(capsys, str(inbox / "kudus.txt"), "--content", str(content), "--force")
    assert code == 0 and f"replaced {written}" in out
    assert "RAKOR EDITED" not in written.read_text(encoding="utf-8")
    assert not list(content.glob(".*.tmp"))


def test_the_same_source_url_is_one_story(capsys, inbox, tmp_path):
    content = tmp_path / "content"
    url = "https://palu.example/berita/pleno"
    ingest(capsys, str(inbox / "palu.txt"), "--content", str(content), "--url", url)
    (inbox / "palu2.txt").write_text(PALU.replace("250 personel", "300 personel").replace("Hotel Santika", "aula KPU"),
                                     encoding="utf-8")
    code, out, _ = ingest(capsys, str(inbox / "palu2.txt"), "--content", str(content), "--url", url)
    assert "duplicate: same source.url as" in out
    assert len(list(content.glob("*.md"))) == 1


def test_dry_run_prints_front_matter_and_writes_nothing(capsys, inbox, tmp_path):
    content = tmp_path / "content"
    code, out, _ = ingest(capsys, str(inbox / "kudus.txt"), "--content", str(content), "--dry-run")
    assert code == 0
    assert "title: Polres Kudus Gelar Rakor Pengamanan Pemilu 2024" in out and "province: Jawa Tengah" in out
    assert "dry run" in out
    assert not content.exists()


def test_standard_input(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "digest", "ingest", "-", "--dry-run", "--content", str(tmp_path)],
                          input=PALU, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "province: Sulawesi Tengah" in done.stdout and "<stdin>" in done.stdout


def test_bad_inputs_fail_with_one_line_each_and_the_rest_still_goes_in(capsys, inbox, tmp_path):
    (inbox / "rusak.txt").write_bytes(b"\x00\x01binary")
    (inbox / "latin1.txt").write_bytes("Berita pengamanan di Kota Palu \xe9".encode("latin-1"))
    content = tmp_path / "content"
    code, out, err = ingest(capsys, str(inbox), "--content", str(content))
    assert code == 1
    assert f"{inbox / 'rusak.txt'}: is a binary file, not text or HTML" in err
    assert f"{inbox / 'latin1.txt'}: is not UTF-8 text; save it as UTF-8" in err
    assert "Traceback" not in err
    assert len(list(content.glob("*.md"))) == 3


@pytest.mark.parametrize("args,message", [
    (["nowhere.txt"], "nowhere.txt: no such file or folder"),
    (["a.txt", "b.txt", "--url", "https://x.example/1"], "--url: describes one article but 2 inputs were given"),
    (["a.txt", "--province", "Jawa Tngah"], "--province: 'Jawa Tngah' is not a province (did you mean 'Jawa Tengah'?)"),
    (["a.txt", "--regency", "Malang"], "--regency: 'Malang' may be Kabupaten Malang or Kota Malang: write which"),
    (["a.txt", "--stage", "kampanya"], "--stage: 'kampanya' is not a stage (did you mean 'kampanye'?)"),
    (["a.txt", "--date", "14/2/2024"], "--date: '14/2/2024' is not a date: write YYYY-MM-DD"),
    (["a.txt", "--url", "palu.example/berita"], "--url: 'palu.example/berita' must be an absolute http(s) address"),
    ([], "digest ingest: name the articles to ingest, or give --manifest"),
])
def test_usage_errors(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(PALU, encoding="utf-8")
    (tmp_path / "b.txt").write_text(KUDUS, encoding="utf-8")
    code, _, err = ingest(capsys, *args)
    assert code == 1 and message in err


def test_a_bad_published_date_is_a_one_line_error(capsys, tmp_path):
    code = main(["ingest", str(tmp_path), "--published", "16/10/2023"])
    assert code == 1
    assert capsys.readouterr().err.strip() == ("--published: '16/10/2023' is not a date: "
                                               "write YYYY-MM-DD, e.g. 2023-10-16")


def test_an_article_without_a_place_is_a_draft_naming_what_is_missing(capsys, tmp_path):
    (tmp_path / "tanpa-tempat.txt").write_text(
        "Personel gabungan menyiagakan diri untuk pengamanan Pemilu 2024, Rabu (14/2/2024).", encoding="utf-8")
    code, out, err = ingest(capsys, str(tmp_path / "tanpa-tempat.txt"), "--content", str(tmp_path / "c"))
    assert code == 0, err
    [entry] = (tmp_path / "c").glob("*.md")
    text = entry.read_text(encoding="utf-8")
    assert "\nprovince:\n" in text and "draft: true" in text and "- province" in text
    assert "review province: provinsi kosong: tidak ada tempat dalam teks yang menunjuk provinsi" in out
    assert "draft (missing province)" in out


def test_text_that_is_no_election_news_is_refused_with_one_line(capsys, tmp_path):
    (tmp_path / "resep.txt").write_text("Cara membuat rendang daging sapi yang empuk dan lezat untuk keluarga "
                                        "di rumah.", encoding="utf-8")
    code, out, err = ingest(capsys, str(tmp_path / "resep.txt"), "--content", str(tmp_path / "c"))
    assert code == 1 and not (tmp_path / "c").exists()
    assert err.splitlines()[0] == (f"{tmp_path / 'resep.txt'}: not about the 2024 elections: the text names no "
                                   "election, election body or voting term")
    assert "refused" in out


def test_ingested_entries_build_into_the_site(capsys, inbox, tmp_path):
    from digest.build import build
    from tests.conftest import make_config

    content = tmp_path / "content"
    assert ingest(capsys, str(inbox), "--content", str(content))[0] == 0
    build(make_config(tmp_path, content))
    pages = list((tmp_path / "site" / "berita").glob("*/index.html"))
    assert len(pages) == 3


def test_a_file_that_takes_the_new_name_is_never_replaced(capsys, inbox, tmp_path):
    content = tmp_path / "content"
    code, out, _ = ingest(capsys, str(inbox / "palu.txt"), "--content", str(content), "--dry-run")
    name = re.search(r"^id: (\S+)", out, re.M).group(1)
    content.mkdir()
    mine = content / f"{name}.md"
    mine.write_text("catatan editor yang belum selesai\n", encoding="utf-8")  # not even a valid entry
    code, out, _ = ingest(capsys, str(inbox / "palu.txt"), "--content", str(content))
    assert mine.read_text(encoding="utf-8") == "catatan editor yang belum selesai\n"
    assert "has the entry's name but is no readable entry; it is left as it is" in out
    assert (content / f"{name}-2.md").is_file()
    code, out, _ = ingest(capsys, str(inbox / "palu.txt"), "--content", str(content), "--force")
    assert mine.read_text(encoding="utf-8") == "catatan editor yang belum selesai\n"  # --force does not change that


def test_an_entry_written_under_a_free_name_takes_that_name_as_its_id(capsys, inbox, tmp_path):
    """The entry written beside an editor's unfinished <id>.md, as <id>-2.md, is entry <id>-2: once
    the editor's file becomes an entry (its id from its name), `digest check` finds no shared id."""
    content = tmp_path / "content"
    code, out, _ = ingest(capsys, str(inbox / "palu.txt"), "--content", str(content), "--dry-run")
    name = re.search(r"^id: (\S+)", out, re.M).group(1)
    content.mkdir()
    unfinished = content / f"{name}.md"
    unfinished.write_text("catatan editor yang belum selesai\n", encoding="utf-8")
    code, out, _ = ingest(capsys, str(inbox / "palu.txt"), "--content", str(content))
    beside = content / f"{name}-2.md"
    assert code == 0 and f"written {beside}" in out
    assert frontmatter.parse(str(beside), beside.read_text(encoding="utf-8")).meta["id"] == f"{name}-2"
    ingest(capsys, str(inbox / "kudus.txt"), "--content", str(tmp_path / "other"), "--url", "https://kudus.example/1")
    [finished] = (tmp_path / "other").glob("*.md")
    unfinished.write_text(re.sub(r"^id: .*\n", "", finished.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    code = main(["check", str(content)])
    out = capsys.readouterr().out
    assert code == 0 and ": error:" not in out, out


def test_an_entry_the_build_would_refuse_still_holds_its_source_url(capsys, inbox, tmp_path):
    """Ingest reads content/ with the build's loader: a file an editor is still fixing (a stage
    misspelt) keeps its story, so the same article is a duplicate, not a second entry."""
    content = tmp_path / "content"
    url = "https://palu.example/berita/pleno"
    ingest(capsys, str(inbox / "palu.txt"), "--content", str(content), "--url", url)
    written, = content.glob("*.md")
    written.write_text(re.sub(r"^stage: .*$", "stage: rekapitulsi", written.read_text(encoding="utf-8"), flags=re.M),
                       encoding="utf-8")
    code, out, _ = ingest(capsys, str(inbox / "palu.txt"), "--content", str(content), "--url", url)
    assert code == 0 and f"duplicate: same source.url as {written}" in out
    assert list(content.glob("*.md")) == [written]
