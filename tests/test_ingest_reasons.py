"""Review reasons are written for Indonesian editors: what `digest ingest` says about the 40 real
articles holds no English, and every wording in review_reasons.yaml is one the ingest can write."""

from __future__ import annotations

import ast
import re

import pytest

from digest.ingest import data, pipeline, source
from digest.reference.refdata import load
from tests.conftest import ROOT, SHARED

ARTICLES = SHARED / "articles" / "raw"
INGEST = ROOT / "digest" / "ingest"
ENGLISH = re.compile(r"\b(?:the|and|but|chosen|keywords|is|not|of|from|only|text|given)\b", re.IGNORECASE)


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="../shared/ is not present")
def test_no_reason_ingest_writes_on_the_real_articles_is_english():
    ref = load()
    said = []
    for path in sorted(ARTICLES.iterdir()):
        draft = pipeline.ingest(source.read(str(path), path), ref=ref)
        said += [f"{path.name} {field}: {why}" for field, why in draft.reasons.items()] + draft.notes
    assert len(said) > 100  # every article has a few (summary, topics...): the check read them all
    english = [line for line in said if ENGLISH.search(line)]
    assert not english, english[:5]
    assert any("kata kunci" in line for line in said) and any("tanggal terbit" in line for line in said)


def _reason_keys() -> set[str]:
    """The wording keys the ingest code passes to data.reason() as literals."""
    keys = set()
    for path in INGEST.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "reason":
                keys |= {c.value for c in ast.walk(node.args[0]) if isinstance(c, ast.Constant)}
    return keys


def test_every_wording_is_used_and_every_used_wording_exists():
    wordings = data.read("review_reasons")
    code = "\n".join(p.read_text(encoding="utf-8") for p in INGEST.glob("*.py"))
    assert not [k for k in wordings if f'"{k}"' not in code]  # no dead wording
    used = _reason_keys()
    assert used and not used - set(wordings)  # no reason without a wording
    assert all("\n" not in w for w in wordings.values())  # one line each
