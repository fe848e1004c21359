"""Incremental builds are always right: after any sequence of edits, additions, deletions, renames,
template, config and static changes and broken files, the site an incremental (and parallel)
build leaves is byte for byte the site a clean single-process build makes from the same inputs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
import random
import shutil
import subprocess
import sys
import types
from pathlib import Path

import jinja2
import pytest
import yaml

from digest import config as config_mod
from digest import urls
from digest.build import BuildReport, Options, build
from digest.content.entry import Entry
from digest.content.loader import load_all
from digest.errors import DigestError
from digest.incremental import cachedir, parallel
from digest.incremental.cachedir import PACKAGE, build_sources
from digest.incremental.fingerprint import Fingerprinter
from digest.output.writer import Tree
from digest.reference.refdata import load
from digest.site.model import STRUCTURE, EntryView, build_model
from digest.site.render import CompiledTemplates
from tests.conftest import ROOT, run_digest
from tests.corpus import edit_entry, write_corpus
from tests.sitetools import output_key, tree_bytes

REF = load()
TODAY = dt.date(2025, 1, 1)


class Project:
    """A content folder, templates and digest.yaml of its own, built incrementally into site/."""

    def __init__(self, root: Path, n: int):
        self.root = root
        shutil.copytree(ROOT / "templates", root / "templates")
        self.settings = yaml.safe_load((ROOT / "digest.yaml").read_text(encoding="utf-8"))
        self.settings.update(content="content", output="site", templates="templates")
        self.write_settings()
        write_corpus(root / "content", n=n)
        self.serial = 0

    def write_settings(self) -> None:
        (self.root / "digest.yaml").write_text(yaml.safe_dump(self.settings, allow_unicode=True), encoding="utf-8")

    def files(self) -> list[Path]:
        return sorted((self.root / "content").rglob("*.md"))

    def build(self, output: str = "site", **options) -> BuildReport:
        cfg = config_mod.load(self.root / "digest.yaml", output=self.root / output)
        return build(cfg, today=TODAY, config_path=self.root / "digest.yaml", **options)

    def reference(self) -> dict[str, bytes]:
        """A clean build in one process, with a cache of its own, into a fresh folder."""
        out = f"reference-{self.serial}"
        self.serial += 1
        self.build(out, clean=True, jobs=1, cache_dir=self.root / "reference-cache")
        return tree_bytes(self.root / out)


def _folders(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*") if p.is_dir()}


def _edit(p: Project, rng: random.Random) -> str:
    path = rng.choice(p.files())
    edit_entry(path, f"\nParagraf tambahan {rng.random()}.\n", title=f"Judul diperbarui {rng.randrange(10**6)}")
    return f"edit {path.name}"


def _move(p: Project, rng: random.Random) -> str:
    """Change what places an entry in listings: date, province, stage."""
    path = rng.choice(p.files())
    province = rng.choice(REF.provinces)
    edit_entry(path, date=dt.date(2023, 6, 1) + dt.timedelta(days=rng.randrange(600)), province=province.name,
               regency=rng.choice(REF.regencies_of(province)).name, stage=rng.choice(list(REF.stages)))
    return f"move {path.name}"


def _add(p: Project, rng: random.Random) -> str:
    source = rng.choice(p.files())
    new_id = f"baru-{rng.randrange(10**9)}"
    target = p.root / "content" / rng.choice(["", "sub/"]) / f"{new_id}.md"
    target.parent.mkdir(exist_ok=True)
    shutil.copy(source, target)
    edit_entry(target, id=new_id, source={"outlet": "Baru", "url": f"https://baru.example/{new_id}"})
    return f"add {target.name}"


def _delete(p: Project, rng: random.Random) -> str:
    path = rng.choice(p.files())
    path.unlink()
    return f"delete {path.name}"


def _rename(p: Project, rng: random.Random) -> str:
    path = rng.choice(p.files())
    target = path.with_name(f"dipindah-{rng.randrange(10**6)}-{path.name}")
    path.rename(target)
    return f"rename {path.name}"


def _draft(p: Project, rng: random.Random) -> str:
    path = rng.choice(p.files())
    edit_entry(path, draft=rng.random() < 0.7, published=rng.choice([dt.date(2024, 5, 1), dt.date(2999, 1, 1)]))
    return f"draft/schedule {path.name}"


def _template(p: Project, rng: random.Random) -> str:
    name = rng.choice(["stage.html", "entry.html", "base.html", "_list.html", "sitemap.xml", "static/style.css"])
    path = p.root / "templates" / name
    marker = f"penanda-{rng.randrange(10**6)}"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + (f"/* {marker} */\n" if name.endswith(".css") else f"{{# {marker} #}}{marker}\n"),
                    encoding="utf-8")
    return f"template {name}"


def _config(p: Project, rng: random.Random) -> str:
    key, value = rng.choice([("items_per_page", rng.randrange(3, 25)), ("feed_size", rng.randrange(5, 60)),
                             ("title", f"Digest {rng.randrange(1000)}"), ("description", f"Desk {rng.random()}"),
                             ("base_url", rng.choice(["https://digest.example.id/", "http://a.example/sub/"]))])
    p.settings[key] = value
    p.write_settings()
    return f"config {key}={value}"


def _broken(p: Project, rng: random.Random) -> str:
    """A broken file fails the build and leaves site/ as it was; fixing it builds again."""
    path = rng.choice(p.files())
    good = path.read_bytes()
    before = tree_bytes(p.root / "site")
    path.write_text(good.decode().replace("stage:", "stage: kampnye\nxstage:", 1), encoding="utf-8")
    with pytest.raises(DigestError):
        p.build()
    assert tree_bytes(p.root / "site") == before
    path.write_bytes(good)
    return f"broken then fixed {path.name}"


STEPS = [_edit, _edit, _edit, _move, _move, _add, _add, _delete, _rename, _draft, _template, _config, _broken]


@pytest.mark.parametrize("seed,steps", [(2024, 22), (1, 8), (7, 8)])
def test_incremental_builds_equal_clean_builds(tmp_path, monkeypatch, seed, steps):
    """Incremental builds on two worker processes, however few outputs they redo, against clean
    builds in one process."""
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    rng = random.Random(seed)
    project = Project(tmp_path, n=40)
    project.build(jobs=2)
    assert tree_bytes(tmp_path / "site") == project.reference()
    for _ in range(steps):
        done = [rng.choice(STEPS)(project, rng) for _ in range(rng.choice([1, 1, 2, 3]))]
        project.build(jobs=2)
        site = tmp_path / "site"
        assert tree_bytes(site) == project.reference(), done
        assert _folders(site) == _folders(tmp_path / f"reference-{project.serial - 1}"), done
        assert not (tmp_path / ".site.work").exists()


def test_nothing_changed_rebuilds_nothing_and_touch_is_not_a_change(tmp_path):
    project = Project(tmp_path, n=30)
    project.build()
    before = {p: p.stat().st_ino for p in (tmp_path / "site").rglob("*.html")}
    project.files()[3].touch()
    project.build()
    assert {p: p.stat().st_ino for p in (tmp_path / "site").rglob("*.html")} == before


def test_clean_build_keeps_the_files_whose_bytes_did_not_change(tmp_path):
    """After --clean, pages with the same bytes keep their inode (rsync and mtime-based deploys
    send only what changed), an edited article is a new file, and the spare generation is whole."""
    project = Project(tmp_path, n=30)
    project.build()
    site = tmp_path / "site"
    before = {p.relative_to(site).as_posix(): p.stat() for p in site.rglob("*.html")}
    edited = project.files()[4]
    edit_entry(edited, "\nParagraf koreksi.\n", title="Judul sesudah koreksi")
    entry_id = yaml.safe_load(edited.read_text(encoding="utf-8").split("---\n")[1])["id"]
    project.build(clean=True, jobs=2)
    after = {p.relative_to(site).as_posix(): p.stat() for p in site.rglob("*.html")}
    assert tree_bytes(site) == project.reference()
    article = output_key(urls.entry(entry_id))
    assert after[article].st_ino != before[article].st_ino
    kept = [rel for rel in after if rel in before and after[rel].st_ino == before[rel].st_ino]
    assert len(kept) >= len(after) // 2, "most pages did not change and should have been kept"
    assert "404.html" in kept
    spare = tmp_path / ".site.prev"
    assert tree_bytes(spare) == tree_bytes(site)  # the next build starts from a full copy
    edit_entry(edited, "\nLagi.\n", title="Judul kedua")
    project.build()
    assert tree_bytes(site) == project.reference()


def test_a_corrupt_or_torn_cache_is_ignored(tmp_path):
    project = Project(tmp_path, n=30)
    project.build()
    edit_entry(project.files()[0], "\nLagi.\n", title="Sesudah cache rusak")
    cache = tmp_path / ".digest-cache"
    for i, path in enumerate(p for p in sorted(cache.rglob("*")) if p.is_file()):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if i % 2 else data[:40] + b"\xff" * 8 + data[48:])
    project.build()
    assert tree_bytes(tmp_path / "site") == project.reference()


def test_a_site_folder_replaced_behind_the_cache_is_rebuilt(tmp_path):
    project = Project(tmp_path, n=30)
    project.build()
    shutil.copytree(tmp_path / "site", tmp_path / "copy")
    shutil.rmtree(tmp_path / "site")
    (tmp_path / "copy").rename(tmp_path / "site")
    (tmp_path / "site" / "stray.html").write_text("not ours")
    project.build()
    assert tree_bytes(tmp_path / "site") == project.reference()


def test_the_recorded_state_reads_back_exactly(tmp_path):
    """Every build reads the last one's state: fingerprints and the digests of the live and spare
    folders' files, packed so that the three share the live site's names. It must read back as
    it was, odd cases included (a name only one map has, a file of an unknown folder), or builds
    would quietly start afresh each time."""
    project = Project(tmp_path, n=20)
    project.build()
    edit_entry(project.files()[2], "\nKoreksi.\n")
    project.build()
    cache = cachedir.CacheDir(tmp_path / cachedir.NAME)
    state = cache.state(tmp_path / "site")
    assert state is not None and state.live is not None and state.spare is not None
    assert state.fps.keys() < state.live.files.keys()  # the live site holds its marker besides
    first = next(iter(state.live.files))
    spare = {**state.spare.files, "gone/index.html": b"g" * 16, "tentang/index.html": None}
    del spare[first]
    odd = dataclasses.replace(state, fps={**state.fps, "baru/index.html": b"f" * 16},
                              spare=Tree(state.spare.ident, spare))
    for recorded in (state, odd):
        cache.save(tmp_path / "site", recorded)
        assert cachedir.CacheDir(tmp_path / cachedir.NAME).state(tmp_path / "site") == recorded


def test_a_full_build_removes_cache_files_of_an_older_sharding(tmp_path):
    """The entry cache changed its number of shards once (their names grew a digit): the files of
    the old sharding, which no build reads again, go at the next full build."""
    project = Project(tmp_path, n=8)
    project.build()
    entries = tmp_path / cachedir.NAME / "entries"
    kept = sorted(p.name for p in entries.iterdir())
    (entries / "0a").write_bytes(b"an older digest's shard")
    edit_entry(project.files()[1], date="2024-01-05")  # moves the entry: the full path
    project.build()
    assert not (entries / "0a").exists()
    assert set(kept) <= {p.name for p in entries.iterdir()}


def test_a_clean_build_leaves_compiled_templates_for_the_next_build(tmp_path, monkeypatch):
    """--clean ignores the cache and rewrites it: the next build, in a new process, compiles none
    of the templates the clean build compiled."""
    project = Project(tmp_path, n=6)
    project.build(clean=True)
    monkeypatch.setattr(CompiledTemplates, "_compiled", {})  # what a new process holds
    compiled = []
    compile_template = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda env, source, name=None, *a, **k: compiled.append(name) or compile_template(
                            env, source, name, *a, **k))
    edit_entry(project.files()[0], "\nParagraf koreksi.\n", title="Judul sesudah build bersih")
    project.build()
    assert compiled == []
    assert tree_bytes(tmp_path / "site") == project.reference()


def test_cli_clean_and_jobs(tmp_path):
    project = Project(tmp_path, n=20)
    first = run_digest("build", "--clean", "--jobs", "2", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run_digest("build", "--jobs", "1", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "(0 changed)" in again.stdout
    quiet = run_digest("build", "--clean", "--quiet", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stdout == ""
    assert tree_bytes(tmp_path / "site") == project.reference()


def _views_in(value: object) -> list[EntryView]:
    if isinstance(value, EntryView):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in _views_in(item)]
    return []


class _Reading:
    """An entry that notes which of its fields are read, also by its properties and methods."""

    __slots__ = ("_entry", "_read")

    def __init__(self, entry: Entry, read: set[str]):
        self._entry, self._read = entry, read

    def __getattr__(self, name: str) -> object:
        found = inspect.getattr_static(Entry, name, None)
        if isinstance(found, property):
            return found.fget(self)  # type: ignore[misc]  # its reads go through this proxy too
        if inspect.isfunction(found):
            return types.MethodType(found, self)
        self._read.add(name)
        return getattr(self._entry, name)


def test_structure_names_every_field_the_model_and_the_publishing_rule_read(tmp_path):
    """site.model.STRUCTURE is complete: the model builder over entries that record their reads
    (drafts, scheduled and added entries among them) reads no other field, and reads them all."""
    generated = write_corpus(tmp_path / "content", n=80)
    for i, g in enumerate(generated[:12]):
        extra = ["draft: true", "published: 2030-01-01", f"added: 2024-12-{i + 1:02d}"][i % 3]
        text = g.path.read_text(encoding="utf-8")
        g.path.write_text(text.replace("\n---\n", f"\n{extra}\n---\n", 1) if extra.split(":")[0] + ":" not in text
                          else text, encoding="utf-8")
    entries = load_all(tmp_path / "content", REF)
    assert any(e.added for e in entries) and any(e.draft for e in entries)
    cfg = config_mod.load(ROOT / "digest.yaml", content=tmp_path / "content", output=tmp_path / "site",
                          templates=ROOT / "templates")
    read: set[str] = set()
    shown = [e for e in entries if Options(today=TODAY).shows(_Reading(e, read))]  # type: ignore[arg-type]
    model = build_model([_Reading(e, read) for e in shown], cfg, REF)  # type: ignore[misc]
    assert model.pages and model.feeds
    assert read == set(STRUCTURE)


def test_the_model_reads_entries_only_through_its_structure_fields(tmp_path):
    """What outputs.plan relies on to skip fingerprinting pages (see site.model.STRUCTURE)."""
    write_corpus(tmp_path / "content", n=80)
    entries = load_all(tmp_path / "content", REF)
    cfg = config_mod.load(ROOT / "digest.yaml", content=tmp_path / "content", output=tmp_path / "site",
                          templates=ROOT / "templates")
    model = build_model(entries, cfg, REF)
    for page in model.pages:  # entries enter pages only as the views they list
        assert {id(v) for v in _views_in(page.context)} <= {id(v) for v in page.shown}, page.url
    other = [f.name for f in dataclasses.fields(Entry) if f.name not in STRUCTURE]
    assert "title" in other and "source_url" in other
    scrambled = [dataclasses.replace(e, **{name: f"scrambled {name} {e.id}" for name in other}) for e in entries]
    by_id = Fingerprinter({e.id: e.id.encode() for e in entries})
    fingerprints = [[by_id.page(b"", p) for p in m.pages] + [by_id.feed((), f) for f in m.feeds]
                    for m in (model, build_model(scrambled, cfg, REF))]
    assert fingerprints[0] == fingerprints[1]


def test_the_cache_key_covers_every_module_a_build_runs():
    """The cache key reads every module a build imports; commands, ingest and serve stay out of it."""
    code = ("import json, sys, digest.build, digest.incremental.outputs, digest.site.render, "
            "digest.incremental.deps, digest.site.markup; "
            "print(json.dumps([m for m in sys.modules if m.startswith('digest.')]))")
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    keyed = {".".join(("digest", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
             for p in build_sources() if p.suffix == ".py"}
    imported = set(json.loads(found.stdout))
    assert imported <= keyed
    assert "digest.site.model" in keyed and "digest.incremental.cachedir" in keyed
    assert not {m for m in keyed if m.startswith(("digest.cli", "digest.commands", "digest.ingest", "digest.serve"))}


def test_editing_moving_or_adding_a_build_module_starts_a_new_cache(tmp_path, monkeypatch):
    """The key is read from the tree, so no list of modules can miss one; ingest edits keep it."""
    copy = tmp_path / "digest"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cachedir, "PACKAGE", copy)
    first = cachedir.code_key()
    with (copy / "ingest" / "clean.py").open("a") as f:
        f.write("# an ingest edit\n")
    assert cachedir.code_key() == first
    keys = {first}
    with (copy / "site" / "model.py").open("a") as f:
        f.write("# a model edit\n")
    keys.add(cachedir.code_key())
    (copy / "site" / "sorting.py").write_text('"""A module added to a layer."""\n')
    keys.add(cachedir.code_key())
    (copy / "site" / "sorting.py").rename(copy / "content" / "sorting.py")
    keys.add(cachedir.code_key())
    with (copy / "data" / "stages.yaml").open("a") as f:
        f.write("# a data edit\n")
    keys.add(cachedir.code_key())
    assert len(keys) == 5
