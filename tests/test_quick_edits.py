"""The quick path: once a structure has been built twice, an edit that moves nothing renders the
outputs that show the edited entry without loading the others or building the site model, and
gives the site a clean build gives. Anything it cannot vouch for takes the full path."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from digest import config as config_mod
from digest import urls
from digest.build import build
from digest.errors import DigestError
from digest.incremental.storedentry import StoredEntry
from digest.output.cache import Shelf
from digest.site import model as sitemodel
from digest.site import opendata
from tests.corpus import edit_entry
from tests.sitetools import parse, tree_bytes
from tests.test_incremental import TODAY, Project


def _meta(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def _build(project: Project):
    cfg = config_mod.load(project.root / "digest.yaml", output=project.root / "site")
    return build(cfg, today=TODAY, config_path=project.root / "digest.yaml")


@pytest.fixture
def kept(tmp_path):
    """A project built, then edited and built again: the second build keeps the site model."""
    project = Project(tmp_path, n=60)
    _build(project)
    edit_entry(project.files()[7], "\nParagraf pertama koreksi.\n")
    _build(project)
    return project


@pytest.fixture
def model_calls(monkeypatch):
    calls = []
    real = sitemodel.build_model

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(sitemodel, "build_model", counted)
    return calls


def test_an_edit_that_moves_nothing_skips_the_model_and_equals_a_clean_build(kept, model_calls):
    edited = kept.files()[12]
    edit_entry(edited, "\nKoreksi redaksi: jumlah personel diperbarui.\n", title="Judul sesudah koreksi",
               summary="Ringkasan baru.")
    report = _build(kept)
    assert model_calls == []
    assert report.explanation.parsed == 1
    assert report.explanation.pages[0] >= 2  # its article and at least one listing
    assert report.explanation.pages[1] > 50  # the other pages were reused
    site = tree_bytes(kept.root / "site")
    assert site == kept.reference()
    url = urls.entry(_meta(edited)['id'])
    article = parse(kept.root / "site", url)
    assert article.findtext(".//h1").strip() == "Judul sesudah koreksi"
    assert article.xpath("//div[@class='body']/p")[-1].text_content() == "Koreksi redaksi: jumlah personel diperbarui."
    [province] = article.xpath("//a[starts-with(@data-pagefind-filter, 'Provinsi')]/@href")
    listing = parse(kept.root / "site", province)
    assert [a.text_content().strip() for a in listing.xpath(f"//a[@href='{url}']")] == ["Judul sesudah koreksi"]
    model_calls.clear()  # the reference build made a model
    edit_entry(edited, "\nDua kali.\n")  # and again: the kept model is still right
    _build(kept)
    assert model_calls == []
    assert tree_bytes(kept.root / "site") == kept.reference()


def _shown_ids(output: sitemodel.Page | sitemodel.Feed) -> set[str]:
    return {v.entry.id for v in (output.shown if isinstance(output, sitemodel.Page) else output.items)}


def test_an_edit_reads_only_the_entries_its_outputs_show(tmp_path, monkeypatch):
    """The open data lists every entry, yet an edit reads from the cache only the entries shown by
    the pages and feeds that show the edited one: the others' open data rows are kept."""
    project = Project(tmp_path, n=80)
    project.settings.update(items_per_page=4, feed_size=4)
    project.write_settings()
    _build(project)
    models = []
    real_model = sitemodel.build_model
    monkeypatch.setattr(sitemodel, "build_model", lambda *a, **k: models.append(real_model(*a, **k)) or models[-1])
    edit_entry(project.files()[5], "\nKoreksi pertama.\n")
    _build(project)  # keeps the model
    [model] = models
    edited = project.files()[40]
    edited_id = _meta(edited)["id"]
    touched = [o for o in (*model.pages, *model.feeds) if edited_id in _shown_ids(o)]
    listing_all = [o for o in touched if getattr(o, "template", None) in (opendata.CSV, opendata.JSON)]
    assert len(listing_all) == 2 and all(len(_shown_ids(o)) == 80 for o in listing_all)
    expected = set().union(*(_shown_ids(o) for o in touched if o not in listing_all))
    assert edited_id in expected and len(expected) < 40

    read: list[str] = []
    real_get = Shelf.get

    def spying(shelf: Shelf, key: bytes):
        found = real_get(shelf, key)
        if shelf.folder.name == "entries" and found is not None:
            read.append(StoredEntry(found[0], "").id)
        return found

    monkeypatch.setattr(Shelf, "get", spying)
    edit_entry(edited, "\nKoreksi redaksi.\n", title="Judul baru di data terbuka")
    report = _build(project)
    monkeypatch.undo()
    assert report.explanation.parsed == 1 and len(models) == 1  # the quick path
    assert set(read) == expected
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        (project.root / "site" / urls.DATA_CSV.lstrip("/")).read_text(encoding="utf-8")))}
    assert len(rows) == 80 and rows[edited_id]["judul"] == "Judul baru di data terbuka"
    assert tree_bytes(project.root / "site") == project.reference()


@pytest.mark.parametrize("change", [
    {"province": "aceh", "regency": None},  # moves the entry to other listings
    {"date": "2023-06-30"},
    {"draft": True},
])
def test_an_edit_that_moves_an_entry_takes_the_full_path(kept, model_calls, change):
    edit_entry(kept.files()[20], "\nDipindah.\n", **change)
    _build(kept)
    assert model_calls == [1]
    assert tree_bytes(kept.root / "site") == kept.reference()


def test_a_duplicate_source_url_made_by_an_edit_is_still_refused(kept):
    files = kept.files()
    taken = _meta(files[3])["source"]
    edit_entry(files[30], "\nSumber lain.\n", source=taken)
    before = tree_bytes(kept.root / "site")
    with pytest.raises(DigestError) as failed:
        _build(kept)
    assert any("source.url is the same as in" in p.message for p in failed.value.problems)
    assert tree_bytes(kept.root / "site") == before


def test_a_broken_edit_is_reported_with_its_line(kept):
    path = kept.files()[9]
    path.write_text(path.read_text(encoding="utf-8").replace("stage: ", "stage: kampnye-", 1), encoding="utf-8")
    with pytest.raises(DigestError) as failed:
        _build(kept)
    [problem] = failed.value.problems
    stage_line = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                      if line.startswith("stage: "))
    assert (problem.path, problem.line) == (str(path), stage_line)
    assert "kampnye-" in problem.message


def test_new_and_removed_files_take_the_full_path(kept, model_calls):
    files = kept.files()
    files[0].rename(files[0].with_name("dipindah.md"))
    _build(kept)
    files[1].unlink()
    _build(kept)
    assert model_calls == [1, 1]  # before the reference build below
    assert tree_bytes(kept.root / "site") == kept.reference()
