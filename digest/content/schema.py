"""Validate a parsed front-matter mapping into an Entry, collecting every problem with its line.

The schema is written down here once; the README documents the same fields for editors.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from digest.content.entry import Entry, Official
from digest.content.frontmatter import Document, load_data
from digest.errors import Problem, did_you_mean, quote
from digest.reference.refdata import DATA_DIR, RefData, slugify

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$")

TOP_KEYS = ("id", "title", "date", "published", "added", "dateline", "province", "regency", "election", "stage",
            "topics", "agencies", "officials", "figures", "source", "summary", "draft", "review")
REQUIRED = ("title", "date", "province", "election", "stage")
DRAFT_MAY_LEAVE_EMPTY = ("date", "province", "election", "stage")  # what the text of an article may not settle
OFFICIAL_KEYS = ("name", "rank", "role")
FIGURE_KEYS = ("personnel", "budget_idr")
SOURCE_KEYS = ("outlet", "url", "author")
REVIEWABLE = tuple(k for k in TOP_KEYS if k not in ("review", "draft", "added")) + tuple(
    f"figures.{k}" for k in FIGURE_KEYS) + tuple(f"source.{k}" for k in SOURCE_KEYS)
# Characters no text in an entry may hold: controls other than tab and newline (feeds cannot
# carry them; terminals act on them), surrogates, and the noncharacters U+FDD0-U+FDEF and U+FFFE/U+FFFF.
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


@functools.cache
def limits() -> dict[str, Any]:
    """The bounds of plausible values (digest/data/limits.yaml): figures, dates."""
    path = DATA_DIR / "limits.yaml"
    return load_data(str(path), path.read_text(encoding="utf-8"))


def _character(found: re.Match[str]) -> str:
    return f"the control character U+{ord(found.group()):04X}"


def is_empty(value: Any) -> bool:
    """A key written without a value: `province:`, `province: ''` or `election: []`."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class _Checker:
    """Accumulates problems for one document while converting its fields."""

    def __init__(self, doc: Document, ref: RefData):
        self.doc = doc
        self.ref = ref
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        line, col = self.doc.position(key)
        self.problems.append(Problem(self.doc.path, line, message, col=col))

    def text(self, key: str, value: Any, *, required: bool = False) -> str:
        if isinstance(value, (bool, dt.date)):  # YAML 1.1 reads yes, off and 2024-01-05 as these
            self.fail(key, f"'{key}' must be text, not {_kind(value)}: put the value in quotes")
            return ""
        if value is not None and not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be text, not {_kind(value)}")
            return ""
        text = "" if value is None else str(value).strip()
        if not text and required:
            self.fail(key, f"'{key}' is required and empty")
        if found := UNSAFE_TEXT.search(text):
            self.fail(key, f"'{key}' contains {_character(found)} at position {found.start() + 1}: remove it")
            return ""
        return text

    def text_list(self, key: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, f"'{key}' must be a list, not {_kind(value)}")
            return ()
        return tuple(t for i, v in enumerate(value) if (t := self.text(f"{key}[{i}]", v)))

    def mapping(self, key: str, value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"'{key}' must be a mapping with keys {', '.join(allowed)}, not {_kind(value)}")
            return {}
        for k in value:
            if k not in allowed:
                self.fail(f"{key}.{k}", f"unknown key '{key}.{quote(k)}'{did_you_mean(str(k), allowed)}"
                                        f"; allowed: {', '.join(allowed)}")
        return value

    def choice(self, key: str, value: Any, choices: list[str], what: str) -> str:
        text = self.text(key, value, required=True)
        if text and text not in choices:
            self.fail(key, f"{what} '{quote(text)}' is unknown{did_you_mean(text, choices)}")
            return ""
        return text


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", dt.date: "a date", dt.datetime: "a date and time"
            }.get(type(value), type(value).__name__)


def validate(doc: Document, ref: RefData) -> tuple[Entry | None, list[Problem]]:
    """Return (entry, []) for a valid document, else (None, problems)."""
    c = _Checker(doc, ref)
    meta = doc.meta
    for key in meta:
        if key not in TOP_KEYS:
            english = ref.field_names_id.get(str(key).lower())
            hint = f" (did you mean '{english}'?)" if english else did_you_mean(str(key), TOP_KEYS)
            c.fail(str(key), f"unknown key '{quote(key)}'{hint}")
    for key in REQUIRED:
        if key not in meta:
            c.problems.append(Problem(doc.path, 1, f"'{key}' is missing"))
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        c.fail("draft", f"'draft' must be true or false, not '{quote(draft)}'")
    # An incomplete draft (ingest writes one when the article does not settle a field) may leave
    # these empty; it never reaches the site. In any other entry an empty one is an error.
    empty = {k for k in DRAFT_MAY_LEAVE_EMPTY if k in meta and is_empty(meta[k])}
    for key in sorted(empty) if draft is not True else ():
        c.fail(key, f"'{key}' is required and empty")

    entry_id = _entry_id(c, meta.get("id"))
    title = c.text("title", meta.get("title"), required="title" in meta)
    date = _date(c, "date", meta.get("date")) if "date" in meta and "date" not in empty else None
    published = _published(c, meta.get("published"))
    added = _date(c, "added", meta.get("added")) if meta.get("added") is not None else None
    province_slug, regency_code = _place(c, meta.get("province"), meta.get("regency")) \
        if "province" not in empty else ("", None)
    elections = _elections(c, meta.get("election")) if "election" in meta and "election" not in empty else ()
    stage = c.choice("stage", meta.get("stage"), list(ref.stages), "stage") \
        if "stage" in meta and "stage" not in empty else ""
    officials = _officials(c, meta.get("officials"))
    figures = c.mapping("figures", meta.get("figures"), FIGURE_KEYS)
    personnel = _count(c, "figures.personnel", figures.get("personnel"))
    budget = _count(c, "figures.budget_idr", figures.get("budget_idr"))
    source = c.mapping("source", meta.get("source"), SOURCE_KEYS)
    url = _url(c, "source.url", source.get("url"))
    review = c.text_list("review", meta.get("review"))
    for i, field in enumerate(review):
        if field not in REVIEWABLE:
            c.fail(f"review[{i}]", f"review field '{quote(field)}' is unknown{did_you_mean(field, REVIEWABLE)}")
    if found := UNSAFE_TEXT.search(doc.body):
        line = doc.body_line + doc.body.count("\n", 0, found.start())
        c.problems.append(Problem(doc.path, line, f"the body contains {_character(found)}: remove it"))

    entry = Entry(
        id=entry_id, path=doc.path, title=title, date=date or dt.date.min, province=province_slug,
        elections=elections, stage=stage, body=doc.body, published=published, added=added,
        dateline=c.text("dateline", meta.get("dateline")), regency=regency_code,
        topics=c.text_list("topics", meta.get("topics")), agencies=c.text_list("agencies", meta.get("agencies")),
        officials=officials, personnel=personnel, budget_idr=budget,
        source_outlet=c.text("source.outlet", source.get("outlet")), source_url=url,
        source_author=c.text("source.author", source.get("author")),
        summary=c.text("summary", meta.get("summary")), draft=draft is True, review=review,
    )
    return (None, c.problems) if c.problems else (entry, [])


def _entry_id(c: _Checker, value: Any) -> str:
    if value is None:
        stem = PurePath(c.doc.path).stem
        slug = slugify(stem)
        if not ID_RE.match(slug):
            c.fail("id", f"cannot make an id from the file name '{stem}': add an 'id' field")
        return slug
    text = c.text("id", value, required=True)
    if text and not ID_RE.match(text):
        c.fail("id", f"id '{quote(text)}' must be lowercase letters, digits and hyphens (at most 120), "
                     f"e.g. '{slugify(text)[:120] or 'polda-banten-rakor'}'")
    return text


def _date(c: _Checker, key: str, value: Any) -> dt.date | None:
    """A day an event happened or an entry joined the digest, within limits.yaml's dates."""
    day = _day(c, key, value)
    if day is None:
        return None
    earliest, latest = limits()["dates"]["earliest"], limits()["dates"]["latest"]
    if not earliest <= day <= latest:
        c.fail(key, f"{key} {day.isoformat()} is not a plausible day (from {earliest} to {latest})")
        return None
    return day


def _day(c: _Checker, key: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            c.fail(key, f"{key} '{quote(value)}' is not a date: write it as YYYY-MM-DD, e.g. 2023-10-16")
            return None
    return day


def _published(c: _Checker, value: Any) -> dt.datetime | None:
    """Publication time; a bare date or a time without zone is taken as WIB (UTC+7)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=WIB)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=WIB)
        except ValueError:
            pass
    day = _day(c, "published", value)  # unbounded: a far-off day is how an entry is held back (scheduled)
    return dt.datetime.combine(day, dt.time(), WIB) if day else None


def _place(c: _Checker, province_value: Any, regency_value: Any) -> tuple[str, str | None]:
    if province_value is None:
        return "", None
    name = c.text("province", province_value, required=True)
    province = c.ref.province(name) if name else None
    if province is None:
        if name:
            c.fail("province", f"province '{quote(name)}' is unknown{did_you_mean(name, c.ref.province_choices())}")
        return "", None
    if regency_value is None or regency_value == "":
        return province.slug, None
    rname = c.text("regency", regency_value)
    found = c.ref.regency(rname, province) if rname else []
    if len(found) == 1:
        return province.slug, found[0].code
    if len(found) > 1:
        options = " or ".join(f"'{r.name}'" for r in found)
        c.fail("regency", f"regency '{quote(rname)}' is ambiguous in {province.name}: write {options}")
    elif rname:
        elsewhere = c.ref.regency_anywhere(rname)
        if elsewhere:
            where = ", ".join(sorted({c.ref.province_by_code[r.province_code].name for r in elsewhere}))
            c.fail("regency", f"regency '{quote(rname)}' is not in {province.name} (it lies in {where})")
        else:
            names = [r.name for r in c.ref.regencies_of(province)]
            c.fail("regency", f"regency '{quote(rname)}' is unknown in {province.name}{did_you_mean(rname, names)}")
    return province.slug, None


def _elections(c: _Checker, value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values:
        c.fail("election", "'election' must name at least one election")
    out = [c.choice("election" if len(values) == 1 else f"election[{i}]", v, list(c.ref.elections), "election")
           for i, v in enumerate(values)]
    return tuple(dict.fromkeys(e for e in out if e))


def _officials(c: _Checker, value: Any) -> tuple[Official, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        c.fail("officials", f"'officials' must be a list of {{name, rank, role}}, not {_kind(value)}")
        return ()
    out = []
    for i, item in enumerate(value):
        key = f"officials[{i}]"
        fields = c.mapping(key, {"name": item} if isinstance(item, str) else item, OFFICIAL_KEYS)
        name = c.text(f"{key}.name", fields.get("name"), required=True)
        if name:
            out.append(Official(name, c.text(f"{key}.rank", fields.get("rank")),
                                c.text(f"{key}.role", fields.get("role"))))
    return tuple(out)


def _count(c: _Checker, key: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        c.fail(key, f"{key} must be a whole number without separators (4174, not '4.174'), got '{quote(value)}'")
        return None
    largest = limits()["figures"][key.rsplit(".", 1)[-1]]
    if value > largest:
        c.fail(key, f"{key} {value:,} is larger than any real figure (at most {largest:,}): check the digits")
        return None
    return value


def _url(c: _Checker, key: str, value: Any) -> str:
    text = c.text(key, value)
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - reading it checks the port: http://x:99999 is no address
    except ValueError:  # a bracketed host that is no IPv6 address, a port out of range
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or any(ch.isspace() for ch in text):
        c.fail(key, f"{key} '{quote(text)}' must be an absolute http(s) address")
        return ""
    return text
