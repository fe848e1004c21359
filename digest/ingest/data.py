"""Read the ingest's YAML data files from digest/data/ once per process (safe loader only)."""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from digest.reference.refdata import DATA_DIR


@functools.cache
def read(name: str) -> Any:
    """The parsed content of digest/data/<name>.yaml."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so that "Kapolresta" beats "Kapolres"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def reason(key: str, **values: object) -> str:
    """One line of why a field needs review, worded in review_reasons.yaml (editors read Indonesian)."""
    return str(read("review_reasons")[key]).format(**values)
