"""Raw article text -> the article itself: headline, dateline, byline, body paragraphs.

What a careful editor strips goes: related-article links, prompts and comment forms (patterns
in boilerplate.yaml), credit lines and closing credits, site headers and stray counters. What
the page header says (site name, headline, byline, publication date line) is kept apart from
the body, so that the analyses never read boilerplate as evidence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from digest.ingest import data, dates
from digest.ingest.gazetteer import Gazetteer
from digest.ingest.text import display_case

_DASH = r"\s*(?:-{1,2}|–|—)\s*"
_PLACE = r"(?P<place>[A-Z][A-Za-z'’.]*(?: [A-Z][A-Za-z'’.]*){0,3})"
_DOMAIN = r"[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.(?:com|co\.id|co|id|net|news|org|info|tv)"
# "Serang (ANTARA) -", "Liputan6.com, Jakarta -", "KOTA BATU, BANGSAONLINE.com -", "SERANG -"
_DATELINES = (
    re.compile(rf"^{_PLACE}\s*\((?P<outlet>[^()]{{2,40}})\){_DASH}"),
    re.compile(rf"^(?P<outlet>{_DOMAIN}),\s*{_PLACE}{_DASH}", re.IGNORECASE),
    re.compile(rf"^{_PLACE},\s*(?P<outlet>[A-Za-z0-9][\w.&' ]{{1,40}}?){_DASH}"),
    re.compile(rf"^{_PLACE}\s*\|{{1,2}}\s*(?P<outlet>{_DOMAIN}){_DASH}", re.IGNORECASE),  # "Surabaya||Contoh.com-"
    re.compile(rf"^{_PLACE}{_DASH}"),
    re.compile(rf"^(?P<outlet>{_DOMAIN}){_DASH}", re.IGNORECASE),  # "pid.kepri.polri.go.id –": no place
)
_BYLINE = re.compile(rf"^(?P<name>[A-Z][\w.' ]{{2,40}}?)\s*[-–|]\s*(?P<site>{_DOMAIN})$", re.IGNORECASE)
_SITE = re.compile(rf"^(?:{_DOMAIN}|[A-Z0-9][A-Z0-9.&-]{{2,30}}(?: [A-Z0-9][A-Z0-9.&-]*){{0,2}})$", re.IGNORECASE)
_COUNTER = re.compile(r"^(?:\d{1,3}(?:[.,]\d{3})+|\d{1,6})"
                      r"(?:\s*(?:x|kali dibaca|dibaca|views?|dilihat|komentar|shares?))?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"”’')]*$")
LONG_LINE = 25  # words: a line this long is body text even when its final stop is missing
DATELINE_WITHIN = 10  # lines from the top where a dateline opens the body


@dataclass(frozen=True)
class Dateline:
    place: str  # as written ("KOTA BATU", "Serang")
    outlet: str  # the outlet named in it ("ANTARA", "BANGSAONLINE.com"), or ""
    length: int  # characters of the first paragraph taken by the dateline


@dataclass
class Article:
    """The cleaned article and what its page header said."""

    name: str
    headline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    site: str = ""  # site name from a header line or the saved page
    author: str = ""
    header_dates: list[str] = field(default_factory=list)  # date lines of the page header
    captions: list[str] = field(default_factory=list)  # photo captions of the page header
    credits: list[str] = field(default_factory=list)  # closing credits: "adi/sis", "Bidhumas"
    dropped: list[str] = field(default_factory=list)  # every line removed as boilerplate
    url: str = ""
    published_meta: str = ""  # publication date from the saved page's metadata

    @property
    def lead(self) -> str:
        """The first paragraph without its dateline."""
        if not self.paragraphs:
            return ""
        cut = self.dateline.length if self.dateline else 0
        return self.paragraphs[0][cut:]

    @property
    def body_text(self) -> str:
        """Headline, lead (without dateline) and the rest: the text every analysis reads."""
        return "\n\n".join(p for p in (self.headline, self.lead, *self.paragraphs[1:]) if p)


@dataclass(frozen=True)
class _Rules:
    boilerplate: re.Pattern
    list_heading: re.Pattern
    credits: tuple[re.Pattern, ...]
    author_credits: frozenset[str]
    closing: re.Pattern
    press: frozenset[str]
    outlet_credits: dict[str, str]
    page_labels: frozenset[str]
    label_words: int
    caption: re.Pattern


@functools.cache
def _rules() -> _Rules:
    spec = data.read("boilerplate")
    lines = "|".join(f"(?:{p})" for p in (*spec["related"], *spec["prompts"]))
    return _Rules(
        boilerplate=re.compile(rf"^(?:{lines})", re.IGNORECASE),
        list_heading=re.compile(rf"(?:{'|'.join(spec['list_headings'])})\s*:?", re.IGNORECASE),
        credits=tuple(re.compile(rf"^{p}") for p in spec["credits"]),
        author_credits=frozenset(w.lower() for w in spec["author_credits"]),
        closing=re.compile(spec["closing_credit"]),
        press=frozenset(w.lower() for w in spec["press_credits"]),
        outlet_credits={k.lower(): v for k, v in spec["outlet_credits"].items()},
        page_labels=frozenset(w.lower() for w in spec["page_labels"]),
        label_words=spec["label_words"],
        caption=re.compile("|".join(f"(?:{p})" for p in spec["captions"]), re.IGNORECASE),
    )


def clean(name: str, text: str, gaz: Gazetteer, *, title: str = "", site: str = "", author: str = "", url: str = "",
          published: str = "") -> Article:
    """Split raw text into header and body, dropping boilerplate; page metadata may be given.
    Place names (datelines, header lines that are only a place) are known from `gaz`."""
    rules = _rules()
    title, site, author = (" ".join(_INVISIBLE.sub("", v).split()) for v in (title, site, author))
    article = Article(name=name, site=site, author=author, url=url.strip(), published_meta=published)
    lines = []
    in_list = False  # after a bare "Berita Lainnya" heading: its list of headlines, up to the next sentence
    for raw in _lines(text):
        in_list = bool(rules.list_heading.fullmatch(raw)) or (in_list and not _SENTENCE_END.search(raw))
        if in_list or rules.boilerplate.match(raw) or _COUNTER.match(raw) or _credit(rules, raw, article):
            article.dropped.append(raw)
        else:
            lines.append(raw)
    start = _body_start(lines, gaz)
    _read_header(lines[:start], article, title, gaz)
    body: list[str] = []
    for line in lines[start + 1:]:  # a date line anywhere (after "Baca juga" lines, at the end) dates the page
        dated = not _SENTENCE_END.search(line) and dates.header_date(line)
        (article.header_dates if dated else body).append(line)
    article.paragraphs = _strip_closing_credits(rules, lines[start:start + 1] + body, article)
    if article.paragraphs:
        article.dateline = find_dateline(article.paragraphs[0], gaz)
    return article


_INVISIBLE = re.compile(r"[\u200b-\u200d\ufeff]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _lines(text: str) -> list[str]:
    """Non-empty lines with single spaces; zero-width and control characters (escape codes) dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = _INVISIBLE.sub("", text)
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _credit(rules: _Rules, line: str, article: Article) -> bool:
    """A credit line ("Penulis Asyikin", "Editor: ..."): keep an author's name, drop the line."""
    for pattern in rules.credits:
        m = pattern.match(line)
        if m:
            if m.group("who").lower() in rules.author_credits and not article.author:
                article.author = m.group("name").strip()
            return True
    return False


def _body_start(lines: list[str], gaz: Gazetteer) -> int:
    """Index of the first body line: a dateline near the top (a deck sentence above it is page
    header), or else the first full sentence paragraph."""
    for i, line in enumerate(lines[:DATELINE_WITHIN]):
        if _opens_body(line, gaz):
            return i
    for i, line in enumerate(lines):
        words = len(line.split())
        if _opens_body(line, gaz) or (words >= 12 and _SENTENCE_END.search(line)) or words >= LONG_LINE:
            return i
    return 0


def _opens_body(line: str, gaz: Gazetteer) -> bool:
    """A dateline with text after it; a line that is only a dateline ("betapunyacerita.com -") is
    the page's site header."""
    dateline = find_dateline(line, gaz)
    return dateline is not None and bool(line[dateline.length:].strip())


def _read_header(header: list[str], article: Article, title: str, gaz: Gazetteer) -> None:
    """Header lines: site name, headline, byline, publication date; any other line is dropped.
    The headline is the longest line that is not a sentence: site names, sections and date
    widgets above it are shorter."""
    candidates: list[str] = []
    rules = _rules()
    for line in header:
        byline = _BYLINE.match(line)
        if byline:
            article.author = article.author or byline.group("name").strip()
            article.site = article.site or byline.group("site")
        elif dates.header_date(line):
            article.header_dates.append(line)
        elif (alone := find_dateline(line, gaz)) and alone.outlet and not line[alone.length:].strip():
            article.site = article.site or alone.outlet  # "betapunyacerita.com -" above the article
        elif _furniture(rules, line, gaz):
            article.dropped.append(line)
        elif rules.caption.search(line):
            article.captions.append(line)
        elif 3 <= len(line.split()) < LONG_LINE and not _SENTENCE_END.search(line) and line[:1].isalnum():
            candidates.append(line)
        elif _SITE.match(line) and not candidates:
            article.site = article.site or line
        else:
            article.dropped.append(line)
    if candidates:
        article.headline = max(candidates, key=lambda c: len(c.split()))
        article.dropped.extend(c for c in candidates if c is not article.headline)
    if title:
        article.headline = title


def _furniture(rules: _Rules, line: str, gaz: Gazetteer) -> bool:
    """A short header line that is a label, a widget or a place, not a site name or a headline
    ("IKLAN", "21.9 C", "Menu", "Sumber Hms Polda Gorontalo", "HOME NEWS MEGAPOLITAN", "Maluku Utara")."""
    words = line.split()
    if len(words) > rules.label_words:
        return False
    if words[0].lower().strip(":|") in rules.page_labels or sum(c.isalpha() for c in line) < 3:
        return True
    place = gaz.match_at(line, 0)
    return place is not None and place.end >= len(line.rstrip(" .,|-"))


def _strip_closing_credits(rules: _Rules, body: list[str], article: Article) -> list[str]:
    """Cut "(adi/sis)", ".(jejakrekam)", "(Hendi/Bidhumas)." from the last paragraphs."""
    out = list(body)
    for i in range(max(0, len(out) - 2), len(out)):
        m = rules.closing.search(out[i])
        if not m or not _is_credit(rules, m.group("credit")):
            continue
        article.credits.append(m.group("credit"))
        kept = out[i][:m.start()].rstrip()
        if kept and not _SENTENCE_END.search(kept):
            kept += "."
        out[i] = kept
    return [p for p in out if p]


def _is_credit(rules: _Rules, credit: str) -> bool:
    """Reporter initials, an outlet tag or a press unit, not an acronym such as "(KPU)"."""
    words = credit.strip()
    return ("/" in words or words == "*" or words.lower() in rules.press or words.islower()
            or (len(words) <= 4 and words[:1].isupper() and words[1:].islower()))


def credit_outlet(credit: str) -> str:
    """The outlet a closing credit names ("jejakrekam", "ant" -> ANTARA), or ""."""
    rules = _rules()
    word = credit.strip()
    if word.lower() in rules.outlet_credits:
        return rules.outlet_credits[word.lower()]
    if "/" in word or word.lower() in rules.press or len(word) < 5 or " " in word:
        return ""
    return word


def is_press_release(credits: list[str]) -> bool:
    """True when a closing credit is a public-relations unit's ("Bidhumas", "Hendi/Bidhumas")."""
    press = _rules().press
    return any(part.strip().lower() in press for c in credits for part in c.split("/"))


def find_dateline(paragraph: str, gaz: Gazetteer) -> Dateline | None:
    """The dateline opening a paragraph, if its place is a known place or written in capitals."""
    for pattern in _DATELINES:
        m = pattern.match(paragraph)
        if not m:
            continue
        place = (m.groupdict().get("place") or "").strip(" .")
        outlet = (m.groupdict().get("outlet") or "").strip()
        if _is_place(outlet, gaz):  # "Ternate, Maluku Utara -": the province; "SABANGMERAUKE NEWS, Riau -": swapped
            place, outlet = (place, "") if _is_place(place, gaz) else (outlet, place)
        if not place or _is_place(place, gaz) or (place.isupper() and len(place.split()) <= 3):
            return Dateline(place, outlet, m.end())
    return None


def is_web_address(name: str) -> bool:
    """Whether an outlet is written as a web address ("tangerangnews.com", "pid.kepri.polri.go.id")."""
    return re.fullmatch(_DOMAIN, name.strip(), re.IGNORECASE) is not None


def _is_place(name: str, gaz: Gazetteer) -> bool:
    """Whether the whole of `name` is a known place name."""
    known = gaz.match_at(name, 0) if name else None
    return known is not None and known.end == len(name)


def dateline_display(dateline: Dateline) -> str:
    """How the dateline place is stored ("KOTA BATU" -> "Kota Batu")."""
    return display_case(dateline.place)
