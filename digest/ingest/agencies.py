"""Find the agencies a story names: police units, election bodies, local government, commands.

One pass serves two readers: `places` weighs "<unit> <place>" as evidence of where the story
happened, `people` lists the agencies. Unit and body names come from police_units.yaml and
agencies.yaml; the place after them is read with the gazetteer, and the unit decides what a
shared bare name means ("Polres Malang" = Kabupaten Malang, "Polrestabes Bandung" = Kota Bandung).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace

from digest.ingest import data
from digest.ingest.gazetteer import Gazetteer, Match, Target, gazetteer, key
from digest.ingest.text import WORD_START, Spans, display_case
from digest.reference.refdata import Province, RefData, Regency

_NATIONAL_AFTER = re.compile(r"\s*(?:RI|Pusat|Republik Indonesia)\b")
_KOTA_AFTER = re.compile(r"\s+Kota\b")


@dataclass(frozen=True)
class AgencyMention:
    """An agency named in the text, with the place written after it (if any)."""

    start: int
    end: int
    canonical: str  # "Polres", "KPU", "Pemkab", "Korem", "DKPP" ...
    display: str  # "Polres Batu", "KPU Kota Batu", "Korem 064/Maulana Yusuf", "Bawaslu"
    provinces: frozenset[str]
    regencies: frozenset[str]
    weight: float  # place evidence weight (0 when no place)
    level: str  # "province" | "kabupaten" | "kota" | "any" | "national" | "command" (Korem 064/...)
    implied: bool = False  # named through a title ("Bupati Malang" -> Pemkab Malang)
    shared: bool = False  # the place stands for several kab/kota (a bare name they share)
    contest: bool = False  # a title naming a race or its candidates ("calon Gubernur"), not an office acting


@dataclass(frozen=True)
class _Head:
    canonical: str
    listed: str  # how the mention is listed: the canonical name, or the form as written where editors keep it
    level: str
    weight: float
    implied: bool
    police: bool


class AgencyFinder:
    """Compiled unit and body names; `find(text)` lists every agency mention."""

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        units = data.read("police_units")
        bodies = data.read("agencies")
        self.heads: dict[str, _Head] = {}
        for spec in units["families"].values():
            base = spec["forms"][0]
            for form in spec["forms"]:
                self.heads[form.lower()] = _Head(base, base, spec["level"], spec["weight"], form != base, True)
        for body in bodies["bodies"]:
            for form in body["forms"]:
                spelled = form.rstrip("=")
                as_written = body.get("listed_as_written") and not form.endswith("=")  # "Kajari" names the Kejari
                listed = spelled if as_written else body["canonical"]
                self.heads[spelled.lower()] = _Head(body["canonical"], listed, body["level"], body["weight"],
                                                    form.endswith("="), False)
        heads = data.alternation(list(self.heads))  # "Kepolisian Resor (Polres) Jayapura": the short form in brackets
        self.head_re = re.compile(rf"{WORD_START}(?P<head>{heads})\b(?:\s*\(\s*(?:{heads})\s*\))?", re.IGNORECASE)
        self.metro = re.compile(rf"\s+{units['metro_marker']}\b")
        self.spans = {key(name.split(" ", 1)[1]): tuple(codes) for name, codes in units["polda_spans"].items()}
        self.units: dict[tuple[str, str], str] = {}
        for name, code in units["units"].items():
            base, rest = name.split(" ", 1)
            self.units[(base, key(rest))] = str(code)
        self.national_re = re.compile(rf"{WORD_START}(?:{data.alternation(bodies['national'])})\b")
        self.numbered = [(n["canonical"], re.compile(n["pattern"])) for n in bodies["numbered"]]
        self.ranks = {w.lower() for form in data.read("ranks")["ranks"] for w in form.split()}
        self.unlisted_bare = frozenset(bodies["unlisted_bare"])
        self.placed_from_story = frozenset(bodies["placed_from_story"])
        self.polda_units = frozenset(bodies["polda_units"])

    def find(self, text: str) -> list[AgencyMention]:
        """Every agency mention in `text`, in order."""
        found = [self._read(text, m) for m in self.head_re.finditer(text)]
        found = [replace(a, contest=True) if a.implied and names_contest(text, a.start) else a for a in found]
        taken = Spans([(m.start, m.end) for m in found])
        poldas = {a.start: a for a in found if a.canonical == "Polda" and a.provinces and not a.implied}
        for m in self.national_re.finditer(text):
            if taken.covers(m.start()):
                continue
            gap = re.match(r"\s+", text[m.end():m.end() + 3])
            polda = poldas.get(m.end() + gap.end()) if gap and m.group() in self.polda_units else None
            if polda is not None:  # "Satbrimob Polda Maluku": that Polda's own unit, listed as written
                found.append(AgencyMention(m.start(), m.end(), m.group(), f"{m.group()} {polda.display}",
                                           polda.provinces, frozenset(), 0, "national"))
            else:
                found.append(AgencyMention(m.start(), m.end(), m.group(), m.group(), frozenset(), frozenset(), 0,
                                           "national"))
        for canonical, pattern in self.numbered:
            for m in pattern.finditer(text):
                found.append(self._command(canonical, m))
        return sorted(found, key=lambda a: a.start)

    def _command(self, canonical: str, m: re.Match) -> AgencyMention:
        """"Korem 064/Maulana Yusuf": the territorial name stops before a rank ("Wonosobo Letkol")."""
        groups = m.groupdict()
        number = groups.get("num") or ""  # "Kodam Jaya" is named without a number
        words = (groups.get("name") or "").split()
        kept = list(itertools.takewhile(lambda w: w.lower() not in self.ranks, words))
        name = display_case(" ".join(kept))
        end = m.start("name") + len(" ".join(kept)) if kept else m.end("num" if number else 0)
        label = f"{number}/{name}" if number and name else number or name
        return AgencyMention(m.start(), end, canonical, f"{canonical} {label}", frozenset(),
                             frozenset(), 0, "command")

    def _read(self, text: str, m: re.Match) -> AgencyMention:
        head = self.heads[m.group("head").lower()]
        if head.police:
            return self._police(text, m, head)
        return self._body(text, m, head)

    def _police(self, text: str, m: re.Match, head: _Head) -> AgencyMention:
        """A police unit: explicit unit names, Polda spans, "Metro", a place, a trailing "Kota"."""
        pos = m.end()
        explicit = self._explicit(text, pos, head.canonical)
        if explicit:
            end, code = explicit
            regency = self.gaz.ref.regency_by_code[code]
            return self._mention(text, m, head, end, provinces=frozenset({regency.province_code}),
                                 regencies=frozenset({code}))
        if head.level == "province":
            return self._polda(text, m, head)
        if head.level == "kecamatan":
            sector = self.gaz.match_at(text, pos, kind="kecamatan")
            return self._placed(text, m, head, sector.end, sector.targets) if sector else self._bare(m, head)
        place = self._after_metro(text, pos)
        if place is None:
            return self._bare(m, head)
        end, kind = place.end, place.kind
        kota = _KOTA_AFTER.match(text, end)
        if kota:
            end, kind = kota.end(), "kota"
        return self._placed(text, m, head, end, _resolve(self.gaz.ref, place, kind or head.level,
                                                         strict=kind is not None))

    def _polda(self, text: str, m: re.Match, head: _Head) -> AgencyMention:
        """A province's police: a Polda span ("Polda Metro Jaya") or a province after the unit."""
        span = self._span(text, m.end())
        place = self.gaz.match_at(text, m.end())
        if span is not None:
            end, provinces = span
            if place is None or end >= place.end:
                return self._mention(text, m, head, end, provinces=frozenset(provinces), regencies=frozenset())
        targets = tuple(t for t in place.targets if t.regency is None) if place else ()
        if place is None or not targets:
            return self._bare(m, head)
        return self._mention(text, m, head, place.end, provinces=frozenset(t.province for t in targets),
                             regencies=frozenset())

    def _after_metro(self, text: str, pos: int) -> Match | None:
        """The place after a Polres: "Polres Metro Depok" is PMJ's, "Polres Metro" alone is Kota Metro."""
        marker = self.metro.match(text, pos)
        if marker:
            after = self.gaz.match_at(text, marker.end())
            if after and any(t.regency for t in after.targets):
                return after
        return self.gaz.match_at(text, pos)

    def _explicit(self, text: str, pos: int, base: str) -> tuple[int, str] | None:
        """A unit named in police_units.yaml `units` at pos: (end, kab/kota code)."""
        window = text[pos:pos + 60]
        words = list(re.finditer(r"[A-Za-z0-9]+", window))
        for n in range(min(len(words), 4), 0, -1):
            code = self.units.get((base, key(" ".join(w.group() for w in words[:n]))))
            if code and re.fullmatch(r"[\s-]*", window[:words[0].start()]):
                return pos + words[n - 1].end(), code
        return None

    def _span(self, text: str, pos: int) -> tuple[int, tuple[str, ...]] | None:
        """A Polda whose area crosses provinces ("Polda Metro Jaya"): (end, province codes)."""
        window = text[pos:pos + 40]
        words = list(re.finditer(r"[A-Za-z]+", window))
        for n in range(min(len(words), 3), 0, -1):
            codes = self.spans.get(key(" ".join(w.group() for w in words[:n])))
            if codes and re.fullmatch(r"\s*", window[:words[0].start()]):
                return pos + words[n - 1].end(), codes
        return None

    def _body(self, text: str, m: re.Match, head: _Head) -> AgencyMention:
        """An election body, local government or other agency, with the place after it."""
        national = _NATIONAL_AFTER.match(text, m.end())
        if national:
            return AgencyMention(m.start(), national.end(), head.canonical, f"{head.listed} {national.group().strip()}",
                                 frozenset(), frozenset(), 0, "national", head.implied)
        place = self.gaz.match_at(text, m.end())
        targets = _resolve(self.gaz.ref, place, place.kind or head.level, strict=True) if place else ()
        if place and head.level == "any" and place.kind is None:  # "KPU Jambi": the province's KPU
            targets = tuple(t for t in targets if t.regency is None) or targets
        return self._placed(text, m, head, place.end, targets) if place else self._bare(m, head)

    def _mention(self, text: str, m: re.Match, head: _Head, end: int, *, provinces: frozenset[str],
                 regencies: frozenset[str]) -> AgencyMention:
        rest = " ".join(text[m.end():end].split())
        shared = len(regencies) > 1 and len({r[:2] for r in regencies}) == 1
        return AgencyMention(m.start(), end, head.canonical, f"{head.listed} {display_case(rest)}", provinces,
                             regencies, head.weight, head.level, head.implied, shared)

    def _placed(self, text: str, m: re.Match, head: _Head, end: int, targets: tuple[Target, ...]) -> AgencyMention:
        """The unit up to `end`, in the places of `targets`; a bare unit when there are none."""
        if not targets:
            return self._bare(m, head)
        return self._mention(text, m, head, end, provinces=frozenset(t.province for t in targets),
                             regencies=frozenset(t.regency for t in targets if t.regency))

    def _bare(self, m: re.Match, head: _Head) -> AgencyMention:
        return AgencyMention(m.start(), m.end(), head.canonical, head.listed, frozenset(), frozenset(), 0,
                             head.level, head.implied)


def _resolve(ref: RefData, place: Match, kind: str, *, strict: bool) -> tuple[Target, ...]:
    """Targets a unit's place keeps. A strict kind (a kind word, "Pemkot", "Bupati") keeps only
    kab/kota of that kind; a police unit's default kind only settles a bare name that a Kabupaten
    and a Kota of one province share ("Polres Malang"), not one shared across provinces."""
    if kind == "province":
        return tuple(t for t in place.targets if t.regency is None)
    if kind not in ("kabupaten", "kota"):
        return place.targets
    regencies = [t for t in place.targets if t.regency]
    kept = []
    for province in {t.province for t in regencies}:
        here = [t for t in regencies if t.province == province]
        of_kind = [t for t in here if t.regency and ref.regency_by_code[t.regency].kind == kind]
        kept.extend(of_kind if strict or (len(here) > 1 and of_kind) else here)
    return tuple(sorted(kept, key=lambda t: t.regency or ""))


@functools.cache
def _contest_re() -> re.Pattern:
    """What ends right before a title that names a race, not an office: "calon", "Pemilihan",
    "PHPU", and "Gubernur dan" before "Wakil Gubernur" (agencies.yaml `contest_before`)."""
    words = data.alternation(data.read("agencies")["contest_before"])
    return re.compile(rf"\b(?:{words}) +(?:(?:\w+ +){{0,3}}dan +)?$", re.IGNORECASE)


def names_contest(text: str, start: int) -> bool:
    """Whether the title at `start` names an election or its candidates ("pasangan calon Bupati dan
    Wakil Bupati", "sengketa PHPU Gubernur"): no official and no government acting."""
    return _contest_re().search(text, max(0, start - 45), start) is not None


@functools.cache
def finder(ref: RefData) -> AgencyFinder:
    """The agency finder for `ref`, built once per process."""
    return AgencyFinder(gazetteer(ref))


def listing(agency_finder: AgencyFinder, mentions: list[AgencyMention], province: Province | None,
            regency: Regency | None = None) -> tuple[list[str], list[str]]:
    """The agencies to list, each once in its most used spelling ("KPU Kalsel" over "KPU
    Kalimantan Selatan"), a bare name dropped when the same body is also named with its place;
    and a note for each entry whose place was added from the story's kab/kota or province."""
    spellings: dict[tuple, Counter] = {}
    notes: list[str] = []
    named = {a.canonical for a in mentions if a.provinces}
    unlisted, placed_from_story = agency_finder.unlisted_bare, agency_finder.placed_from_story
    where = regency.name if regency else province.name if province else ""
    for a in mentions:
        display = a.display
        if a.contest or (a.display in unlisted and not a.provinces):
            continue  # "calon Gubernur" is no Pemprov acting; a bare "Polres" says not which
        if a.display in placed_from_story and not a.provinces and a.canonical not in named and where:
            display = f"{a.display} {where}"  # "KPU" in a story of Kota Tarakan: KPU Kota Tarakan, most likely
            notes.append(data.reason("agency_story_place", agency=a.display, place=where))
        if a.implied and not a.provinces:
            if a.level != "province" or province is None or a.canonical in named:
                continue  # "Bupati" alone names no agency; "Kapolda" after "Polda Banten" adds none
            display = f"{a.canonical} {province.name}"
            notes.append(data.reason("agency_from_title", agency=a.canonical, province=province.name))
        place = (a.provinces, a.regencies) if a.provinces else ()
        tagged = display if a.level in ("national", "command") or display != a.display else ""
        spellings.setdefault((a.canonical, place, tagged), Counter())[display] += 1
    placed = {canonical for canonical, place, _ in spellings if place}
    names = [min(c, key=lambda d: (-c[d], len(d))) for (canonical, place, tagged), c in spellings.items()
             if place or (tagged and tagged != canonical) or canonical not in placed]
    return list(dict.fromkeys(names)), list(dict.fromkeys(notes))
