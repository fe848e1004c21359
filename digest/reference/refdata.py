"""Reference data shipped in `digest/data/`: provinces, kabupaten/kota, elections, stages.

Everything domain-specific lives in those data files; this module only loads them once and
answers look-ups ("which province is 'Jatim'?") that validation and ingest both need.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

DATA_DIR = Path(__file__).parent.parent / "data"


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphen-separated slug ("Kota Batu" -> "kota-batu")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _key(text: str) -> str:
    """Loose comparison key: case, punctuation and spacing do not matter."""
    return re.sub(r"[^a-z0-9]+", " ", unicodedata.normalize("NFKD", str(text)).lower()).strip()


@dataclass(frozen=True)
class Province:
    code: str
    slug: str
    name: str
    official_name: str
    abbreviations: tuple[str, ...]
    aliases: tuple[str, ...]
    polda: str
    polda_aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every written form that designates this province."""
        return (self.name, self.official_name, self.slug, *self.abbreviations, *self.aliases)


@dataclass(frozen=True)
class Regency:
    code: str
    name: str
    kind: str  # "kabupaten" | "kota"
    province_code: str
    bare: str
    slug: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Full written forms that designate exactly this kab/kota (bare names may be shared)."""
        short = "Kab. " + self.bare if self.kind == "kabupaten" else None
        return tuple(n for n in (self.name, self.slug, short, *self.aliases) if n)


@dataclass(frozen=True)
class Election:
    slug: str
    label: str
    label_en: str


@dataclass(frozen=True)
class Stage:
    slug: str
    short: str  # column heading in terminal tables
    label: str
    label_en: str
    description: str
    windows: dict[str, tuple[dt.date, dt.date] | None]
    approximate: tuple[str, ...]
    soft_window: bool = False  # preparation happens all along: only the election's whole span binds
    news_lead_days: int = 0  # news of the stage starts this long before its official window (stages.yaml)
    news_tail_days: int = 0  # and goes on this long after it


class RefData:
    """Indexed reference data; build it with `load()`."""

    def __init__(self, provinces: list[Province], regencies: list[Regency],
                 elections: list[Election], stages: list[Stage], *, calendar: dict[str, list[str]],
                 field_names_id: dict[str, str]):
        self.provinces = tuple(provinces)
        self.regencies = tuple(regencies)
        self.elections = {e.slug: e for e in elections}
        self.stages = {s.slug: s for s in stages}  # insertion order = calendar order
        self.calendar = calendar
        self.field_names_id = field_names_id  # Indonesian word -> schema key, for suggestions
        self.province_by_slug = {p.slug: p for p in provinces}
        self.province_by_code = {p.code: p for p in provinces}
        self._province_index = {_key(n): p for p in provinces for n in p.names}
        self._regency_index: dict[tuple[str, str], list[Regency]] = {}
        for r in regencies:
            for n in (*r.names, r.bare):
                bucket = self._regency_index.setdefault((r.province_code, _key(n)), [])
                if r not in bucket:
                    bucket.append(r)
        self.regency_by_slug = {r.slug: r for r in regencies}
        self.regency_by_code = {r.code: r for r in regencies}

    def province(self, value: str) -> Province | None:
        """The province a written form designates (name, official name, slug, abbreviation)."""
        return self._province_index.get(_key(value))

    def province_choices(self) -> list[str]:
        """Names to suggest for a mistyped province."""
        return [n for p in self.provinces for n in (p.name, p.slug, *p.abbreviations)]

    def election_span(self, election: str) -> tuple[dt.date, dt.date]:
        """First to last day of an election's official calendar, over all its stage windows."""
        spans = [window for s in self.stages.values() if (window := s.windows.get(election))]
        return min(w[0] for w in spans), max(w[1] for w in spans)

    def stage_window(self, stage: str, election: str) -> tuple[dt.date, dt.date] | None:
        """The window an entry of this stage and election should fall in (None: text-only stage)."""
        s = self.stages[stage]
        if not s.windows.get(election):
            return None
        return self.election_span(election) if s.soft_window else s.windows[election]

    def news_window(self, stage: str, election: str) -> tuple[dt.date, dt.date] | None:
        """The days news of this stage and election is about: its window, widened by the days
        before and after it that the stage's own news covers (troops moving to polling stations
        before voting day, re-votes after a dispute is decided)."""
        window = self.stage_window(stage, election)
        if window is None:
            return None
        s = self.stages[stage]
        return (window[0] - dt.timedelta(days=s.news_lead_days), window[1] + dt.timedelta(days=s.news_tail_days))

    def regencies_of(self, province: Province) -> list[Regency]:
        return [r for r in self.regencies if r.province_code == province.code]

    def regency(self, value: str, province: Province) -> list[Regency]:
        """Kab/kota of `province` that `value` may designate: one match, several (a bare name
        shared by a Kabupaten and a Kota), or none."""
        key = _key(value)
        exact = self._regency_index.get((province.code, key), [])
        if len(exact) > 1:  # "Batu" alone: prefer an exact full-name match if there is one
            full = [r for r in exact if key in {_key(n) for n in r.names}]
            return full or exact
        return exact

    def regency_anywhere(self, value: str) -> list[Regency]:
        """Kab/kota in any province matching `value` (for 'it lies in another province' hints)."""
        key = _key(value)
        return [r for (code, k), rs in self._regency_index.items() if k == key for r in rs]


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _yaml(stream: IO[str]) -> Any:
    """One of the package's own data files (libyaml's safe loader, faster than pure Python's)."""
    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def data_file(name: str) -> Any:
    """digest/data/<name> (YAML), parsed once per process for the modules that read a file of
    their own there; shared between callers, so never to be changed in place."""
    with open(DATA_DIR / name, encoding="utf-8") as f:
        return _yaml(f)


@functools.cache
def load(data_dir: Path = DATA_DIR) -> RefData:
    """Load all reference data once per process."""
    with open(data_dir / "provinces.yaml", encoding="utf-8") as f:
        provinces = [
            Province(code=str(p["code"]), slug=p["slug"], name=p["name"], official_name=p["official_name"],
                     abbreviations=tuple(p.get("abbreviations") or ()), aliases=tuple(p.get("aliases") or ()),
                     polda=p["polda"], polda_aliases=tuple(p.get("polda_aliases") or ()))
            for p in _yaml(f)
        ]
    with open(data_dir / "regency_aliases.yaml", encoding="utf-8") as f:
        aliases = {str(k): tuple(v or ()) for k, v in (_yaml(f) or {}).items()}
    with open(data_dir / "kabkota.csv", encoding="utf-8", newline="") as f:
        regencies = [
            Regency(code=row["code"], name=row["name"], kind=row["kind"], province_code=row["province_code"],
                    bare=row["bare"], slug=row["slug"], aliases=aliases.get(row["code"], ()))
            for row in csv.DictReader(f)
        ]
    with open(data_dir / "stages.yaml", encoding="utf-8") as f:
        taxonomy = _yaml(f)
    elections = [Election(e["slug"], e["label"], e["label_en"]) for e in taxonomy["elections"]]
    stages = [
        Stage(slug=s["slug"], short=s["short"], label=s["label"], label_en=s["label_en"], description=s["description"],
              windows={k: (_date(v[0]), _date(v[1])) if v else None for k, v in s["windows"].items()},
              approximate=tuple(s.get("approximate") or ()), soft_window=bool(s.get("soft_window")),
              news_lead_days=int(s.get("news_lead_days", 0)), news_tail_days=int(s.get("news_tail_days", 0)))
        for s in taxonomy["stages"]
    ]
    with open(data_dir / "calendar_id.yaml", encoding="utf-8") as f:
        calendar = _yaml(f)
    with open(data_dir / "field_names_id.yaml", encoding="utf-8") as f:
        field_names_id = _yaml(f)
    return RefData(provinces, regencies, elections, stages, calendar=calendar, field_names_id=field_names_id)
