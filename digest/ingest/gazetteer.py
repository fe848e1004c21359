"""Find place names in text: the 38 provinces, all 514 kab/kota, their news aliases and seats.

Built once from the reference data (`digest.reference.refdata`), `regency_capitals.yaml` and
`places.yaml`. Matching works on capitalised word runs and looks names up in a dictionary, so
it is fast and never matches "batu" (a stone) for Kota Batu. A name can designate several
places (a bare name shared by a Kabupaten and a Kota, "Banjar" in two provinces): every
candidate is returned and the caller weighs the evidence.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, replace

from digest.ingest import data
from digest.reference.refdata import DATA_DIR, RefData

MAX_WORDS = 6
_BLANKS = re.compile(r"[ \t]*")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_ABBREVIATED = {"kab", "kep", "prov", "kec"}  # may be followed by ". "
_CONNECTORS = {"dan"}  # lower-case words allowed inside a name ("Pangkajene dan Kepulauan")


@dataclass(frozen=True)
class Target:
    """One place a name can designate."""

    province: str  # province code
    regency: str | None  # kab/kota code; None when the name is the province's
    form: str  # "province" | "bare" | "alias" | "capital"


@dataclass(frozen=True)
class Match:
    """A place name found in text."""

    start: int
    end: int
    text: str
    targets: tuple[Target, ...]
    kind: str | None  # kind word written before the name: "province" | "kabupaten" | "kota"
    needs_qualifier: bool  # an everyday word as well as a name: counts only with a qualifier


def key(text: str) -> str:
    """Lookup key of a written name: its words, lower case, single-spaced."""
    return " ".join(w.lower() for w in _TOKEN.findall(text))


class Gazetteer:
    """Name -> places index with a matcher over capitalised word runs."""

    def __init__(self, ref: RefData):
        self.ref = ref
        rules = data.read("places")
        self._index: dict[str, list[Target]] = {}
        for p in ref.provinces:
            for name in p.names:
                self._add(name, Target(p.code, None, "province"))
        for r in ref.regencies:
            self._add(r.bare, Target(r.province_code, r.code, "bare"))
            for alias in r.aliases:
                self._add(alias, Target(r.province_code, r.code, "alias"))
        for row in _kecamatan():  # counted only after "Kecamatan"/"Distrik" (see _of_kind)
            self._add(row["name"], Target(row["regency_code"][:2], row["regency_code"], "kecamatan"))
        for code, seats in data.read("regency_capitals").items():
            regency = ref.regency_by_code[str(code)]
            for seat in [seats] if isinstance(seats, str) else seats:
                if key(seat) != key(regency.bare):
                    self._add(seat, Target(regency.province_code, regency.code, "capital"))
        # First words of names that count without a kind word, to skip other words fast (a kecamatan
        # is reached through "Kecamatan", a kind word).
        self._starts = {k.split(" ", 1)[0] for k, targets in self._index.items()
                        if any(t.form != "kecamatan" for t in targets)}
        self._needs_qualifier = {key(n) for n in rules["needs_qualifier"]}
        self._needs_qualifier |= {key(n) for n in rules["province_needs_qualifier"]}
        self._kind_words = {key(w): kind for kind, words in rules["kind_words"].items() for w in words}
        self._kind_starts = {k.split(" ", 1)[0] for k in self._kind_words}
        self.capital_of = {str(p): str(c) for p, c in rules["province_capitals"].items()}
        self.seats_of = {p: frozenset({c, str(rules["provincial_seats"].get(p, c))})
                         for p, c in self.capital_of.items()}  # where the provincial bodies act

    def _add(self, name: str, target: Target) -> None:
        bucket = self._index.setdefault(key(name), [])
        if target not in bucket:
            bucket.append(target)

    def lookup(self, name: str) -> tuple[Target, ...]:
        """Every place a written name designates (exact name, no kind word)."""
        return self._of_kind(self._index.get(key(name), ()), None)

    def _of_kind(self, targets: list[Target] | tuple[Target, ...], kind: str | None) -> tuple[Target, ...]:
        """The targets a kind word allows ("Kota Batu": kota only; "Provinsi Jambi": the province). A
        kecamatan counts only after its kind word: thousands share names with towns, people and words."""
        if kind is None:
            return tuple(t for t in targets if t.form != "kecamatan")
        if kind == "kecamatan":
            return tuple(t for t in targets if t.form == "kecamatan")
        if kind == "province":
            return tuple(t for t in targets if t.regency is None)
        return tuple(t for t in targets
                     if t.regency and t.form != "kecamatan" and self.ref.regency_by_code[t.regency].kind == kind)

    def find_all(self, text: str) -> list[Match]:
        """Every place name in `text`, longest first, not overlapping."""
        tokens = list(_TOKEN.finditer(text))
        found: list[Match] = []
        i = 0
        while i < len(tokens):
            match = self._match(text, tokens, i)
            if match is None:
                i += 1
                continue
            found.append(match)
            while i < len(tokens) and tokens[i].start() < match.end:
                i += 1
        return found

    def match_at(self, text: str, pos: int, kind: str | None = None) -> Match | None:
        """The place name that starts at `pos` (after blanks), or None; with `kind`, only a name
        of that kind written without its kind word ("Narmada" after "Polsek": a kecamatan)."""
        start = _BLANKS.match(text, pos).end()  # type: ignore[union-attr]  # matches the empty string
        window = text[start:start + 120]
        tokens = list(_TOKEN.finditer(window))
        if not tokens or tokens[0].start() != 0:
            return None
        match = self._longest(window, tokens, 0, 0, kind) if kind else self._match(window, tokens, 0)
        if match is None:
            return None
        return replace(match, start=match.start + start, end=match.end + start)

    def _match(self, text: str, tokens: list[re.Match], i: int) -> Match | None:
        """The longest name at token i, with or without a kind word before it."""
        word = tokens[i].group()
        if not _capitalised(word) or (word.lower() not in self._starts and word.lower() not in self._kind_starts):
            return None
        best = self._longest(text, tokens, i, i, None)
        kind_len, kind = self._kind_at(text, tokens, i)
        if kind_len:
            with_kind = self._longest(text, tokens, i, i + kind_len, kind)
            if with_kind and (best is None or with_kind.end > best.end):
                best = with_kind
        return best

    def _kind_at(self, text: str, tokens: list[re.Match], i: int) -> tuple[int, str | None]:
        """(number of tokens, kind) of a kind word such as "Kota" or "Kabupaten Administrasi" at i."""
        for n in (2, 1):
            if i + n < len(tokens) and _joined(text, tokens, i, i + n):
                kind = self._kind_words.get(key(" ".join(t.group() for t in tokens[i:i + n])))
                if kind:
                    return n, kind
        return 0, None

    def _longest(self, text: str, tokens: list[re.Match], start: int, name_start: int,
                 kind: str | None) -> Match | None:
        last = min(len(tokens), name_start + MAX_WORDS)
        end = name_start
        while end < last and _joined(text, tokens, name_start, end + 1) and (
                _capitalised(tokens[end].group()) or tokens[end].group() in _CONNECTORS):
            end += 1
        for stop in range(end, name_start, -1):
            if tokens[stop - 1].group() in _CONNECTORS:
                continue
            name = key(" ".join(t.group() for t in tokens[name_start:stop]))
            targets = self._of_kind(self._index.get(name, ()), kind)
            if targets:
                return Match(tokens[start].start(), tokens[stop - 1].end(),
                             text[tokens[start].start():tokens[stop - 1].end()], targets, kind,
                             kind is None and name in self._needs_qualifier)
        return None


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _joined(text: str, tokens: list[re.Match], first: int, stop: int) -> bool:
    """True when tokens[first:stop] are one run of words (spaces or hyphens between them)."""
    for j in range(first + 1, stop):
        gap = text[tokens[j - 1].end():tokens[j].start()]
        if gap in (" ", "-"):
            continue
        if gap in (". ", ".") and tokens[j - 1].group().lower() in _ABBREVIATED:
            continue
        return False
    return True


def _kecamatan() -> list[dict[str, str]]:
    """The 7,285 kecamatan with their kab/kota code (kecamatan.csv, generated with kabkota.csv)."""
    with open(DATA_DIR / "kecamatan.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@functools.cache
def gazetteer(ref: RefData) -> Gazetteer:
    """The gazetteer of `ref`, built once per process (RefData hashes by identity)."""
    return Gazetteer(ref)
