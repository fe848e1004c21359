"""Broken content is reported as path:line: message, every problem in one run, site untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.content.frontmatter import parse
from digest.content.schema import validate
from digest.errors import DigestError
from digest.reference.refdata import load
from tests.conftest import run_digest
from tests.sitetools import tree_bytes

REF = load()

GOOD = """---
title: Polres Batu gelar rakor pengamanan
date: 2023-10-16
province: Jawa Timur
regency: Kota Batu
election: pemilu-2024
stage: persiapan
source:
  outlet: BANGSAONLINE.com
  url: https://bangsaonline.example/berita/1
---
Isi berita.
"""


def problems(text: str, name: str = "content/x.md") -> list[str]:
    try:
        _, found = validate(parse(name, text), REF)
    except DigestError as exc:
        found = exc.problems
    return [str(p) for p in found]


def test_valid_entry_has_no_problems():
    assert problems(GOOD) == []


@pytest.mark.parametrize("old,new,expected", [
    ("stage: persiapan", "stage: kampnye", "content/x.md:7: stage 'kampnye' is unknown (did you mean 'kampanye'?)"),
    ("province: Jawa Timur", "province: Jawa Timurr",
     "content/x.md:4: province 'Jawa Timurr' is unknown (did you mean 'Jawa Timur'?)"),
    ("regency: Kota Batu", "regency: Kota Serang",
     "content/x.md:5: regency 'Kota Serang' is not in Jawa Timur (it lies in Banten)"),
    ("regency: Kota Batu", "regency: Malang",
     "content/x.md:5: regency 'Malang' is ambiguous in Jawa Timur: write 'Kabupaten Malang' or 'Kota Malang'"),
    ("election: pemilu-2024", "election: pemilu-2019",
     "content/x.md:6: election 'pemilu-2019' is unknown (did you mean 'pemilu-2024'?)"),
    ("date: 2023-10-16", "date: 16/10/2023",
     "content/x.md:3: date '16/10/2023' is not a date: write it as YYYY-MM-DD, e.g. 2023-10-16"),
    ("stage: persiapan", "stage: persiapan\ntopik: [rakor]",
     "content/x.md:8: unknown key 'topik' (did you mean 'topics'?)"),
    ("  url: https://bangsaonline.example/berita/1", "  url: javascript:alert(1)",
     "content/x.md:10: source.url 'javascript:alert(1)' must be an absolute http(s) address"),
    ("stage: persiapan", "stage: persiapan\nstage: kampanye",
     "content/x.md:8: duplicate key 'stage' (first at line 7)"),
    ("stage: persiapan", "stage: !!python/object/apply:os.system ['true']",
     "content/x.md:7: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed: "
     "front matter holds plain data only"),
    ("title: Polres Batu gelar rakor pengamanan", "title: [unclosed",
     "content/x.md:3: invalid YAML: did not find expected ',' or ']' "
     "(while parsing a flow sequence started at line 2)"),
])
def test_each_mistake_is_named_at_its_line(old, new, expected):
    assert old in GOOD
    assert problems(GOOD.replace(old, new)) == [expected]


def test_all_problems_of_a_file_are_reported_together():
    text = GOOD.replace("stage: persiapan", "stage: kampnye").replace("province: Jawa Timur", "province: Jawa")
    found = problems(text)
    assert len(found) == 2 and any("stage 'kampnye'" in p for p in found)


def test_front_matter_never_closed():
    assert problems("---\ntitle: x\n") == [
        "content/x.md:1: front matter is never closed: add a '---' line after it"]


def test_province_accepts_official_short_and_slug_names():
    for name in ("DKI Jakarta", "Daerah Khusus Ibukota Jakarta", "dki-jakarta", "DI Yogyakarta", "DIY", "Jatim"):
        text = GOOD.replace("province: Jawa Timur", f"province: {name}").replace("regency: Kota Batu\n", "")
        assert problems(text) == [], name


def _break(project: Path) -> Path:
    victim = sorted((project / "content").glob("*.md"))[0]
    victim.write_text(victim.read_text(encoding="utf-8").replace("stage: persiapan", "stage: kampnye"),
                      encoding="utf-8")
    other = sorted((project / "content").glob("*.md"))[1]
    other.write_text(other.read_text(encoding="utf-8").replace("election: pemilu-2024", "election: pemilu"),
                     encoding="utf-8")
    return victim


def test_broken_build_fails_with_every_error_and_keeps_previous_site(project):
    ok = run_digest("build", "--quiet", cwd=project)
    assert ok.returncode == 0, ok.stderr
    before = tree_bytes(project / "site")
    victim = _break(project)
    failed = run_digest("build", cwd=project)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    lines = failed.stderr.splitlines()
    assert any(line.startswith(f"content/{victim.name}:") and "stage 'kampnye' is unknown" in line
               and "did you mean 'kampanye'" in line for line in lines)
    assert any("election 'pemilu' is unknown" in line for line in lines)
    assert lines[-1].startswith("build failed: 2 problems")
    assert tree_bytes(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]  # no temp folders left


def test_duplicate_ids_fail_the_build(project):
    first = sorted((project / "content").glob("*.md"))[0]
    (project / "content" / "copy.md").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_digest("build", cwd=project)
    assert result.returncode == 1
    taken = f"' is already used by content/{first.name}"
    assert any(line.startswith("content/copy.md:1: id '") and line.endswith(taken)
               for line in result.stderr.splitlines()), result.stderr
    assert not (project / "site").exists()


def test_output_that_would_swallow_content_is_refused(project):
    result = run_digest("build", "--output", ".", cwd=project)
    assert result.returncode == 1
    assert (project / "content").is_dir()
