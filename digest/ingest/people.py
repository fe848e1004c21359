"""Officials a story quotes: title, unit or place, rank and name ("Kapolres Batu AKBP Oskar
Syamsuddin", "Ketua KPU Banten Mohamad Ihsan", "Kasubdit 1 Ditintelkam Polda Banten Kompol
Heri Purnomo"). Titles are in roles.yaml, ranks (and their misspellings) in ranks.yaml.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from digest.ingest import data
from digest.ingest.agencies import AgencyMention
from digest.ingest.gazetteer import gazetteer
from digest.ingest.text import WORD_START, display_case
from digest.refdata import Province

_NUMBER = re.compile(r"\s*/?\s*\d{1,4}\b")
_NAME_WORD = re.compile(r"(?:[A-Z]\.|[A-Z](?= [A-Z])|(?:Dr|Drs|Ir|Hj|Prof|KH)\.|[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)")


@dataclass
class Official:
    name: str
    rank: str = ""
    role: str = ""


@dataclass
class Officials:
    people: list[Official] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why the list needs a look (one line each)


@dataclass(frozen=True)
class _Rules:
    roles: dict[str, str]
    role_re: re.Pattern
    province_level: frozenset[str]
    subunit_re: re.Pattern
    rank_re: re.Pattern
    ranks: dict[str, str]  # written form (lower) -> stored form
    misspelt: frozenset[str]
    not_names: frozenset[str]
    honorific_re: re.Pattern
    not_after: re.Pattern


@functools.cache
def _rules() -> _Rules:
    roles = data.read("roles")
    ranks = data.read("ranks")
    written = {k.lower(): v for k, v in ranks["ranks"].items()}
    written.update({k.lower(): v for k, v in ranks["misspellings"].items()})
    corps = data.alternation([str(c) for c in ranks["corps"]])
    return _Rules(
        roles={k.lower(): v for k, v in roles["forms"].items()},
        role_re=re.compile(rf"{WORD_START}(?:{data.alternation(list(roles['forms']))})\b", re.IGNORECASE),
        province_level=frozenset(roles["province_level"]),
        subunit_re=re.compile(rf"\s+(?:{data.alternation(roles['subunit_prefixes'])})[a-z]{{3,}}\b"),
        rank_re=re.compile(rf"[\s,]*(?P<rank>{data.alternation(list(ranks['ranks']) + list(ranks['misspellings']))})"
                           rf"(?![A-Za-z])(?:\s+(?P<corps>{corps}))?\.?", re.IGNORECASE),
        ranks=written,
        misspelt=frozenset(k.lower() for k in ranks["misspellings"]),
        not_names=frozenset(w.lower() for w in roles["not_names"]),
        honorific_re=re.compile(rf"[\s,]*(?:(?:{data.alternation(roles['honorifics'])})\.?\s+)?"),
        not_after=re.compile(rf"\b(?:{data.alternation(roles['not_after'])})\s+$", re.IGNORECASE),
    )


def find(text: str, agencies: list[AgencyMention], province: Province | None, start: int = 0) -> Officials:
    """Every official introduced by a title in `text` from `start` on (a headline, all in capitals
    or Title Case, would turn its words into names), merged across mentions."""
    rules = _rules()
    out = Officials()
    index = _AgencyIndex(agencies)
    for m in rules.role_re.finditer(text, start):
        if rules.not_after.search(text, max(0, m.start() - 20), m.start()):
            continue  # "Staf Ahli Gubernur" is not the governor
        official = _read(text, m, index, rules, out.notes)
        if official:
            _complete_role(official, m, rules, province, out.notes)
            _merge(out.people, official)
    return out


class _AgencyIndex:
    """The agency mentions by where they start, so each title finds its unit in log time."""

    def __init__(self, agencies: list[AgencyMention]):
        self.mentions = sorted(agencies, key=lambda a: a.start)
        self.starts = [a.start for a in self.mentions]
        self.commands = {a.start: a for a in reversed(self.mentions) if a.level == "command"}

    def unit(self, first: int, pos: int) -> AgencyMention | None:
        """The first mention starting in [first, pos + 1] that runs past `pos`."""
        i = bisect.bisect_left(self.starts, first)
        while i < len(self.mentions) and self.starts[i] <= pos + 1:
            if self.mentions[i].end > pos:
                return self.mentions[i]
            i += 1
        return None


def _read(text: str, m: re.Match, agencies: _AgencyIndex, rules: _Rules,
          notes: list[str]) -> Official | None:
    """Title [number] [sub-unit] [unit or place] [,] [rank] name, starting at a title."""
    role = rules.roles[m.group().lower()]
    pos = m.end()
    command = agencies.commands.get(m.start())
    if command is not None:  # "Dandrem/064 Maulana Yusuf" -> "Danrem 064/Maulana Yusuf"
        role, pos = f"{role} {command.display.split(' ', 1)[1]}", command.end
    number = _NUMBER.match(text, pos)
    if command is None and number and not text[pos:number.end()].strip().startswith("/"):
        role, pos = f"{role} {number.group().strip()}", number.end()
    while sub := rules.subunit_re.match(text, pos):
        role, pos = f"{role} {sub.group().strip()}", sub.end()
    unit = None if command else agencies.unit(m.start(), pos)
    if unit is not None:
        rest = " ".join(text[max(pos, unit.start):unit.end].split())
        role, pos = f"{role} {display_case(rest)}", unit.end
    elif command is None:
        place = gazetteer().match_at(text, pos)
        if place is not None:
            role, pos = f"{role} {display_case(place.text)}", place.end
    rank = ""
    found = rules.rank_re.match(text, pos)
    if found and found.group("rank")[:1].isupper():
        written = found.group("rank")
        rank = rules.ranks[written.lower()] + (f" {found.group('corps')}" if found.group("corps") else "")
        if written.lower() in rules.misspelt:
            notes.append(f"rank '{written}' read as '{rules.ranks[written.lower()]}'")
        pos = found.end()
    name = _name(text, rules.honorific_re.match(text, pos).end(), rules)
    return Official(name, rank, role) if name else None


def _name(text: str, pos: int, rules: _Rules) -> str:
    """The capitalised words of a person's name at pos ("M. Sabilul Alif"), or ""."""
    words: list[str] = []
    while len(words) < 6:
        m = _NAME_WORD.match(text, pos)
        if not m or m.group().lower().rstrip(".") in rules.not_names or (m.group().lower() in rules.ranks):
            break
        words.append(m.group())
        gap = re.match(r" (?=[A-Z])", text[m.end():m.end() + 2])
        if not gap:
            break
        pos = m.end() + 1
    while words and (words[-1].endswith(".") and len(words[-1]) <= 4):
        words.pop()  # a trailing initial is the start of the next sentence, not the name
    if not any(len(w) > 2 and not w.endswith(".") for w in words):
        return ""
    return " ".join(words)


def _complete_role(official: Official, m: re.Match, rules: _Rules, province: Province | None,
                   notes: list[str]) -> None:
    """A provincial title without its province gets the story's ("Pj Gubernur" -> "Pj Gubernur Banten")."""
    title = rules.roles[m.group().lower()]
    if official.role != title:
        return
    if title in rules.province_level and province is not None:
        official.role = f"{title} {province.name}"
        notes.append(f"'{title}' names no province; {province.name} added")
    else:
        notes.append(f"'{title}' ({official.name}) names no unit or place")


def _merge(people: list[Official], new: Official) -> None:
    """One person mentioned twice ("Kopol Heri", later "Kopol Heri Purnomo") is listed once."""
    for old in people:
        a, b = old.name.split(), new.name.split()
        same = old.name == new.name or (old.role == new.role and (set(a) <= set(b) or set(b) <= set(a)))
        if same:
            if len(b) > len(a):
                old.name = new.name
            old.rank = old.rank or new.rank
            old.role = old.role or new.role
            return
    people.append(new)
