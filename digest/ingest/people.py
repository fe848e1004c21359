"""Officials a story quotes: title, unit or place, rank and name ("Kapolres Batu AKBP Oskar
Syamsuddin", "Ketua KPU Banten Mohamad Ihsan", "Kasubdit 1 Ditintelkam Polda Banten Kompol
Heri Purnomo"). Titles are in roles.yaml, ranks (and their misspellings) in ranks.yaml.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace

from digest.content.entry import Official
from digest.ingest import data
from digest.ingest.agencies import AgencyMention, names_contest
from digest.ingest.gazetteer import Gazetteer
from digest.ingest.text import WORD_START, display_case
from digest.reference.refdata import Province

_NUMBER = re.compile(r"\s*/?\s*\d{1,4}\b")
_BRACKETED = re.compile(r"\s*\([A-Za-z][A-Za-z ]{1,20}\)")  # "Kepala Kepolisian Resor (Kapolres) Bantul"
_CAPS_WORD = re.compile(r"[A-Z]{3,}\b")  # "BRIPKA JEFRINAL": a name in capitals after a rank in capitals
# A word of a place or an operation between a title and a rank ("Kapolsek Jatiwangi AKP",
# "Kasatgas Humas OMPC II-2024 AKBP", "Kapolres Kapuas Hulu, Provinsi Kalimantan Barat AKBP")
_WORD_AHEAD = re.compile(r",?\s+[A-Z][\w-]*\b")
_WORDS_AHEAD = 6
_TITLE_AFTER = re.compile(r"(?:\s*,)?\s+(?:(?:selaku|sebagai)\s+)?")  # "AKBP Wibowo Kabagops Polrestabes"
_NAME_WORD = re.compile(r"(?:[A-Z]\.|[A-Z](?= [A-Z])|(?:Dr|Drs|Ir|Hj|Prof|KH)\.|[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)")


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
    not_name_end: re.Pattern
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
                           rf"(?![A-Za-z])(?:\s+(?P<corps>{corps})(?![A-Za-z]))?\.?", re.IGNORECASE),
        ranks=written,
        misspelt=frozenset(k.lower() for k in ranks["misspellings"]),
        not_names=frozenset(w.lower() for w in roles["not_names"]),
        not_name_end=re.compile(rf"\w{{3,}}(?:{data.alternation(roles['not_name_endings'])})\.?$", re.IGNORECASE),
        honorific_re=re.compile(rf"[\s,]*(?:(?:{data.alternation(roles['honorifics'])})\.?\s+)?"),
        not_after=re.compile(rf"\b(?:{data.alternation(roles['not_after'])})\s+$", re.IGNORECASE),
    )


def find(text: str, agencies: list[AgencyMention], province: Province | None, gaz: Gazetteer, start: int = 0
         ) -> Officials:
    """Every official introduced by a title in `text` from `start` on (a headline, all in capitals
    or Title Case, would turn its words into names), merged across mentions."""
    rules = _rules()
    out = Officials()
    index = _Index(agencies, gaz)
    for m in rules.role_re.finditer(text, start):
        if text[m.start() - 1:m.start()] == "(":
            continue  # "(Kapolres)": the short form of the title just read
        if rules.not_after.search(text, max(0, m.start() - 20), m.start()) or names_contest(text, m.start()):
            continue  # "Staf Ahli Gubernur" is not the governor, "calon Bupati" names a race
        official = _read(text, m, index, rules, out.notes)
        if official:
            _merge(out.people, _complete_role(official, m, rules, province, out.notes))
    for official in _titled_after(text, start, index, rules):
        _merge(out.people, official)
    return out


class _Index:
    """The agency mentions by where they start, so each title finds its unit in log time, and the
    gazetteer that names the places a title may end with."""

    def __init__(self, agencies: list[AgencyMention], gaz: Gazetteer):
        self.gaz = gaz
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


def _read(text: str, m: re.Match, agencies: _Index, rules: _Rules,
          notes: list[str]) -> Official | None:
    """Title [number] [sub-unit] [unit or place] [,] [rank] name, starting at a title."""
    role, pos = _title(text, m, agencies, rules)
    found = rules.rank_re.match(text, pos)
    if not (found and found.group("rank")[:1].isupper()):
        role, pos = _place_before_rank(text, role, pos, agencies, rules)
    rank, pos = _rank(text, pos, rules, notes)
    name = _name(text, _after_honorific(rules, text, pos), rules, capitals=rank.isupper())
    return Official(name, rank, role) if name else None


def _after_honorific(rules: _Rules, text: str, pos: int) -> int:
    """Where a name starts: past an honorific ("Dr.", "H.") at `pos`, if any."""
    found = rules.honorific_re.match(text, pos)
    return found.end() if found else pos


def _title(text: str, m: re.Match, agencies: _Index, rules: _Rules) -> tuple[str, int]:
    """The full title from a title word on ("Kasubdit 1 Ditintelkam Polda Banten"), and where it ends."""
    role = rules.roles[m.group().lower()]
    pos = m.end()
    if bracket := _BRACKETED.match(text, pos):
        pos = bracket.end()
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
        place = agencies.gaz.match_at(text, pos)
        if place is not None:
            role, pos = f"{role} {display_case(place.text)}", place.end
    return role, pos


def _place_before_rank(text: str, role: str, pos: int, agencies: _Index, rules: _Rules) -> tuple[str, int]:
    """A few capitalised words and then a rank belong to the title ("Kapolsek Jatiwangi AKP Dedi",
    "Kasatgas Humas OMPC II-2024 AKBP ..."): they are its place or operation, not the official's
    name; a province after a comma only qualifies the unit and is left out."""
    end = pos
    for _ in range(_WORDS_AHEAD):
        word = _WORD_AHEAD.match(text, end)
        written = word.group().strip(", ").lower() if word else ""
        unit = word is not None and agencies.unit(word.end() - len(written), word.end() - len(written)) is not None
        if not word or written in rules.ranks or (written in rules.not_names and written != "provinsi" and not unit):
            break
        end = word.end()
        found = rules.rank_re.match(text, end)
        if found and found.group("rank")[:1].isupper() and "\n" not in text[end:found.start("rank")]:
            words = text[pos:end].split(",", maxsplit=1)[0]
            return f"{role} {' '.join(words.split())}".strip(), end
    return role, pos


def _rank(text: str, pos: int, rules: _Rules, notes: list[str]) -> tuple[str, int]:
    """The rank at pos as the digest stores it ("Kombes Pol", "Letkol Inf"), in capitals when the
    text writes it so ("BRIPKA"), and where it ends; ("", pos) when none is there."""
    found = rules.rank_re.match(text, pos)
    if not (found and found.group("rank")[:1].isupper()):
        return "", pos
    written = found.group("rank")
    rank = rules.ranks[written.lower()] + (f" {found.group('corps')}" if found.group("corps") else "")
    if written.lower() in rules.misspelt:
        notes.append(data.reason("rank_read_as", written=written, rank=rules.ranks[written.lower()]))
    end = _BRACKETED.match(text, found.end())  # "Ajun Komisaris Besar Polisi (AKBP) Hendrawan"
    capitals = written.isupper() and not rules.ranks[written.lower()].isupper()
    return (rank.upper() if capitals else rank), end.end() if end else found.end()


def _titled_after(text: str, start: int, agencies: _Index, rules: _Rules) -> list[Official]:
    """Officials written rank, name, then title ("AKBP Wibowo Kabagops Polrestabes Surabaya",
    "Kompol Heri, selaku Kasubdit 1"); a title that has its own rank and name after it is not theirs."""
    out: list[Official] = []
    for found in rules.rank_re.finditer(text, start):
        at = found.start("rank")
        if not text[at].isupper() or text[at - 1:at].isalnum():
            continue
        rank, pos = _rank(text, at, rules, [])
        name_at = _after_honorific(rules, text, pos)
        name = _name(text, name_at, rules, capitals=rank.isupper())
        if not name:
            continue
        after = _TITLE_AFTER.match(text, name_at + len(name))
        title = rules.role_re.match(text, after.end()) if after else None
        if title is None or names_contest(text, title.start()):
            continue
        role, end = _title(text, title, agencies, rules)
        next_rank, next_at = _rank(text, end, rules, [])
        if next_rank and _name(text, _after_honorific(rules, text, next_at), rules):
            continue  # "AKP Budi, Kasat Lantas AKP Andi": the title is Andi's
        out.append(Official(name, rank, role))
    return out


def _name(text: str, pos: int, rules: _Rules, *, capitals: bool = False) -> str:
    """The capitalised words of a person's name at pos ("M. Sabilul Alif"), or ""; with `capitals`
    (the rank was in capitals) a name in capitals too, in display case ("BRIPKA JEFRINAL")."""
    words: list[str] = []
    while len(words) < 6:
        m = _NAME_WORD.match(text, pos) or (_CAPS_WORD.match(text, pos) if capitals else None)
        if not m or m.group().lower().rstrip(".") in rules.not_names or (m.group().lower() in rules.ranks):
            break
        if rules.not_name_end.match(m.group()) or rules.role_re.match(text, pos):
            break  # "Tekankan", "Jajarannya": a verb or a possessive ends the name, and a title does
        words.append(m.group() if not m.group().isupper() or len(m.group()) < 3 else m.group().title())
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
                   notes: list[str]) -> Official:
    """A provincial title without its province gets the story's ("Pj Gubernur" -> "Pj Gubernur Banten")."""
    title = rules.roles[m.group().lower()]
    if official.role != title:
        return official
    if title in rules.province_level and province is not None:
        notes.append(data.reason("title_no_province", title=title, province=province.name))
        return replace(official, role=f"{title} {province.name}")
    notes.append(data.reason("title_no_place", title=title, name=official.name))
    return official


def _merge(people: list[Official], new: Official) -> None:
    """One person mentioned twice ("Kopol Heri", later "Kopol Heri Purnomo") is listed once."""
    for n, old in enumerate(people):
        a, b = old.name.split(), new.name.split()
        same = old.name == new.name or (old.role == new.role and (set(a) <= set(b) or set(b) <= set(a)))
        if same:
            people[n] = Official(new.name if len(b) > len(a) else old.name, old.rank or new.rank,
                                 old.role or new.role)
            return
    people.append(new)
