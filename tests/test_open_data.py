"""Open data: /data/berita.csv and /data/berita.json hold exactly the public entries, read back
as a data user would (csv and json modules), and stay right through incremental builds."""

from __future__ import annotations

import csv
import io
import json

import pytest

from digest import config as config_mod
from digest import urls
from digest.build import Options, build
from digest.content.loader import load_all
from digest.incremental import cachedir
from digest.output import cache
from digest.output.cache import Shelf
from digest.site import opendata
from tests.corpus import edit_entry
from tests.sitetools import page_file, parse, tree_bytes
from tests.test_incremental import REF, TODAY, Project

BASE = "https://digest.example.id"


def _read(site):
    raw = page_file(site, urls.DATA_CSV).read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    return raw, rows, json.loads(page_file(site, urls.DATA_JSON).read_bytes())


def _public(project):
    return [e for e in load_all(project.root / "content", REF) if Options(today=TODAY).shows(e)]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A generated project with drafts and a scheduled entry, built once."""
    project = Project(tmp_path_factory.mktemp("data"), n=45)
    project.settings["search"] = False
    project.write_settings()
    files = project.files()
    for path in files[:3]:
        edit_entry(path, draft=True)
    edit_entry(files[3], published="2030-01-01")
    edit_entry(files[4], officials=[{"name": "Siti Rahmawati", "rank": "", "role": "Ketua KPU; Kota \"Batu\""},
                                    {"name": "Andi Rian", "rank": "AKBP", "role": ""}],
               agencies=["KPU Kota Batu", "Polres Batu, Jatim"], figures={"personnel": 350, "budget_idr": 131000000000})
    project.build()
    return project


def test_the_files_hold_exactly_the_public_entries(project):
    raw, rows, data = _read(project.root / "site")
    public = _public(project)
    hidden = {p.stem for p in project.files()[:4]}
    assert len(public) == 41 and not hidden & {e.id for e in public}
    expected = [e.id for e in sorted(public, key=lambda e: (e.date, e.id), reverse=True)]  # as the site lists them
    assert [r["id"] for r in rows] == expected
    assert [r["id"] for r in data["berita"]] == expected
    assert data["jumlah"] == len(expected) and data["url"] == BASE + "/"
    assert raw.startswith(",".join(opendata.COLUMNS).encode() + b"\r\n")  # header row, RFC 4180 line ends
    assert raw.count(b"\r\n") == len(expected) + 1 and b"\n" not in raw.replace(b"\r\n", b"")
    assert list(rows[0]) == list(opendata.COLUMNS) == list(data["berita"][0])


def test_every_row_says_what_its_entry_says(project):
    _, rows, data = _read(project.root / "site")
    by_id = {e.id: e for e in _public(project)}
    for row, record in zip(rows, data["berita"], strict=True):
        entry = by_id[row["id"]]
        province = REF.province_by_slug[entry.province]
        regency = REF.regency_by_code[entry.regency] if entry.regency else None
        assert record["url"] == row["url"] == BASE + urls.entry(entry.id)
        assert record["judul"] == row["judul"] == entry.title
        assert record["tanggal"] == row["tanggal"] == entry.date.isoformat()
        assert record["provinsi"] == row["provinsi"] == province.name
        assert record["kabkota"] == (regency.name if regency else None)
        assert row["kabkota_kode"] == (regency.code if regency else "")
        assert record["pemilihan"] == list(entry.elections) and row["pemilihan"] == "; ".join(entry.elections)
        assert record["tahapan"] == row["tahapan"] == entry.stage
        assert record["lembaga"] == list(entry.agencies) and row["lembaga"] == "; ".join(entry.agencies)
        assert record["personel"] == entry.personnel
        assert row["personel"] == ("" if entry.personnel is None else str(entry.personnel))
        assert record["sumber_url"] == row["sumber_url"] == entry.source_url
        assert [o["nama"] for o in record["pejabat"]] == [o.name for o in entry.officials]
        page = parse(project.root / "site", urls.entry(entry.id))  # and the row's URL is the article's page
        assert page.findtext(".//h1").strip() == entry.title


def test_lists_and_quotes_survive_a_csv_reader(project):
    _, rows, data = _read(project.root / "site")
    edited = project.files()[4].stem
    [row] = [r for r in rows if r["id"] == edited]
    [record] = [r for r in data["berita"] if r["id"] == edited]
    assert row["pejabat"] == 'Siti Rahmawati (Ketua KPU; Kota "Batu"); AKBP Andi Rian'
    assert record["pejabat"] == [{"nama": "Siti Rahmawati", "pangkat": None, "jabatan": 'Ketua KPU; Kota "Batu"'},
                                 {"nama": "Andi Rian", "pangkat": "AKBP", "jabatan": None}]
    assert row["lembaga"] == "KPU Kota Batu; Polres Batu, Jatim"
    assert (row["personel"], row["anggaran_rp"]) == ("350", "131000000000")
    assert (record["personel"], record["anggaran_rp"]) == (350, 131000000000)


def test_the_footer_links_the_data_on_every_page_kind(project):
    site = project.root / "site"
    for url in (urls.HOME, urls.PROVINCES, urls.entry(_public(project)[0].id), urls.NOT_FOUND):
        links = parse(site, url).xpath("//footer//a/@href")
        assert urls.DATA_CSV in links and urls.DATA_JSON in links, url


def test_an_edit_rewrites_the_data_as_a_clean_build_would(tmp_path):
    project = Project(tmp_path, n=25)
    project.settings["search"] = False
    project.write_settings()
    project.build()
    site = project.root / "site"
    inodes = {u: page_file(site, u).stat().st_ino for u in (urls.DATA_CSV, urls.DATA_JSON)}
    project.build()
    assert {u: page_file(site, u).stat().st_ino for u in inodes} == inodes  # no-op: not rewritten

    edited = project.files()[6]
    edit_entry(edited, agencies=["Bawaslu Kota Batu"], draft=False)
    project.build()
    _, rows, data = _read(site)
    assert [r["lembaga"] for r in rows if r["id"] == edited.stem] == ["Bawaslu Kota Batu"]
    assert tree_bytes(site) == project.reference()

    edit_entry(edited, draft=True)  # withdrawn: gone from both files
    project.build()
    _, rows, data = _read(site)
    assert edited.stem not in {r["id"] for r in rows} | {r["id"] for r in data["berita"]}
    assert tree_bytes(site) == project.reference()


def test_same_content_same_bytes(project, tmp_path):
    cfg = config_mod.load(project.root / "digest.yaml", output=tmp_path / "again")
    build(cfg, today=TODAY, clean=True, jobs=1, cache_dir=tmp_path / "cache")
    for url in (urls.DATA_CSV, urls.DATA_JSON):
        assert page_file(tmp_path / "again", url).read_bytes() == page_file(project.root / "site", url).read_bytes()


def test_an_edit_encodes_only_the_rows_it_changed(tmp_path, monkeypatch):
    """The cache keeps each entry's row by its file: an edit (first after a cold build, then on the
    quick path) encodes the edited entry alone and still gives a clean build's bytes; a new base
    URL, which every row's URL column shows, encodes them all again."""
    project = Project(tmp_path, n=30)
    project.settings["search"] = False
    project.write_settings()
    project.build()
    encoded: list[str] = []
    encode = opendata.encode

    def counted(view, absolute):
        encoded.append(view.entry.id)
        return encode(view, absolute)

    monkeypatch.setattr(opendata, "encode", counted)
    site = project.root / "site"
    edited = project.files()[7]
    for revision in range(2):
        edit_entry(edited, title=f"Judul baru nomor {revision}", agencies=["Bawaslu Kota Batu", f"Polres {revision}"])
        encoded.clear()
        project.build()
        assert encoded == [edited.stem]
        _, rows, data = _read(site)
        assert [r["judul"] for r in rows if r["id"] == edited.stem] == [f"Judul baru nomor {revision}"]
        assert [r["lembaga"] for r in data["berita"] if r["id"] == edited.stem] == [["Bawaslu Kota Batu",
                                                                                     f"Polres {revision}"]]
        assert tree_bytes(site) == project.reference()

    project.settings["base_url"] = "https://data.example.id/"
    project.write_settings()
    encoded.clear()
    project.build()
    public = _public(project)
    assert sorted(encoded) == sorted(e.id for e in public)
    _, rows, _ = _read(site)
    assert {r["url"] for r in rows} == {"https://data.example.id" + urls.entry(e.id) for e in public}
    assert tree_bytes(site) == project.reference()


def _rows_kept(root) -> int:
    """How many open data rows the build cache keeps."""
    key = cachedir.code_key()
    return sum(len(cache.read(shard, key)) for shard in (root / cachedir.NAME / "rows").iterdir())


def test_an_edit_on_the_quick_path_replaces_its_rows_in_the_files(tmp_path, monkeypatch):
    """Once the model is kept, an edit replaces the edited entries' rows in the files the last
    build made: it reads no other entry's row from the cache, and gives a clean build's bytes."""
    project = Project(tmp_path, n=40)
    project.settings["search"] = False
    project.write_settings()
    project.build()
    edit_entry(project.files()[3], "\nKoreksi pertama.\n")
    project.build()  # keeps the model
    rows_read: list[bytes] = []
    real_get = Shelf.get

    def spying(shelf: Shelf, key: bytes):
        if shelf.folder.name == "rows":
            rows_read.append(key)
        return real_get(shelf, key)

    monkeypatch.setattr(Shelf, "get", spying)
    site = project.root / "site"
    rows_before = _rows_kept(tmp_path)
    first, second = project.files()[9], project.files()[30]
    edit_entry(first, title='Polres "Batu", Jatim: pengamanan, tahap dua', agencies=["Bawaslu Kota Batu"])
    edit_entry(second, "\nIsi saja yang berubah.\n")  # its row stays as it was
    report = project.build()
    assert report.explanation.parsed == 2
    assert len(rows_read) == 4  # each edited entry's rows: as its file was, and now
    _, rows, data = _read(site)
    assert [r["judul"] for r in rows if r["id"] == first.stem] == ['Polres "Batu", Jatim: pengamanan, tahap dua']
    assert [r["lembaga"] for r in data["berita"] if r["id"] == first.stem] == [["Bawaslu Kota Batu"]]
    assert tree_bytes(site) == project.reference()
    assert _rows_kept(tmp_path) == rows_before  # the edited entries' old rows were dropped


def test_a_file_holding_a_row_twice_is_not_patched(project):
    """A row is replaced only where it is found exactly once: a field holding a copy of another
    row (which no digest file has, but a hand-made one could) makes the build render the file whole."""
    site = project.root / "site"
    made = page_file(site, urls.DATA_CSV).read_bytes()
    lines = made.split(b"\r\n")
    old = (lines[5] + b"\r\n", b"{}")
    new = (lines[5].replace(b",", b";", 1) + b"\r\n", b"{}")
    patched = opendata.patch(opendata.CSV, made, [opendata.Replacement(old, new)])
    assert patched is not None and patched.split(b"\r\n")[5] == new[0][:-2]
    assert patched.replace(new[0], old[0]) == made
    copied = made + b'x,"copy\r\n' + old[0] + b'"\r\n'
    assert opendata.patch(opendata.CSV, copied, [opendata.Replacement(old, new)]) is None
    assert opendata.patch(opendata.CSV, made, [opendata.Replacement((b"nowhere\r\n", b"{}"), new)]) is None
