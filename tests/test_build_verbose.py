"""`digest build --verbose` says what was rebuilt and why; `--quiet` and a non-terminal stay silent
about progress."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import run_digest

pytestmark = pytest.mark.sample_content  # what a build does, not how much it builds


def _build(project, *args: str) -> str:
    done = run_digest("build", "--no-search", *args, cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # not a terminal: no progress bar
    return done.stdout


def _rendered(out: str, cause: str) -> dict[str, int]:
    """From the line "<cause>: 12 pages, 2 feeds re-rendered": {"page": 12, "feed": 2}."""
    line = next(line.strip() for line in out.splitlines() if line.strip().startswith(cause + ":"))
    return {kind: int(n) for n, kind in re.findall(r"(\d+) (page|feed)s?\b", line)}


def _entry(project, index: int = 1):
    return sorted((project / "content").rglob("*.md"))[index]


def _id(path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1]).get("id") or path.stem


def test_first_build_is_explained_as_cold(project):
    out = _build(project, "--verbose")
    assert "no cache: cold build" in out
    assert "0 reused from the cache" in out
    assert "--clean: cold build, cache ignored" in _build(project, "--verbose", "--clean")


def test_an_edited_entry_names_the_entry_and_what_it_re_rendered(project):
    _build(project)
    path = _entry(project)
    entry_id = _id(path)
    path.write_text(path.read_text(encoding="utf-8") + "\nKoreksi redaksi.\n", encoding="utf-8")
    out = _build(project, "--verbose")
    assert "changed since the last build: 1 entry changed" in out
    assert "entries: 1 parsed," in out
    line = next(line for line in out.splitlines() if f"entry {entry_id} changed:" in line)
    assert "pages" in line and "re-rendered" in line
    assert "files: 1 written, 0 removed" in out  # the body shows on the entry page only


def test_a_template_edit_and_a_config_edit_are_named(project):
    _build(project)
    with open(project / "templates" / "entry.html", "a", encoding="utf-8") as f:
        f.write("{# a comment changes the source, not the output #}\n")
    out = _build(project, "--verbose")
    assert "changed since the last build: template entry.html" in out
    assert "template entry.html changed:" in out
    assert "files: 0 written, 0 removed" in out
    config = project / "digest.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: Digest Keamanan Pemilu",
                                                                  "title: Digest Pemilu"), encoding="utf-8")
    out = _build(project, "--verbose")
    assert "changed since the last build: config" in out
    assert _rendered(out, "config changed")["page"] > 0


def test_a_deleted_entry_and_a_build_with_nothing_to_do(project):
    _build(project)
    path = _entry(project)
    entry_id = _id(path)
    path.unlink()
    out = _build(project, "--verbose")
    assert f"entry {entry_id} removed" in out
    assert int(re.fullmatch(r"\s*files: \d+ written, (\d+) removed", out.splitlines()[-1]).group(1)) > 0
    again = _build(project, "--verbose")
    assert "nothing changed since the last build" in again
    assert "pages: 0 rendered" in again


def test_quiet_prints_nothing(project):
    assert _build(project, "--quiet") == ""
    assert run_digest("build", "--quiet", "--verbose", cwd=project).returncode == 2  # one or the other

