"""A careless operator cannot hurt the site or the machine: one build at a time, an output folder
that is digest's alone, one line for every failure of the environment (and the old site kept),
and a cache that runs no code planted in it."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from digest import urls
from digest.build import exclusive
from digest.incremental.cachedir import code_key
from digest.output.cache import secret
from digest.serve.devserver import EVENTS_PATH
from tests.conftest import ROOT, clean_build, run_digest
from tests.corpus import edit_entry
from tests.sitetools import parse, relative, sitemap, tree_bytes

pytestmark = pytest.mark.sample_content  # what a build does, not how much it builds

ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def _digest(project: Path, *args: str) -> subprocess.Popen:
    """`digest ...` started in `project`, not waited for."""
    return subprocess.Popen([sys.executable, "-m", "digest", *args], cwd=project, env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run_digest("build", "--no-search", "--quiet", *args, cwd=project)


def _one_line_failure(done: subprocess.CompletedProcess, *words: str) -> str:
    """The run failed with exit status 1 and one line naming what to fix (plus the build's
    closing 'left unchanged' line), never a traceback or an internal error."""
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stderr.splitlines() if not line.startswith("build failed:")]
    assert len(lines) == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _first_entry(project: Path) -> Path:
    return sorted((project / "content").rglob("*.md"))[0]


# One build at a time


def test_two_racing_builds_both_succeed_and_leave_a_whole_site(project):
    assert _build(project).returncode == 0
    for trial in range(3):
        edit_entry(_first_entry(project), f"\nKoreksi redaksi ke-{trial}.\n")
        racers = [_digest(project, "build", "--no-search", "--quiet") for _ in range(2)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in racers]
        for code, err in results:
            assert code == 0, err
            assert all("waiting for it to finish" in line for line in err.splitlines()), err
        assert tree_bytes(project / "site") == clean_build(project), f"trial {trial}"


def test_a_second_build_waits_for_the_first_and_says_so(project):
    assert _build(project).returncode == 0
    before = tree_bytes(project / "site")
    edit_entry(_first_entry(project), "\nKoreksi saat build lain berjalan.\n")
    with exclusive([project]):  # as a running build holds the folder of site/ and .digest-cache/
        second = _digest(project, "build", "--no-search", "--quiet")
        waiting = second.stderr.readline()
        assert waiting.startswith(f"{project}: another digest build or preview is using it; waiting"), waiting
        # said right before it blocks on the lock; it must still be blocked, the site untouched
        assert second.poll() is None and tree_bytes(project / "site") == before  # waiting, touching nothing
    assert second.wait(timeout=120) == 0
    assert second.stderr.read() == ""
    assert tree_bytes(project / "site") == clean_build(project)


def _whole(site: Path) -> None:
    """Every page the site's sitemap lists is there and is a page."""
    listed = sitemap(site)
    assert len(listed) > 50
    for loc in listed:
        assert parse(site, urlsplit(loc).path).get("lang") == "id", loc


def test_a_build_during_a_preview_of_the_same_folder_leaves_a_whole_site(project):
    serve = _digest(project, "serve", "--port", "0", "--output", "site")
    try:
        base = serve.stdout.readline().split()[1]
        for n in range(3):
            edit_entry(_first_entry(project), f"\nKoreksi saat pratinjau {n}.\n")  # the preview rebuilds meanwhile
            done = _build(project)
            assert done.returncode == 0, done.stderr
            _whole(project / "site")
        # The preview's watcher survived the races: the next save still reaches its pages.
        edit_entry(_first_entry(project), title="Judul setelah balapan build")
        article = base + relative(urls.entry(_first_entry(project).stem))
        assert _by_a_rebuild(base, lambda: "Judul setelah balapan build" in _page(article))
    finally:
        serve.terminate()
        serve.wait(timeout=10)
    assert "Traceback" not in serve.stderr.read()
    _whole(project / "site")
    assert _build(project).returncode == 0
    assert tree_bytes(project / "site") == clean_build(project)


def _page(url: str) -> str:
    """The page's text, or the error page's; empty while a busy server does not answer in time."""
    try:
        with urlopen(url, timeout=5) as response:
            return response.read().decode()
    except HTTPError as error:
        return error.read().decode()
    except (URLError, TimeoutError):  # asked again after the next rebuild
        return ""


def _by_a_rebuild(base: str, check: Callable[[], bool], within: float = 60) -> bool:
    """Whether `check` comes true within `within` seconds: asked at each build the preview
    announces on the event stream that reloads a reader's page (the current one first, then every
    rebuild), with no timer to guess, so as soon as it does on an idle machine and still on one
    loaded by other builds."""
    deadline = time.monotonic() + within
    with urlopen(base + EVENTS_PATH.removeprefix("/"), timeout=within) as events:
        for line in events:  # "data: <version>", or a keep-alive every 15 s
            if line.startswith(b"data:") and check():
                return True
            if time.monotonic() > deadline:
                break
    return False


# The output folder is digest's


def _snapshot(path: Path) -> dict[str, bytes]:
    return tree_bytes(path) if path.is_dir() else {"": path.read_bytes()}


@pytest.mark.parametrize("target", ["git repository", "notes file", "other folder"])
def test_an_output_digest_did_not_make_is_refused_and_left_intact(project, target):
    path = {"git repository": project / "repo", "notes file": project / "notes.txt",
            "other folder": project / "foto"}[target]
    if target == "git repository":
        subprocess.run(["git", "init", "-q", str(path)], check=True)
        (path / "README.md").write_text("Catatan rapat KPU.\n", encoding="utf-8")
    elif target == "notes file":
        path.write_text("Catatan liputan Polres Batu.\n", encoding="utf-8")
    else:
        path.mkdir()
        (path / "apel.jpg").write_bytes(b"\xff\xd8 foto apel pasukan")
    before = _snapshot(path)
    _one_line_failure(_build(project, "--output", str(path)), str(path), "choose another --output")
    assert _snapshot(path) == before


def test_a_foreign_folder_where_the_previous_generation_goes_is_refused(project):
    spare = project / ".site.prev"  # a build empties and rewrites it: it must be digest's too
    spare.mkdir()
    (spare / "arsip-pribadi.txt").write_text("Milik redaksi.\n", encoding="utf-8")
    _one_line_failure(_build(project), ".site.prev", "digest did not build")
    assert tree_bytes(spare) == {"arsip-pribadi.txt": b"Milik redaksi.\n"}


@pytest.mark.parametrize("inside", ["templates/static/site", "content/site", ".digest-cache/site"])
def test_an_output_inside_the_sources_or_the_cache_is_refused(project, inside):
    assert _build(project).returncode == 0  # the cache exists
    before = tree_bytes(project / inside.split("/")[0])
    _one_line_failure(_build(project, "--output", inside), "lies inside", "choose a folder outside it")
    assert tree_bytes(project / inside.split("/")[0]) == before


def test_a_symlinked_output_is_refused_and_its_target_untouched(project):
    target = project / "elsewhere"
    target.mkdir()
    (target / "penting.txt").write_text("Jangan dihapus.\n", encoding="utf-8")
    (project / "public").symlink_to(target)
    _one_line_failure(_build(project, "--output", "public"), "symbolic link", str(target))
    assert tree_bytes(target) == {"penting.txt": b"Jangan dihapus.\n"}


def test_an_empty_folder_and_a_site_an_older_digest_built_are_accepted(project):
    (project / "site").mkdir()
    assert _build(project).returncode == 0
    assert (project / "site" / ".digest-output").is_file()
    (project / "site" / ".digest-output").unlink()  # as an older digest left it: no marker
    shutil.rmtree(project / ".digest-cache")  # and a cache this version does not trust
    edit_entry(_first_entry(project), "\nKoreksi setelah pembaruan.\n")
    assert _build(project).returncode == 0
    assert tree_bytes(project / "site") == clean_build(project)


def test_a_static_file_linking_out_of_the_templates_is_refused(project, tmp_path_factory):
    secret_file = tmp_path_factory.mktemp("home") / "id_rsa"
    secret_file.write_text("KUNCI RAHASIA\n", encoding="utf-8")
    (project / "templates" / "static" / "kunci.txt").symlink_to(secret_file)
    _one_line_failure(_build(project), "kunci.txt", "symbolic link leading out of")
    assert not (project / "site").exists()


# Failures of the environment: one line, and the old site kept


@pytest.mark.parametrize("kind", ["not UTF-8", "a folder"])
def test_a_config_file_that_cannot_be_read_is_one_line(project, kind):
    config = project / "digest.yaml"
    if kind == "not UTF-8":
        config.write_bytes(b"title: Digest\ndescription: Berita \xff\xfe pengamanan\n")
        line = _one_line_failure(_build(project), "digest.yaml:2:", "UTF-8")
    else:
        config.unlink()
        config.mkdir()
        line = _one_line_failure(_build(project, "--config", "digest.yaml"), "digest.yaml", "fix the path")
    assert line.count(":") <= 3


def test_a_cache_that_is_a_file_is_one_line(project):
    (project / "cache.txt").write_text("bukan folder\n", encoding="utf-8")
    _one_line_failure(_build(project, "--cache", "cache.txt"), "cache.txt", "give --cache a folder")
    assert (project / "cache.txt").read_text(encoding="utf-8") == "bukan folder\n"


def test_serve_on_a_port_that_does_not_exist_or_is_taken_is_one_line(project):
    done = run_digest("serve", "--port", "99999", cwd=project)
    _one_line_failure(done, "--port 99999", "choose one from 1 to 65535")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = run_digest("serve", "--port", str(port), cwd=project)
    _one_line_failure(done, f"127.0.0.1:{port}", "choose another --port")


@contextlib.contextmanager
def _tmpfs(where: Path, size: str, *options: str):
    """A small RAM file system at `where` (root only; the test skips elsewhere)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join((f"size={size}", *options)), "tmpfs",
                              str(where)], capture_output=True, check=False)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=True)


def _fill(folder: Path) -> None:
    """Take every free byte of `folder`'s file system."""
    with open(folder / "penuh.bin", "wb") as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 65536)
            f.flush()
    with contextlib.suppress(OSError):  # the last few blocks
        for i in range(4096):
            (folder / f"sisa-{i}").write_bytes(b"\0" * 512)


def test_a_read_only_output_parent_is_one_line(project):
    with _tmpfs(project / "ro", "1m", "ro"):
        _one_line_failure(_build(project, "--output", "ro/site"), "ro", "writable")


def test_a_full_disk_fails_the_build_cleanly_and_keeps_the_old_site(project):
    with _tmpfs(project / "disk", "48m") as disk:
        assert _build(project, "--output", "disk/site").returncode == 0
        before = tree_bytes(disk / "site")
        _fill(disk)
        edit_entry(_first_entry(project), "\n" + "Tambahan laporan pengamanan TPS. " * 400 + "\n")
        done = _build(project, "--output", "disk/site")
        _one_line_failure(done, "the disk is full")
        assert "site was left unchanged" in done.stderr
        assert tree_bytes(disk / "site") == before
        for name in [p.name for p in disk.iterdir() if p.name.startswith(("penuh", "sisa"))]:
            (disk / name).unlink()
        assert _build(project, "--output", "disk/site").returncode == 0  # space again: builds as usual
        assert tree_bytes(disk / "site") == clean_build(project)


def test_a_full_cache_disk_after_publishing_is_a_warning_not_a_failure(project):
    with _tmpfs(project / "disk", "16m") as disk:
        assert _build(project, "--cache", "disk/cache").returncode == 0
        _fill(disk)
        edit_entry(_first_entry(project), "\nKoreksi ketika cache penuh.\n")
        done = _build(project, "--cache", "disk/cache")
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines() == [done.stderr.strip()]
        assert "the site was published, but the cache was not saved" in done.stderr
        assert tree_bytes(project / "site") == clean_build(project)


def test_a_full_cache_disk_with_an_edited_template_still_publishes(project):
    """Compiled templates are kept in the cache while pages render: a cache with no room costs a
    compile next time, never the build its pages."""
    with _tmpfs(project / "disk", "16m") as disk:
        assert _build(project, "--cache", "disk/cache").returncode == 0
        _fill(disk)
        base = project / "templates" / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>Edisi uji.</p></footer>"),
                        encoding="utf-8")
        done = _build(project, "--cache", "disk/cache")
        assert done.returncode == 0, done.stderr
        assert "Edisi uji." in parse(project / "site", "/").cssselect("footer.site")[0].text_content()


# A cache that cannot run code


class _Plant:
    """Unpickling this creates `path`: what a planted cache file would do instead."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (self.path, "dijalankan"))


def _planted_files(project: Path, payload: bytes) -> list[Path]:
    """The files a build reads first: the file digests, the output's state, every entry shard."""
    cache = project / ".digest-cache"
    found = [cache / "files", *(cache / "outputs").iterdir(), *(p for p in (cache / "entries").iterdir())]
    for path in found:
        path.write_bytes(payload)
    return found


@pytest.mark.parametrize("forgery", ["checksummed (the old format)", "signed with another key"])
def test_a_planted_cache_file_runs_nothing(project, forgery, tmp_path_factory):
    assert _build(project).returncode == 0
    ran = tmp_path_factory.mktemp("planted") / "ran.txt"
    payload = pickle.dumps(_Plant(ran))
    key = code_key()
    if forgery.startswith("checksummed"):
        data = struct.pack("<4s16sIQ", b"DGC1", key, zlib.crc32(payload), len(payload)) + payload
    else:
        head = struct.pack("<4s16sQ", b"DGC2", key, len(payload))
        data = head + hmac.new(b"\x01" * 32, head + payload, hashlib.sha256).digest() + payload
    assert _planted_files(project, data)
    edit_entry(_first_entry(project), "\nKoreksi.\n")
    done = _build(project)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert not ran.exists()
    assert tree_bytes(project / "site") == clean_build(project)


def test_the_cache_key_is_private_and_outside_the_project(project, tmp_path_factory):
    home = tmp_path_factory.mktemp("xdg")
    done = run_digest("build", "--no-search", "--quiet", cwd=project, env={"XDG_CACHE_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    key = home / "digest" / "key"
    assert key.stat().st_mode & 0o777 == 0o600 and key.stat().st_size == 32
    assert key.read_bytes() != secret().key  # each user, or home, has its own
    assert not [p for p in project.rglob("*") if p.name == "key"]
    # built with the key in the usual place, the site is the same
    assert tree_bytes(project / "site") == clean_build(project)
