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

from digest.content.schema import WIB, limits
from digest.ingest import data
from digest.ingest.text import Spans

YEAR_RANGE = range(2022, 2026)  # the years a 2024-election story can be dated in
_ZONE = re.compile(r"\b(?:WIB|WITA|WIT|GMT[+-]?\d*|UTC[+-]?\d*)\b", re.IGNORECASE)
DATE_LINE_WORDS = 12  # more than any date line has ("Penulis Nama Lengkap | Senin, 12 Februari 2024 | 21:58 WIB")
NEAR_DAYS = 3  # a source speaking this close to the action it reports leaves no doubt about the report's day
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
        if self.day is None or self.month is None or self.year is None:
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
    statement: re.Pattern  # words before (or after) the day a source spoke
    scheduled: re.Pattern  # words before a day the story looks ahead to
    today: re.Pattern  # words right before the day of the report
    period: re.Pattern  # words right before a day that starts a period
    tomorrow: re.Pattern  # "besok" right before a day ...
    tomorrow_after: re.Pattern  # ... or right after it
    years: range  # the years an entry's date may fall in (limits.yaml)


@functools.cache
def _words() -> _Words:
    spec = data.read("date_words")
    weekdays = {w.lower(): i for i, names in enumerate(spec["weekdays"]) for w in names}
    months = {m.lower(): i + 1 for i, names in enumerate(spec["months"]) for m in names}
    wd = data.alternation([w for names in spec["weekdays"] for w in names])
    part = rf"(?:\s+(?:{data.alternation(spec['day_parts'])}))?"  # "Sabtu malam, 19 Oktober 2024"
    mon = data.alternation([m for names in spec["months"] for m in names])
    time = r"(?:\s*[-–|,]?\s*(?:pukul\s*)?(?P<hh>\d{1,2})[:.](?P<mi>\d{2})(?!\d))?"
    patterns = (
        # Senin (16/10/2023), Selasa (19/03)
        rf"\b(?P<wd>{wd}){part}\s*,?\s*\(\s*(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})(?:\s*[/.-]\s*(?P<y>\d{{4}}|\d{{2}}))?\s*\)",
        # Senin, 16/10/2023 / Rabu, 28/8 (not "Senin, 1-2 Desember")
        rf"\b(?P<wd>{wd}){part}\s*,?\s*(?:tanggal\s+|tgl\.?\s*)?(?P<d>\d{{1,2}})\s*[/-]\s*(?P<m>\d{{1,2}})"
        rf"(?:\s*[/-]\s*(?P<y>\d{{4}}|\d{{2}}))?(?![\d/-])(?!\s+(?:{mon})\b){time}",
        # Senin, 25 September 2023 / Senin (25 September 2023) / 25 September 2023 / Senin, 25 September
        rf"(?:\b(?P<wd>{wd}){part}\s*,?\s*\(?\s*(?:tanggal\s+|tgl\.?\s*)?)?\b(?P<d>\d{{1,2}})\s+(?P<mon>{mon})\b\.?"
        rf"(?:\s*,?\s*(?P<y>\d{{4}})\b{time})?\)?",
        # Dec 12, 2023 - 06:09
        rf"\b(?P<mon>{mon})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?!\d){time}",
        # 16/10/2023 14:30
        rf"\b(?P<d>\d{{1,2}})[/-](?P<m>\d{{1,2}})[/-](?P<y>\d{{4}})(?!\d){time}",
        # 2023-10-16T09:15
        r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)(?:[T ](?P<hh>\d{2}):(?P<mi>\d{2}))?",
    )
    low, high = (dt.date.fromisoformat(str(d)) for d in spec["plausible"])
    bounds = limits()["dates"]
    return _Words(weekdays, months, tuple(re.compile(p, re.IGNORECASE) for p in patterns),
                  re.compile(rf"\b(?P<wd>{wd})\b"), (low, high),
                  re.compile(rf"\b(?:{'|'.join(spec['statement'])})\b", re.IGNORECASE),
                  re.compile(rf"\b(?:{'|'.join(spec['scheduled'])})\b", re.IGNORECASE),
                  re.compile(rf"\b(?:{'|'.join(spec['today'])})\s*,?\s*$", re.IGNORECASE),
                  re.compile(rf"\b(?:{'|'.join(spec['period'])})\s*$", re.IGNORECASE),
                  re.compile(rf"\b(?:{'|'.join(spec['tomorrow'])})\s*,?\s*$", re.IGNORECASE),
                  re.compile(rf"\s*,?\s*(?:{'|'.join(spec['tomorrow'])})\b", re.IGNORECASE),
                  range(bounds["earliest"].year, bounds["latest"].year + 1))


def find(text: str) -> list[Mention]:
    """Every date mention in text, in order; a weekday alone only where no fuller form covers it."""
    words = _words()
    found: list[Mention] = []
    for pattern in words.patterns:  # one pattern's matches never overlap each other
        taken = Spans([(f.start, f.end) for f in found])
        found.extend(_mention(m, words) for m in pattern.finditer(text)
                     if not (found and taken.overlaps(m.start(), m.end())))
    found = [f for f in found if f.year is None or f.year in words.years]  # "09/11/1549" in an address is no date
    taken = Spans([(f.start, f.end) for f in found])
    for m in words.weekday_alone.finditer(text):
        if not taken.covers(m.start()):
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
    """The publication date-time of a page-header line that is essentially a date, else None. A
    line of "|"-separated parts ("Rangga Agung | Senin, 12 Februari 2024 | 21:58") counts when one
    part is a date and the others are short (a byline, a time)."""
    if len(line.split()) > DATE_LINE_WORDS:  # a sentence, not a date line: spare the date patterns
        return None
    parts = [p.strip() for p in line.split("|")]
    if len(parts) > 1 and all(len(p.split()) <= 4 for p in parts):
        for i, part in enumerate(parts):
            clock = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?:\s*\w{3,4})?", parts[i + 1]) if i + 1 < len(parts) else None
            when = _date_line(f"{part} {clock.group(1)}:{clock.group(2)}" if clock else part)
            if when:
                return when
        return None
    return _date_line(line)


def _date_line(line: str) -> dt.datetime | None:
    """The date-time of a line that is a date and at most two other words."""
    for mention in find(line):
        day = mention.date()
        rest = _ZONE.sub("", line[:mention.start] + line[mention.end:]).strip(" ,|-–")
        if day and len(rest.split()) <= 2:
            hh, mi = mention.time or (0, 0)
            return dt.datetime(day.year, day.month, day.day, hh, mi) if 0 <= hh < 24 and 0 <= mi < 60 else None
    return None


def resolve(lead: str, body: str, header_lines: list[str], *, meta_date: str = "",
            given: dt.datetime | None = None, url: str = "", captions: tuple[str, ...] = ()) -> Dates:
    """The event date (from the lead first) and the publication date, with reasons for doubt.
    The publication date comes from the page's date lines, its metadata, or the URL's path; a
    photo caption dates the event only when the text gives no date at all (flagged)."""
    out = Dates()
    out.published = given or _published(header_lines, meta_date) or url_date(url)
    lead_mentions, body_mentions = find(lead), find(body)
    years = {int(y) for y in _YEAR.findall(f"{lead}\n{body}")}
    event = _event([_Zone(lead, lead_mentions), _Zone(body, body_mentions)], out, years)
    if event is None:
        event = _fallback(lead_mentions + body_mentions, out)
    if event is None and (pictured := next((m for c in captions for m in find(c) if m.date()), None)):
        event = pictured.date()
        out.reasons["date"] = data.reason("date_from_caption", words=pictured.text)
    out.event = event
    if event and out.published and event > _day(out.published):
        out.reasons["date"] = data.reason("date_after_published", date=event, published=_day(out.published))
    low, high = _words().plausible
    if event and not low <= event <= high:
        out.reasons.setdefault("date", data.reason("date_outside_calendar", date=event, low=low, high=high))
    return out


_URL_DATES = (re.compile(r"/(?P<y>20\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?=/|$)"),
              re.compile(r"[/-](?P<y>20\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?:\d{2,6})?(?=[/-]|$)"))


def url_date(url: str) -> dt.datetime | None:
    """The day in a news address's path ("/2024/11/30/", "/20241130/"), when it is a real,
    plausible day: outlets file articles under their publication day."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    low, high = _words().plausible
    for pattern in _URL_DATES:
        for m in pattern.finditer(path):
            day = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if day and low <= day <= high:
                return dt.datetime(day.year, day.month, day.day)
    return None


def on_weekday(mentions_text: str, day: dt.date) -> str:
    """The weekday-only mention ("Rabu") of `mentions_text` that falls on `day`, or ""."""
    for m in find(mentions_text):
        if m.day is None and m.weekday == day.weekday():
            return m.text
    return ""


def _published(header_lines: list[str], meta_date: str) -> dt.datetime | None:
    """The page's publication date: of its date lines, the first within the elections' plausible
    range that gives a time of day ("Senin, 2 September 2024 | 16:12 WIB"), else the first in range,
    else the first; a page header's date widget ("Senin, 22 Desember 2025", the day it was saved)
    gives no time and usually lies after the range."""
    found = [when for when in map(header_date, header_lines) if when]
    low, high = _words().plausible
    in_range = [w for w in found if low <= _day(w) <= high]
    timed = [w for w in in_range if (w.hour, w.minute) != (0, 0)]
    if found:
        return (timed or in_range or found)[0]
    if meta_date:
        try:
            return dt.datetime.fromisoformat(meta_date.strip())
        except ValueError:
            return header_date(meta_date)
    return None


@dataclass(frozen=True)
class _Zone:
    """A stretch of the article (the first two paragraphs, or the rest) and its date mentions."""

    text: str
    mentions: list[Mention]


@dataclass(frozen=True)
class _Frame:
    """How a sentence frames a date: the day a source spoke, or a day the story looks ahead to."""

    spoke: bool
    ahead: bool
    today: bool = False  # "hingga hari ini Kamis (29/8)": the day of the report, whatever else the sentence says
    since: bool = False  # "mulai Senin 19/2": a period starts that day, the report comes after it
    eve: bool = False  # "besok, Jumat (13/7)": the report is the day before


@dataclass(frozen=True)
class _Candidate:
    """A weekday-dated mention read as a day, and how the sentence around it frames it."""

    day: dt.date
    mention: Mention
    statement: bool  # the day a source spoke ("kata Kapolres, Selasa (19/3)")
    scheduled: bool  # a day ahead of the report ("yang akan digelar pada Sabtu (19/4)")
    today: bool  # called the day of the report ("hari ini Kamis (29/8)")
    in_body: bool  # after the first two paragraphs
    since: bool = False  # a period starts that day ("mulai Senin 19/2")
    eve: bool = False  # called tomorrow ("besok, Jumat (13/7)"): the report is the day before


def _event(zones: list[_Zone], out: Dates, years: set[int]) -> dt.date | None:
    """The day the story reports: the day its source spoke or acted, not a day it looks ahead to,
    nor one after the page was published. `zones` are the first two paragraphs and the rest, in
    that order. Weekday-dated mentions ("Senin (16/10/2023)") are checked against their weekday."""
    found = [c for i, zone in enumerate(zones) for c in _candidates(zone, out, years, in_body=i > 0)]
    if not found:
        return None
    published = _day(out.published) if out.published else None
    possible = [c for c in found if published is None or c.day <= published]
    if not possible and any(not c.in_body for c in found):
        possible = found  # the lead's own date against a page date: both shown, flagged by resolve()
    if not possible:
        days = ", ".join(sorted({str(c.day) for c in found}))
        out.reasons["date"] = data.reason("date_all_after_published", days=days, published=published)
        return published
    lead = [c for c in possible if not c.in_body]
    rest = [c for c in possible if c.in_body]
    order = ([c for c in lead if c.today], [c for c in lead if c.statement], [c for c in lead if not c.scheduled],
             [c for c in rest if c.statement], [c for c in rest if not c.scheduled], lead, rest)
    chosen = next(group for group in order if group)[0]
    if chosen.eve:  # "... PSU besok, Jumat (13/7/2024)": said the day before
        return chosen.day - dt.timedelta(days=1)
    said = _said_weekday(zones[0]) if chosen.scheduled else None
    if said is not None and chosen.since:  # "kata Kabid Humas di Pidie, Senin" ... "sejak Minggu (11/2)"
        return chosen.day + dt.timedelta(days=(said - chosen.day.weekday()) % 7)
    if said is not None:  # "di Wamena, Minggu, mengatakan ... akan diumumkan pada Senin (24/2)"
        back = (chosen.day.weekday() - said) % 7 or 7
        return chosen.day - dt.timedelta(days=back)
    others = sorted({c.day for c in possible if c.day != chosen.day and not (c.scheduled and c.day > chosen.day)})
    shown = chosen.mention.text.strip()
    acted = next((c for c in lead if not (c.statement or c.scheduled) and c.day < chosen.day), None)
    if chosen.statement and acted is not None:  # "tiba di gudang KPU, Minggu (20/10)" ... "dikonfirmasi, Senin (21/10)"
        out.reasons.setdefault("date", data.reason("date_source_spoke", words=shown, acted=acted.mention.text.strip(),
                                                   acted_day=acted.day))
    elif chosen.scheduled:
        out.reasons.setdefault("date", data.reason("date_looks_ahead", words=shown))
    elif chosen.in_body and others:
        out.reasons.setdefault("date", data.reason("date_from_later", words=shown, others=", ".join(map(str, others))))
    elif others and not (chosen.statement and all(abs((d - chosen.day).days) <= NEAR_DAYS for d in others)):
        out.reasons.setdefault("date", data.reason("date_others_named", words=shown, date=chosen.day,
                                                   others=", ".join(map(str, others))))
    return chosen.day


def _candidates(zone: _Zone, out: Dates, years: set[int], *, in_body: bool) -> list[_Candidate]:
    """The weekday-dated mentions of one zone as days, each with how its sentence frames it."""
    words = _words()
    found = []
    for m in zone.mentions:
        if m.weekday is None or m.day is None:
            continue
        day = m.date() if m.year else _infer_year(m, out, years)
        if day is None:
            continue
        if day.weekday() != m.weekday:
            before = day - dt.timedelta(days=(day.weekday() - m.weekday) % 7)
            out.reasons["date"] = data.reason("date_wrong_weekday", words=m.text.strip(), date=day,
                                              actual=_weekday_name(day.weekday()), said=_weekday_name(m.weekday),
                                              before=before, after=before + dt.timedelta(days=7))
        frame = _framing(zone.text, m, words)
        found.append(_Candidate(day, m, frame.spoke, frame.ahead, today=frame.today, in_body=in_body,
                                since=frame.since, eve=frame.eve))
    return found


def _said_weekday(zone: _Zone) -> int | None:
    """The first weekday written alone where a source spoke ("di Wamena, Minggu, mengatakan")."""
    words = _words()
    return next((m.weekday for m in zone.mentions
                 if m.day is None and m.weekday is not None and _framing(zone.text, m, words).spoke), None)


def _framing(text: str, m: Mention, words: _Words) -> _Frame:
    """How a mention is framed, from the words of its sentence
    nearest before it ("kata Kapolres, Selasa" / "akan digelar Sabtu"), or a reporting verb
    right after it ("Minggu mengatakan")."""
    before = text[max(0, m.start - 120):m.start]
    before = before[max(before.rfind(". "), before.rfind("\n")) + 1:]
    if words.today.search(before):
        return _Frame(True, False, today=True)
    if words.period.search(before):
        return _Frame(False, True, since=True)
    if words.tomorrow.search(before) or words.tomorrow_after.match(text, m.end):
        return _Frame(False, True, eve=True)
    said = [x.end() for x in words.statement.finditer(before)]
    ahead = [x.end() for x in words.scheduled.finditer(before)]
    if said or ahead:
        return _Frame(max(said, default=-1) > max(ahead, default=-1), max(ahead, default=-1) > max(said, default=-1))
    after = text[m.end:m.end + 30].split(".", 1)[0]
    return _Frame(bool(words.statement.match(after.lstrip(" ,"))), False)


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
    out.reasons["date"] = data.reason("date_no_year" if fits else "date_no_year_fits", words=m.text.strip(),
                                      years=len(fits))
    if named or fits:
        return (named or fits)[-1]
    return _safe_date(max(years, default=YEAR_RANGE[-2]), m.month, m.day)


def _fallback(mentions: list[Mention], out: Dates) -> dt.date | None:
    """No weekday-dated event: a weekday alone, a full date, or the publication date, all flagged."""
    weekday = next((m for m in mentions if m.day is None and m.weekday is not None), None)
    full = next((m for m in mentions if m.date()), None)
    if weekday is not None and weekday.weekday is not None:
        anchor = _day(out.published) if out.published else (full.date() if full else None)
        if anchor is None:
            out.reasons["date"] = data.reason("date_weekday_no_anchor", weekday=weekday.text)
            return None
        back = (anchor.weekday() - weekday.weekday) % 7
        if out.published:
            return anchor - dt.timedelta(days=back)
        forward = (weekday.weekday - anchor.weekday()) % 7
        day = anchor - dt.timedelta(days=back) if back <= forward else anchor + dt.timedelta(days=forward)
        out.reasons["date"] = data.reason("date_weekday_nearest", weekday=weekday.text, anchor=anchor)
        return day
    if full:
        out.reasons["date"] = data.reason("date_first_full", words=full.text.strip())
        return full.date()
    if out.published:
        out.reasons["date"] = data.reason("date_published_used")
        return _day(out.published)
    out.reasons["date"] = data.reason("date_none")
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
