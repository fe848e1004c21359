"""Read the ingest's YAML data files from digest/data/ once per process (safe loader only)."""

from __future__ import annotations

import re
from typing import Any

from digest.reference.refdata import data_file


def read(name: str) -> Any:
    """The parsed content of digest/data/<name>.yaml (refdata.data_file's one parse, shared with the site)."""
    return data_file(f"{name}.yaml")


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so that "Kapolresta" beats "Kapolres"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def reason(key: str, **values: object) -> str:
    """One line of why a field needs review, worded in review_reasons.yaml (editors read Indonesian)."""
    return str(read("review_reasons")[key]).format(**values)
