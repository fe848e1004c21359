"""Assemble a content entry from the analyses, and prove it valid before anyone writes it.

The front matter uses the schema's field names; every field the text does not settle is listed
in `review` with a one-line reason. The file text is parsed back with the project's own
`frontmatter.parse` + `schema.validate`: an entry the build would refuse is never written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from digest.content.frontmatter import parse
from digest.content.schema import DRAFT_MAY_LEAVE_EMPTY, REVIEWABLE, WIB, validate
from digest.content.writer import document
from digest.errors import DigestError, Problem
from digest.ingest.text import sentences
from digest.reference.refdata import RefData

# How a draft that fails the content schema is refused: never expected, so tests watch for it.
INVALID = "the entry would not be valid"

TITLE_WORDS = 14
_CLAUSE = re.compile(r",\s|\s(?:yang|bahwa|untuk|dengan|saat|ketika|sehingga|karena)\s")
_WEAK_END = {"di", "dan", "yang", "untuk", "ke", "dari", "dengan", "sangat", "bahwa", "pada", "dalam", "serta"}
_MARKDOWN_START = re.compile(r"^(\s*)([#>*+=-]|\d+[.)]|\|)")


@dataclass
class Draft:
    """A composed entry: its front matter, body, file text and the reasons for review."""

    name: str  # the input it came from
    meta: dict[str, Any]
    body: str
    reasons: dict[str, str] = field(default_factory=dict)
    text: str = ""
    missing: list[str] = field(default_factory=list)  # required fields the text left open: a draft
    notes: list[str] = field(default_factory=list)  # editors' hints the text contradicts

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def source_url(self) -> str:
        return (self.meta.get("source") or {}).get("url", "")

    @property
    def front(self) -> str:
        """The file's front matter between its fences, as a dry run and the paste page show it."""
        return self.text.split("\n---\n", 1)[0] + "\n---"


def headline_from_lead(lead: str) -> str:
    """A headline written from the lead's first clause (the editor checks it)."""
    first = (sentences(lead) or [lead])[0].rstrip(".!? ")
    words = first.split()
    for m in _CLAUSE.finditer(first):
        if len(first[:m.start()].split()) >= 8:
            words = first[:m.start()].split()
            break
    words = words[:TITLE_WORDS]
    while len(words) > 4 and words[-1].lower() in _WEAK_END:
        words.pop()
    title = " ".join(words).rstrip(",;:")
    return title[:1].upper() + title[1:]


def summary_from_lead(lead: str, second: str = "") -> str:
    """The lead sentence, with the next one when the first is short."""
    parts = sentences(lead) + sentences(second)
    summary = parts[0] if parts else ""
    for extra in parts[1:]:
        if len(summary) >= 160 or len(summary) + len(extra) > 400:
            break
        summary = f"{summary} {extra}"
    return summary.strip()


def markdown_body(paragraphs: list[str]) -> str:
    """Paragraphs as Markdown, with line starts that Markdown would read as markup escaped."""
    out = []
    for paragraph in paragraphs:
        escaped = paragraph.replace("\\", "\\\\").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_")
        out.append(_MARKDOWN_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped))
    return "\n\n".join(out)


def published_value(when: dt.datetime | None) -> Any:
    """A date when no time is known, else an ISO date-time (no zone means WIB)."""
    if when is None:
        return None
    if when.time() == dt.time() and when.tzinfo is None:
        return when.date()
    return when.isoformat(timespec="minutes" if not when.second else "seconds")


def today() -> dt.date:
    """The day in WIB: when an entry joins the digest ("added")."""
    return dt.datetime.now(WIB).date()


def finish(name: str, meta: dict[str, Any], body: str, reasons: dict[str, str], ref: RefData, *,
           notes: list[str] | None = None) -> Draft:
    """Order the review list, render, and validate the entry as the build would. A required field
    left empty stays in the file as an empty field, and the entry is a draft."""
    missing = [k for k in DRAFT_MAY_LEAVE_EMPTY if not meta.get(k)]
    meta = {k: v for k, v in meta.items() if k in missing or v not in (None, "", [], {})}
    unknown = [f for f in reasons if f not in REVIEWABLE]
    if unknown:
        raise ValueError(f"review fields outside the schema: {unknown}")
    if missing:
        meta["draft"] = True
    if reasons:
        meta["review"] = [f for f in REVIEWABLE if f in reasons]
    text = document(meta, body)
    _, problems = validate(parse(f"{meta['id']}.md", text), ref)  # the schema knows incomplete drafts
    if problems:
        raise DigestError([Problem(name, 0, f"{INVALID}: {p.message}") for p in problems])
    return Draft(name=name, meta=meta, body=body, reasons=reasons, text=text, missing=missing, notes=notes or [])


def with_id(draft: Draft, entry_id: str, added: Any = None) -> Draft:
    """The same entry under another id (and day added): a replaced entry keeps what was published."""
    meta = {**draft.meta, "id": entry_id}
    if added:
        meta["added"] = added
    return replace(draft, meta=meta, text=document(meta, draft.body))
