"""The cache survives a kill: a torn or corrupt file of any kind in .digest-cache/, or a build killed
while it saves the cache, makes the next build quietly slower, never wrong, and never noisy; and
the folder a killed build was writing (.site.work/) is cleaned up by the next one. A cache signed
with a key other than the user's own is ignored (tests/test_operator.py plants one that would run
code)."""

from __future__ import annotations

import itertools
import os
import subprocess
import time

import pytest

from tests.conftest import clean_build, run_digest
from tests.sitetools import tree_bytes

pytestmark = pytest.mark.sample_content  # what a build does, not how much it builds

KINDS = ["files", "templates", "entries", "bodies", "jinja", "outputs"]  # see digest/incremental/cachedir.py

# Makes `digest build` kill itself (SIGKILL) in the middle of its Nth cache write: the temporary
# file is half written and nothing after it is saved.
KILL_AT_WRITE = """
import os, signal
from digest.output import cache
real, calls = cache.write, [0]
def write(path, key, value):
    calls[0] += 1
    if calls[0] == {n}:
        (path.parent / f".{{path.name}}.torn.tmp").write_bytes(b"DGC1 half")
        os.kill(os.getpid(), signal.SIGKILL)
    real(path, key, value)
cache.write = write
"""

# Makes `digest build` trust file digests however new the files: filedigests.py records a digest
# only for a file RACY_NS old, and the files a test has just written are not, so without this the
# file digest cache would stay empty (and untested) unless the test waited two seconds.
RECORD_NEW_FILES = """
from digest.incremental import filedigests
filedigests.RACY_NS = 0
"""


def _build(project, *args: str) -> str:
    done = run_digest("build", "--no-search", *args, cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr  # nothing scary
    return done.stdout


def _edit(project, text: str) -> None:
    path = sorted((project / "content").rglob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _cache_files(project, kind: str) -> list:
    found = project / ".digest-cache" / kind
    return [found] if found.is_file() else sorted(p for p in found.rglob("*") if p.is_file())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_damaged_cache_file_is_rebuilt_quietly(project, kind, damage):
    first = run_digest("build", "--no-search", "--quiet", cwd=project, before=RECORD_NEW_FILES)
    assert first.returncode == 0, first.stderr
    _edit(project, "\nKoreksi.\n")
    files = _cache_files(project, kind)
    assert files, f"the build wrote no {kind} cache"
    for path in files:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if damage == "truncated" else data[:-9] + b"\x00" * 9)
    out = _build(project)
    assert len(out.splitlines()) == 1  # the usual summary line, no more
    assert tree_bytes(project / "site") == clean_build(project)
    assert "(0 changed)" in _build(project)  # and the next build trusts the rewritten cache again


def test_a_build_killed_while_saving_the_cache_is_followed_by_a_good_one(project):
    _build(project)
    for n in itertools.count(1):  # a build with one edit saves a few cache files: die in each of them
        _edit(project, f"\nKoreksi {n}.\n")
        killed = run_digest("build", "--no-search", "--quiet", cwd=project, before=KILL_AT_WRITE.format(n=n))
        if killed.returncode == 0:  # it wrote fewer than n files
            break
        assert killed.returncode == -9
        _build(project)
        assert tree_bytes(project / "site") == clean_build(project), f"killed in cache write {n}"
    assert n > 3


def test_stray_temporary_cache_files_are_swept(project):
    _build(project)
    stray = project / ".digest-cache" / "entries" / ".0a.abandoned.tmp"
    stray.write_bytes(b"DGC1 half")
    day_old = time.time() - 86400
    os.utime(stray, (day_old, day_old))
    _edit(project, "\nKoreksi.\n")
    _build(project)
    assert not stray.exists()


def test_the_folder_of_a_killed_build_is_removed_by_the_next(project):
    _build(project)
    work = project / ".site.work"
    (work / "berita" / "setengah").mkdir(parents=True)
    (work / "berita" / "setengah" / "index.html").write_text("<p>setengah</p>", encoding="utf-8")
    _edit(project, "\nKoreksi.\n")
    _build(project)
    assert not work.exists()
    assert tree_bytes(project / "site") == clean_build(project)


def _build_with_key_home(project, home, *args: str) -> subprocess.CompletedProcess:
    """`digest build` by a user whose cache key lives under `home` ($XDG_CACHE_HOME)."""
    return run_digest("build", "--no-search", "--verbose", *args, cwd=project, env={"XDG_CACHE_HOME": str(home)})


def test_a_cache_signed_with_another_key_is_ignored_and_the_build_still_right(project, tmp_path_factory):
    """A cache copied from another machine or user (or the key deleted) is not trusted: a cold
    build, quietly, with the same site."""
    first, second = tmp_path_factory.mktemp("alice"), tmp_path_factory.mktemp("budi")
    assert _build_with_key_home(project, first).returncode == 0
    _edit(project, "\nKoreksi.\n")
    done = _build_with_key_home(project, second)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "no cache: cold build" in done.stdout
    assert tree_bytes(project / "site") == clean_build(project)
    assert "(0 changed)" in _build_with_key_home(project, second).stdout  # its own cache is trusted again


def test_a_cache_key_others_can_read_is_not_used_and_said_so(project, tmp_path_factory):
    home = tmp_path_factory.mktemp("shared")
    key = home / "digest" / "key"
    key.parent.mkdir()
    key.write_bytes(os.urandom(32))
    key.chmod(0o644)
    for _ in range(2):
        done = _build_with_key_home(project, home)
        assert done.returncode == 0
        assert done.stderr.splitlines() == [done.stderr.strip()]  # one line
        assert str(key) in done.stderr and "chmod 600" in done.stderr
        assert "no cache: cold build" in done.stdout  # never trusted
    assert tree_bytes(project / "site") == clean_build(project)
