"""Where a story happened: province and kab/kota, weighed from all the evidence in the text.

Evidence, strongest first: the dateline, a local police unit, a local election body or
government, then other place names (more in the headline and first two paragraphs). Text in
boilerplate was removed before (clean), outlet names are masked here, and a regional
sub-domain of the source URL is only a weak prior. A Polda whose area crosses provinces
(Metro Jaya, Papua, Papua Barat) supports each of them, so a kab/kota decides. Anything the
evidence does not settle is returned with a one-line reason.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from digest.ingest import data
from digest.ingest.agencies import AgencyMention
from digest.ingest.clean import Article, Dateline, dateline_display
from digest.ingest.gazetteer import Gazetteer, Match
from digest.ingest.text import Spans
from digest.reference.refdata import Province, Regency

_DOMAINS = r"\bhttps?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|co\.id|web\.id|go\.id|or\.id|id|net|org|news|info)\b"
_MIN_UNIQUE = 1.5  # weight a province needs from evidence that points to it alone (a bare lead mention)
_MIN_UNIQUE_REGENCY = 1.5
_MAX_CONTRARY = 0.5  # contrary evidence may reach at most this share of the winner's
_FLAG_PROVINCE_WIDE = 0.5  # a kab/kota this close to the province-level evidence is worth a look
ADDRESS_SEGMENTS = 2  # path segments of a source address read for a province ("/yogyakarta/")
_SEVERAL = 3  # kab/kota with their own units or bodies in one story: a province-wide story ...
_DOMINANT = 2  # ... unless one of them has this many times the support of the next


@dataclass(frozen=True)
class Evidence:
    """One reason to place the story somewhere."""

    label: str  # "dateline 'Serang'", "Polres Batu", "'Banjarmasin'"
    weight: float
    provinces: frozenset[str]
    regencies: frozenset[str]
    local: bool = False  # a kab/kota's own unit, body or contest ("Polres Batu", "Pilbup Serang")
    opening: bool = False  # in the dateline, headline or first two paragraphs
    explicit: bool = False  # written with its kind word ("Kabupaten Mimika", "Kota Metro")
    source: str = "text"  # "dateline" | "address" (the source URL) | "text"


@dataclass
class Place:
    """The decided place and the reasons for any doubt."""

    province: Province | None = None
    regency: Regency | None = None
    text_province: Province | None = None  # what the text alone points to (an editor's hint may differ)
    dateline: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # "province" / "regency" -> one line


@functools.cache
def _masks() -> re.Pattern:
    rules = data.read("places")
    return re.compile("|".join(f"(?:{p})" for p in (_DOMAINS, *rules["outlet_names"], *rules["phrase_masks"])))


def mask(text: str) -> str:
    """Text with outlet names, domains and set phrases blanked (same length, so offsets hold)."""
    return _masks().sub(lambda m: " " * len(m.group()), text)


def decide(article: Article, text: str, lead_end: int, agencies: list[AgencyMention], gaz: Gazetteer, *,
           url: str = "", given: Province | None = None, venue: str = "") -> Place:
    """Weigh the evidence in `text` (the masked body text; its first `lead_end` characters are
    the headline and first two paragraphs) and decide province and kab/kota. A `given` province
    (an editor's hint) wins; the kab/kota is then chosen inside it. `venue` says what the story's
    stage makes of the place named up front when provincial bodies act: "held" (a rakor, an MoU
    signing: the kab/kota where it is held counts), "maybe" (a review: flagged), or ""."""
    weights = data.read("places")["weights"]
    place = Place()
    if article.dateline:
        place.dateline = _dateline(article.dateline, gaz, weights, place.evidence)
    for a in agencies:
        if a.provinces and a.weight:
            factor = weights["lead_factor"] if a.start < lead_end else 1
            place.evidence.append(Evidence(a.display, a.weight * factor, a.provinces, a.regencies,
                                           local=bool(a.regencies) and not a.shared))
    place.evidence.extend(_contests(text, lead_end, gaz, weights))
    taken = Spans([(a.start, a.end) for a in agencies])
    for m in gaz.find_all(text):
        if m.needs_qualifier or taken.covers(m.start):
            continue
        weight = weights["kind_word"] if m.kind else weights["mention"]
        factor = weights["lead_factor"] if m.start < lead_end else 1
        place.evidence.append(_from_match(f"'{m.text}'", weight * factor, m, gaz, opening=m.start < lead_end))
    outlet = article.dateline.outlet if article.dateline else ""  # "pid.kepri.polri.go.id –" opening the lead
    host = _host_evidence(url or article.url or (f"http://{outlet}" if "." in outlet else ""), gaz,
                          weights["outlet_host"])
    if host:
        place.evidence.append(host)
    _choose_province(place, gaz)
    place.text_province = place.province
    if given is not None:
        place.province = given
        place.reasons.pop("province", None)
    if place.province:
        _choose_regency(place, place.province, gaz, venue)
    return place


def _dateline(dateline: Dateline, gaz: Gazetteer, weights: dict, evidence: list[Evidence]) -> str:
    """Dateline evidence; returns the dateline as stored ("KOTA BATU" -> "Kota Batu")."""
    written = dateline.place
    m = gaz.match_at(written, 0)
    if m and m.end == len(written):
        town = _from_match(f"dateline '{written}'", weights["dateline"], m, gaz, town=True)
        evidence.append(town)
    return dateline_display(dateline)


def _from_match(label: str, weight: float, m: Match, gaz: Gazetteer, *, town: bool = False,
                opening: bool = False) -> Evidence:
    """Evidence from a place name. A dateline names a town: a name that is a province and a Kota
    ("JAMBI -") means the Kota, and a bare name shared by a Kabupaten and the Kota that is the
    provincial capital ("SERANG -") means the Kota, the Kabupaten's seat being elsewhere."""
    targets = m.targets
    regencies = [t for t in targets if t.regency]
    if regencies and (town or m.kind) and len(regencies) < len(targets):
        targets = tuple(regencies)
    elif not town and not m.kind and len(regencies) < len(targets):
        targets = tuple(t for t in targets if t.regency is None)
    codes = {t.regency for t in targets if t.regency}
    capitals = codes & set(gaz.capital_of.values())
    if town and len(codes) == 2 and len({c[:2] for c in codes}) == 1 and len(capitals) == 1:
        codes = capitals
    return Evidence(label, weight, frozenset(t.province for t in targets), frozenset(codes),
                    opening=opening or town, explicit=m.kind in ("kabupaten", "kota"),
                    source="dateline" if town else "text")


def _host_evidence(url: str, gaz: Gazetteer, weight: float) -> Evidence | None:
    """A province named by the address's sub-domains or first path segments
    ("sumut.antaranews.com", "pid.kepri.polri.go.id", "jogja.polri.go.id/yogyakarta/") as a weak
    prior. Only province names count: a city in an outlet's address ("mataram", "ambon") is often
    the bureau, not where the story happened."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None
    words = host.split(".")[:-2] + [seg for seg in parts.path.split("/") if seg][:ADDRESS_SEGMENTS]
    provinces = frozenset(t.province for w in words for t in gaz.lookup(w.replace("-", " ")) if t.regency is None)
    if len(provinces) != 1:
        return None
    return Evidence(f"source address '{host}'", weight, provinces, frozenset(), source="address")


@functools.cache
def _polda_seats() -> frozenset[str]:
    """Provinces where a Polda covering several provinces sits: a tie goes to the seat."""
    return frozenset(codes[0] for codes in data.read("police_units")["polda_spans"].values())


def _choose_province(place: Place, gaz: Gazetteer) -> None:
    support: dict[str, float] = defaultdict(float)
    unique: dict[str, float] = defaultdict(float)
    for e in place.evidence:
        for p in e.provinces:
            support[p] += e.weight
        if len(e.provinces) == 1:
            unique[next(iter(e.provinces))] += e.weight
    if not support:
        place.reasons["province"] = data.reason("province_none")
        return
    seats = _polda_seats()
    best = max(support, key=lambda p: (support[p], unique[p], p in seats, -int(p)))
    place.province = gaz.ref.province_by_code[best]
    contrary = _contrary(place.evidence, best, lambda e: e.provinces)
    if unique[best] < _MIN_UNIQUE:
        shared = [e.label for e in place.evidence if best in e.provinces and len(e.provinces) > 1]
        place.reasons["province"] = data.reason("province_shared" if shared else "province_in_passing",
                                                place=shared[0] if shared else "", province=place.province.name)
    elif contrary.weight > _MAX_CONTRARY * support[best]:
        other = gaz.ref.province_by_code[contrary.code].name
        place.reasons["province"] = data.reason("place_contested", other=other, other_weight=contrary.weight,
                                                chosen=place.province.name, weight=support[best])
    elif rivals := _span_rivals(place.evidence, best, unique):
        other = gaz.ref.province_by_code[max(rivals, key=rivals.__getitem__)].name
        place.reasons["province"] = data.reason("place_contested", other=other, other_weight=sum(rivals.values()),
                                                chosen=place.province.name, weight=unique[best])


def _span_rivals(evidence: list[Evidence], best: str, unique: dict[str, float]) -> dict[str, float]:
    """The other provinces of a unit that spans several (Polda Papua, Polda Metro Jaya) with
    evidence of their own, when the chosen one's own evidence is only names in passing (a list
    of kabupaten across two provinces) or weighs less than twice theirs: the unit supports them
    all alike, so only their own evidence tells them apart; else {}."""
    span = {p for e in evidence if best in e.provinces and len(e.provinces) > 1 for p in e.provinces} - {best}
    rivals = {p: unique[p] for p in span if unique.get(p)}
    passing = all(e.source == "text" and not e.local for e in evidence if e.provinces == {best})
    return rivals if passing or sum(rivals.values()) > _MAX_CONTRARY * unique[best] else {}


def _choose_regency(place: Place, province: Province, gaz: Gazetteer, venue: str) -> None:
    code = province.code
    local = [replace(e, regencies=frozenset(r for r in e.regencies if r.startswith(code + ".")))
             for e in place.evidence if code in e.provinces]
    support: dict[str, float] = defaultdict(float)
    unique: dict[str, float] = defaultdict(float)
    for e in local:
        for r in e.regencies:
            support[r] += e.weight
        if len(e.regencies) == 1:
            unique[next(iter(e.regencies))] += e.weight
    if not support:  # no kab/kota named: none is given, and there is nothing to check
        return
    best = max(support, key=lambda r: (support[r], unique[r], gaz.ref.regency_by_code[r].kind == "kota"))
    if _province_wide(place, local, best, support[best], province=province, gaz=gaz, venue=venue):
        return
    place.regency = gaz.ref.regency_by_code[best]
    contrary = _contrary(local, best, lambda e: e.regencies)
    if unique[best] < _MIN_UNIQUE_REGENCY:
        shared = [r for e in local if best in e.regencies for r in e.regencies if r != best]
        if shared:
            other = gaz.ref.regency_by_code[shared[0]].name
            place.reasons["regency"] = data.reason("regency_which", chosen=place.regency.name, other=other)
        else:
            place.reasons["regency"] = data.reason("regency_in_passing", chosen=place.regency.name)
    elif contrary.weight and gaz.ref.regency_by_code[contrary.code].bare == place.regency.bare:
        # A Kabupaten and a Kota of one name (Solok, Bogor, Malang...): "Polres X" only usually
        # means the Kabupaten, so any explicit word for the twin leaves the choice to the editor.
        other = gaz.ref.regency_by_code[contrary.code].name
        place.reasons["regency"] = data.reason("regency_twins", chosen=place.regency.name, other=other)
    elif contrary.weight > _MAX_CONTRARY * support[best]:
        other = gaz.ref.regency_by_code[contrary.code].name
        place.reasons["regency"] = data.reason("place_contested", other=other, other_weight=contrary.weight,
                                               chosen=place.regency.name, weight=support[best])
    elif other := next((r for e in local if e.opening and e.explicit for r in e.regencies if r != best), ""):
        place.reasons["regency"] = data.reason("regency_opening_differs", other=gaz.ref.regency_by_code[other].name,
                                               chosen=place.regency.name)
    elif best in gaz.seats_of.get(code, ()) and _provincial(local) >= support[best]:
        place.reasons["regency"] = data.reason("regency_capital", chosen=place.regency.name,
                                               provincial=_provincial(local), weight=support[best])


def _province_wide(place: Place, local: list[Evidence], best: str, weight: float, *, province: Province,
                   gaz: Gazetteer, venue: str) -> bool:
    """A story about the whole province gets no kab/kota: its Polda or provincial body weighs at
    least as much as the best kab/kota, and no unit, body or contest of that kab/kota acts in it
    (a dateline in the provincial capital does not make a city story). Flagged when close."""
    acting = {r for e in local if e.local for r in e.regencies}  # kab/kota whose own units or bodies act
    support = sorted((sum(e.weight for e in local if e.local and r in e.regencies) for r in acting), reverse=True)
    if len(acting) >= _SEVERAL and support[0] < _DOMINANT * support[1]:  # several kab/kota alike
        return True
    opening = any(e.opening and best in e.regencies for e in local)
    if best in acting or (venue == "held" and opening):
        return False
    named = {r for e in local for r in e.regencies}
    if named == {best} and any(e.explicit for e in local):  # "Polda Papua ... di Kabupaten Mimika": one place
        return False
    provincial = _provincial(local)
    if provincial < weight:
        return False
    elsewhere = any(e.source == "dateline" and best in e.regencies for e in local) and \
        best != gaz.capital_of.get(province.code)  # a dateline away from the provincial capital
    if weight >= _FLAG_PROVINCE_WIDE * provincial or elsewhere or (venue == "maybe" and opening):
        place.reasons["regency"] = data.reason("regency_province_wide", provincial=provincial, weight=weight,
                                               chosen=gaz.ref.regency_by_code[best].name)
    return True


def _provincial(local: list[Evidence]) -> float:
    """The weight of evidence for the province as a whole: its Polda, provincial bodies, its name."""
    return sum(e.weight for e in local if not e.regencies and e.source != "address")


def _contests(text: str, lead_end: int, gaz: Gazetteer, weights: dict) -> list[Evidence]:
    """A kab/kota's own election ("Pilbup Serang", "Pilkada Kota Palu"): the story is that kab/kota's."""
    found = []
    for m in _local_contests().finditer(text):
        named = gaz.match_at(text, m.end())
        kind = named.kind or (None if m.lastgroup == "any" else m.lastgroup) if named else None
        if named is None or not kind:
            continue
        regencies = frozenset(t.regency for t in named.targets
                              if t.regency and gaz.ref.regency_by_code[t.regency].kind == kind)
        if len(regencies) == 1:
            factor = weights["lead_factor"] if m.start() < lead_end else 1
            found.append(Evidence(f"'{m.group()}{named.text}'", weights["contest"] * factor,
                                  frozenset({next(iter(regencies))[:2]}), regencies, local=True))
    return found


@functools.cache
def _local_contests() -> re.Pattern:
    """Group kabupaten / kota: a contest of that kind; group any: one whose kind the name must write."""
    spec = data.read("places")["local_contests"]
    return re.compile("|".join(rf"\b(?P<{kind}>{'|'.join(words)})\s+" for kind, words in spec.items()),
                      re.IGNORECASE)


@dataclass(frozen=True)
class _Rival:
    """The strongest contrary evidence: a province or kab/kota code ("" for none) and its weight."""

    code: str
    weight: float


def _contrary(evidence: list[Evidence], best: str, of: Callable[[Evidence], frozenset[str]]) -> _Rival:
    """The strongest rival of `best` counting only evidence that does not also support `best`."""
    against: dict[str, float] = defaultdict(float)
    for e in evidence:
        codes = of(e)
        if best not in codes:
            for c in codes:
                against[c] += e.weight
    if not against:
        return _Rival("", 0.0)
    rival = max(against, key=against.__getitem__)
    return _Rival(rival, against[rival])
