"""Open data: every public entry as one CSV table and one JSON file (/data/berita.csv, .json).

Both hold the same columns (README, "Open data") in the order the site lists entries (newest
event first, then id), so the same content gives the same bytes. JSON keeps lists as arrays and
officials as objects; CSV (RFC 4180: a header row, CRLF line ends, fields quoted where needed)
joins list items with "; ".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from digest.content.entry import Official

if TYPE_CHECKING:
    from digest.site.model import EntryView

CSV = "@data-csv"  # the model's template names of the two files; no Jinja template
JSON = "@data-json"
SEPARATOR = "; "  # between the items of a list in a CSV cell

COLUMNS = ("id", "url", "judul", "tanggal", "terbit", "ditambahkan", "provinsi", "provinsi_kode", "kabkota",
           "kabkota_kode", "pemilihan", "tahapan", "topik", "lembaga", "pejabat", "personel", "anggaran_rp",
           "sumber_media", "sumber_url", "sumber_penulis")


def _record(view: EntryView, absolute: Callable[[str], str]) -> dict[str, Any]:
    e = view.entry
    return {
        "id": e.id, "url": absolute(view.url), "judul": e.title, "tanggal": e.date.isoformat(),
        "terbit": e.published.isoformat() if e.published else None,
        "ditambahkan": e.added.isoformat() if e.added else None,
        "provinsi": view.province.name, "provinsi_kode": view.province.code,
        "kabkota": view.regency.name if view.regency else None,
        "kabkota_kode": view.regency.code if view.regency else None,
        "pemilihan": list(e.elections), "tahapan": e.stage, "topik": list(e.topics), "lembaga": list(e.agencies),
        "pejabat": [{"nama": o.name, "pangkat": o.rank or None, "jabatan": o.role or None} for o in e.officials],
        "personel": e.personnel, "anggaran_rp": e.budget_idr,
        "sumber_media": e.source_outlet or None, "sumber_url": e.source_url or None,
        "sumber_penulis": e.source_author or None,
    }


def _official(o: Official) -> str:
    """'AKBP Oskar Syamsuddin (Kapolres Batu)'."""
    name = f"{o.rank} {o.name}" if o.rank else o.name
    return f"{name} ({o.role})" if o.role else name


def _cell(column: str, value: Any, entry_officials: tuple[Official, ...]) -> str:
    if column == "pejabat":
        return SEPARATOR.join(map(_official, entry_officials))
    if isinstance(value, list):
        return SEPARATOR.join(value)
    return "" if value is None else str(value)


def csv_bytes(items: list[EntryView], absolute: Callable[[str], str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for view in items:
        record = _record(view, absolute)
        writer.writerow([_cell(c, record[c], view.entry.officials) for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def json_bytes(items: list[EntryView], absolute: Callable[[str], str], site_title: str) -> bytes:
    """{"situs", "url", "jumlah", "berita": [...]}, one entry a line (readable diffs between builds)."""
    head = json.dumps({"situs": site_title, "url": absolute("/"), "jumlah": len(items)}, ensure_ascii=False)
    rows = ",\n".join(json.dumps(_record(v, absolute), ensure_ascii=False) for v in items)
    return f'{head[:-1]}, "berita": [\n{rows}\n]}}\n'.encode()
