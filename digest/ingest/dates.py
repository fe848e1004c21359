"""Dates as Indonesian news writes them, and the event and publication dates of an article.

Forms read: "Senin (16/10/2023)", "Selasa (19/03)" (year from context, checked against the
weekday), "Senin, 25 September 2023", "25 September 2023", "Dec 12, 2023 - 06:09",
"16/10/2023 14:30", ISO dates, and a weekday alone ("Rabu"), which is resolved only against a
known publication date. The event date (the day the story happened) and the publication date
are kept apart; every guess says why in `reasons`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from digest.ingest import data
from digest.schema import WIB

YEAR_RANGE = range(2022, 2026)  # the years a 2024-election story can be dated in
_ZONE = re.compile(r"\b(?:WIB|WITA|WIT|GMT[+-]?\d*|UTC[+-]?\d*)\b", re.IGNORECASE)
_YEAR = re.compile(rf"\b({'|'.join(map(str, YEAR_RANGE))})\b")


@dataclass(frozen=True)
class Mention:
    """A date written in text; fields the text leaves out are None."""

    start: int
    end: int
    text: str
    day: int | None
    month: int | None
    year: int | None
    weekday: int | None  # 0 = Senin
    time: tuple[int, int] | None = None

    def date(self) -> dt.date | None:
        """The date when day, month and year are all written and valid."""
        if None in (self.day, self.month, self.year):
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


@dataclass
class Dates:
    """The dates an article settles, and why any is unsure."""

    event: dt.date | None = None
    published: dt.datetime | None = None
    reasons: dict[str, str] = field(default_factory=dict)  # "date" / "published" -> one line


@dataclass(frozen=True)
class _Words:
    weekdays: dict[str, int]
    months: dict[str, int]
    patterns: tuple[re.Pattern, ...]
    weekday_alone: re.Pattern
    plausible: tuple[dt.date, dt.date]


@functools.cache
def _words() -> _Words:
    spec = data.read("date_words")
    weekdays = {w.lower(): i for i, names in enumerate(spec["weekdays"]) for w in names}
    months = {m.lower(): i + 1 for i, names in enumerate(spec["months"]) for m in names}
    wd = data.alternation([w for names in spec["weekdays"] for w in names])
    mon = data.alternation([m for names in spec["months"] for m in names])
    time = r"(?:\s*[-–|,]?\s*(?:pukul\s*)?(?P<hh>\d{1,2})[:.](?P<mi>\d{2})(?!\d))?"
    patterns = (
        # Senin (16/10/2023), Selasa (19/03)
        rf"\b(?P<wd>{wd})\s*,?\s*\(\s*(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})(?:\s*[/.-]\s*(?P<y>\d{{4}}|\d{{2}}))?\s*\)",
        # Senin, 16/10/2023
        rf"\b(?P<wd>{wd})\s*,?\s*(?:tanggal\s+|tgl\.?\s*)?(?P<d>\d{{1,2}})\s*[/-]\s*(?P<m>\d{{1,2}})\s*[/-]\s*(?P<y>\d{{4}}){time}",
        # Senin, 25 September 2023 / Senin (25 September 2023) / 25 September 2023 / Senin, 25 September
        rf"(?:\b(?P<wd>{wd})\s*,?\s*\(?\s*(?:tanggal\s+|tgl\.?\s*)?)?\b(?P<d>\d{{1,2}})\s+(?P<mon>{mon})\b\.?"
        rf"(?:\s*,?\s*(?P<y>\d{{4}})\b{time})?\)?",
        # Dec 12, 2023 - 06:09
        rf"\b(?P<mon>{mon})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){time}",
        # 16/10/2023 14:30
        rf"\b(?P<d>\d{{1,2}})[/-](?P<m>\d{{1,2}})[/-](?P<y>\d{{4}}){time}",
        # 2023-10-16T09:15
        r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2}))?",
    )
    low, high = (dt.date.fromisoformat(str(d)) for d in spec["plausible"])
    return _Words(weekdays, months, tuple(re.compile(p, re.IGNORECASE) for p in patterns),
                  re.compile(rf"\b(?P<wd>{wd})\b"), (low, high))


def find(text: str) -> list[Mention]:
    """Every date mention in text, in order; a weekday alone only where no fuller form covers it."""
    words = _words()
    found: list[Mention] = []
    for pattern in words.patterns:
        for m in pattern.finditer(text):
            if not any(f.start <= m.start() < f.end or m.start() <= f.start < m.end() for f in found):
                found.append(_mention(m, words))
    for m in words.weekday_alone.finditer(text):
        if not any(f.start <= m.start() < f.end for f in found):
            found.append(Mention(m.start(), m.end(), m.group(), None, None, None, words.weekdays[m.group().lower()]))
    return sorted(found, key=lambda f: f.start)


def _mention(m: re.Match, words: _Words) -> Mention:
    g = m.groupdict()
    month = words.months[g["mon"].lower()] if g.get("mon") else int(g["m"])
    year = int(g["y"]) if g.get("y") else None
    if year is not None and year < 100:
        year += 2000
    weekday = words.weekdays[g["wd"].lower()] if g.get("wd") else None
    time = (int(g["hh"]), int(g["mi"])) if g.get("hh") else None
    return Mention(m.start(), m.end(), m.group(), int(g["d"]), month, year, weekday, time)


def header_date(line: str) -> dt.datetime | None:
    """The publication date-time of a page-header line that is essentially a date, else None."""
    for mention in find(line):
        day = mention.date()
        rest = _ZONE.sub("", line[:mention.start] + line[mention.end:]).strip(" ,|-–")
        if day and len(rest.split()) <= 2:
            hh, mi = mention.time or (0, 0)
            return dt.datetime(day.year, day.month, day.day, hh, mi) if 0 <= hh < 24 and 0 <= mi < 60 else None
    return None


def resolve(lead: str, body: str, header_lines: list[str], meta_date: str = "",
            given: dt.datetime | None = None) -> Dates:
    """The event date (from the lead first) and the publication date, with reasons for doubt."""
    out = Dates()
    out.published = given or _published(header_lines, meta_date)
    lead_mentions, body_mentions = find(lead), find(body)
    years = {int(y) for y in _YEAR.findall(f"{lead}\n{body}")}
    event = _event(lead_mentions, out, years) or _event(body_mentions, out, years, in_body=True)
    if event is None:
        event = _fallback(lead_mentions + body_mentions, out)
    out.event = event
    if event and out.published and event > _day(out.published):
        out.reasons["date"] = f"the event date {event} is after the publication date {_day(out.published)}"
    low, high = _words().plausible
    if event and not low <= event <= high:
        out.reasons.setdefault("date", f"{event} is outside the 2024 election calendar ({low} to {high})")
    return out


def _published(header_lines: list[str], meta_date: str) -> dt.datetime | None:
    for line in header_lines:
        when = header_date(line)
        if when:
            return when
    if meta_date:
        try:
            return dt.datetime.fromisoformat(meta_date.strip())
        except ValueError:
            return header_date(meta_date)
    return None


def _event(mentions: list[Mention], out: Dates, years: set[int], in_body: bool = False) -> dt.date | None:
    """The first date that names its weekday ("Senin (16/10/2023)"), checked and completed."""
    for m in mentions:
        if m.weekday is None or m.day is None:
            continue
        day = m.date() if m.year else _infer_year(m, out, years)
        if day is None:
            continue
        if day.weekday() != m.weekday:
            out.reasons["date"] = (f"'{m.text.strip()}': {day} is a {_weekday_name(day.weekday())}, "
                                   f"not a {_weekday_name(m.weekday)}")
        elif in_body:
            out.reasons.setdefault("date", f"the first two paragraphs give no date; '{m.text.strip()}' is "
                                           "from later in the text")
        return day
    return None


def _infer_year(m: Mention, out: Dates, years: set[int]) -> dt.date | None:
    """The year of "Selasa (19/03)": the latest fit before publication, else the year whose
    calendar puts that day on that weekday, confirmed by a year the text names."""
    if out.published:
        pub = _day(out.published)
        for year in (pub.year, pub.year - 1):
            day = _safe_date(year, m.month, m.day)
            if day and day <= pub:
                return day
        return None
    fits = [d for y in YEAR_RANGE if (d := _safe_date(y, m.month, m.day)) and d.weekday() == m.weekday]
    named = [d for d in fits if d.year in years]
    if len(fits) == 1 and named:
        return fits[0]
    why = f"{len(fits)} years fit its weekday" if fits else "no year fits its weekday"
    out.reasons["date"] = f"'{m.text.strip()}' gives no year and no publication date is known; {why}"
    if named or fits:
        return (named or fits)[-1]
    return _safe_date(max(years, default=YEAR_RANGE[-2]), m.month, m.day)


def _fallback(mentions: list[Mention], out: Dates) -> dt.date | None:
    """No weekday-dated event: a weekday alone, a full date, or the publication date, all flagged."""
    weekday = next((m for m in mentions if m.day is None and m.weekday is not None), None)
    full = next((m for m in mentions if m.date()), None)
    if weekday is not None:
        anchor = _day(out.published) if out.published else (full.date() if full else None)
        if anchor is None:
            out.reasons["date"] = f"only the weekday '{weekday.text}' is given and no date to count back from"
            return None
        back = (anchor.weekday() - weekday.weekday) % 7
        if out.published:
            return anchor - dt.timedelta(days=back)
        forward = (weekday.weekday - anchor.weekday()) % 7
        day = anchor - dt.timedelta(days=back) if back <= forward else anchor + dt.timedelta(days=forward)
        out.reasons["date"] = (f"only the weekday '{weekday.text}' is given and no publication date; "
                               f"taken as the {weekday.text} nearest to {anchor} named in the text")
        return day
    if full:
        out.reasons["date"] = f"no weekday-dated event; '{full.text.strip()}' is the first full date in the text"
        return full.date()
    if out.published:
        out.reasons["date"] = "the text dates no event; the publication date is used"
        return _day(out.published)
    out.reasons["date"] = "the text gives no date at all"
    return None


def _day(when: dt.datetime) -> dt.date:
    """The calendar day of a publication time in WIB (a time without zone is WIB already)."""
    return when.astimezone(WIB).date() if when.tzinfo else when.date()


def _safe_date(year: int, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month or 0, day or 0)
    except ValueError:
        return None


def _weekday_name(index: int) -> str:
    return data.read("date_words")["weekdays"][index][0]
