"""Indonesian formatting of dates and numbers ("Senin, 16 Oktober 2023", "4.174", "Rp 131 miliar").

Day and month names come from data/calendar_id.yaml; templates use these as filters.
"""

from __future__ import annotations

import datetime as dt

from digest.reference.refdata import load


def long_date(day: dt.date) -> str:
    """'Senin, 16 Oktober 2023'."""
    cal = load().calendar
    return f"{cal['weekdays'][day.weekday()]}, {day.day} {cal['months'][day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'16 Okt 2023', for lists and stage windows."""
    return f"{day.day} {load().calendar['months_short'][day.month - 1]} {day.year}"


def month_year(day: dt.date) -> str:
    """'Oktober 2023', for archive headings."""
    return f"{load().calendar['months'][day.month - 1]} {day.year}"


def number(n: int) -> str:
    """Indonesian digit grouping with dots: 4174 -> '4.174'."""
    return f"{n:,}".replace(",", ".")


def rupiah(n: int) -> str:
    """Amounts as news writes them: 'Rp 131 miliar', 'Rp 2,5 triliun', 'Rp 750.000'."""
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta")):
        if n >= size:
            value = f"{n / size:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"Rp {value} {word}"
    return f"Rp {number(n)}"
