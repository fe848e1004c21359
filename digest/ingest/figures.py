"""Numbers an entry keeps: personnel deployed ("4.174 personel" = 4174) and budgets
("Rp 131 miliar" = 131000000000). Indonesian writes thousands with dots and decimals with commas.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from digest.ingest import data

_NUMBER = r"(?P<n>\d{1,3}(?:\.\d{3})+|\d+)"


@dataclass
class Figures:
    personnel: int | None = None
    budget_idr: int | None = None
    reasons: dict[str, str] = field(default_factory=dict)  # "figures.personnel" / "figures.budget_idr"


@dataclass(frozen=True)
class _Rules:
    personnel: tuple[re.Pattern, ...]
    budget: re.Pattern
    units: dict[str, int]


@functools.cache
def _rules() -> _Rules:
    spec = data.read("figures")
    nouns = data.alternation(spec["personnel_nouns"])
    units = {str(k): int(v) for k, v in spec["budget_units"].items()}
    unit_words = data.alternation(list(units))
    return _Rules(
        personnel=(re.compile(rf"\b{_NUMBER}\s+(?:orang\s+)?(?:{nouns})\b", re.IGNORECASE),
                   re.compile(rf"{spec['personnel_after']}{_NUMBER}\b", re.IGNORECASE)),
        budget=re.compile(rf"\bRp\.?\s?(?P<n>\d+(?:[.,]\d+)*)(?:\s*(?P<unit>{unit_words})\b)?", re.IGNORECASE),
        units=units,
    )


def find(text: str) -> Figures:
    """The personnel count and budget a story states; several different values are flagged."""
    rules = _rules()
    out = Figures()
    counts = [int(m.group("n").replace(".", "")) for p in rules.personnel for m in p.finditer(text)]
    out.personnel = _one(counts, "figures.personnel", "personnel_several", out)
    budgets = [v for m in rules.budget.finditer(text) if (v := _rupiah(m, rules.units))]
    out.budget_idr = _one(budgets, "figures.budget_idr", "budget_several", out)
    return out


def _one(values: list[int], field_name: str, several: str, out: Figures) -> int | None:
    distinct = sorted(set(values), reverse=True)
    if len(distinct) > 1:
        shown = ", ".join(f"{v:,}".replace(",", ".") for v in distinct[:4])
        out.reasons[field_name] = data.reason(several, values=shown)
    return distinct[0] if distinct else None


def _rupiah(m: re.Match, units: dict[str, int]) -> int | None:
    """Whole rupiah of "Rp 131 miliar", "Rp1,5 triliun", "Rp 2.500.000.000"."""
    number, unit = m.group("n"), m.group("unit")
    multiplier = units.get(unit, units.get(unit.lower(), 1)) if unit else 1
    if unit and re.fullmatch(r"\d+[.,]\d{1,2}", number):  # "1,5 miliar" or "1.5 miliar": a decimal
        whole, frac = re.split(r"[.,]", number)
        return int(whole) * multiplier + int(frac) * multiplier // 10 ** len(frac)
    digits = re.sub(r"[.,]\d{1,2}$", "", number).replace(".", "").replace(",", "")
    value = int(digits) * multiplier
    return value if value >= 1000 else None
