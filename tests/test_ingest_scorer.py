"""Issue 13's acceptance check: the shared scorer on the 40 real articles and the five seeds.
Skipped cleanly when ../shared/ is not beside the checkout (a fresh clone, CI without it)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED

SCORER = SHARED / "tools" / "score_ingest.py"
pytestmark = pytest.mark.skipif(not SCORER.is_file(), reason="../shared/ is not present")


def score(truth: str) -> dict[str, int]:
    """The scorer's summary line as numbers: right per field, silent errors, refused, extra regencies."""
    done = subprocess.run([sys.executable, str(SCORER), str(ROOT / ".venv" / "bin" / "digest"), str(SHARED / truth)],
                          capture_output=True, text=True, timeout=600, check=False)
    line = done.stdout.strip().splitlines()[-1]
    numbers = {f: int(n) for f, n in re.findall(r"(province|regency|date|election|stage) (\d+)/", line)}
    numbers.update({k: int(n) for k, n in re.findall(r"(silent errors|refused|extra regency) (\d+)", line)})
    flagged = re.findall(r"(province|regency|date|election|stage) \d+/\d+\+(\d+)f", line)
    numbers.update({f"{f} flagged": int(n) for f, n in flagged})
    return numbers


def test_real_articles_meet_issue_13_targets():
    got = score("articles/truth.yaml")
    assert got["refused"] == 0 and got["extra regency"] == 0 and got["silent errors"] == 0, got
    assert got["province"] >= 39 and got["stage"] >= 36 and got["date"] >= 32, got
    flagged = sum(v for k, v in got.items() if k.endswith("flagged"))
    assert flagged < 0.15 * 40 * 5, got


def test_seeds_every_field_right_or_flagged():
    got = score("seeds/truth.yaml")
    assert got["refused"] == 0 and got["silent errors"] == 0 and got["extra regency"] == 0, got
