"""Open data: every public entry as one CSV table and one JSON file (/data/berita.csv, .json).

Both hold the same columns (README, "Open data") in the order the site lists entries (newest
event first, then id), so the same content gives the same bytes. JSON keeps lists as arrays and
officials as objects; CSV (RFC 4180: a header row, CRLF line ends, fields quoted where needed)
joins list items with "; ".

Each entry's CSV row and JSON object depend on its file alone (and the base URL), so the build
cache keeps their bytes by the file's digest (Rows): a build encodes the rows of the entries that
changed and joins the others' bytes, and an edit that moves no entry replaces its rows in the
files the last build made (patch), as large sites would otherwise pay for every entry per edit.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from digest.content.entry import Official
from digest.output.cache import Shelf, digest

if TYPE_CHECKING:
    from digest.site.model import EntryView

CSV = "@data-csv"  # the model's template names of the two files; no Jinja template
JSON = "@data-json"
SEPARATOR = "; "  # between the items of a list in a CSV cell

COLUMNS = ("id", "url", "judul", "tanggal", "terbit", "ditambahkan", "provinsi", "provinsi_kode", "kabkota",
           "kabkota_kode", "pemilihan", "tahapan", "topik", "lembaga", "pejabat", "personel", "anggaran_rp",
           "sumber_media", "sumber_url", "sumber_penulis")
CRLF = "\r\n"


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


def _csv_line(cells: list[str] | tuple[str, ...]) -> bytes:
    """One CSV line, CRLF-terminated, quoted as the csv module quotes."""
    out = io.StringIO()
    csv.writer(out, lineterminator=CRLF).writerow(cells)
    return out.getvalue().encode("utf-8")


def encode(view: EntryView, absolute: Callable[[str], str]) -> tuple[bytes, bytes]:
    """(CSV row with its line end, JSON object) of one entry."""
    record = _record(view, absolute)
    return (_csv_line([_cell(c, record[c], view.entry.officials) for c in COLUMNS]),
            json.dumps(record, ensure_ascii=False).encode())


class Replacement(NamedTuple):
    """An edited entry's rows (CSV, JSON) as the files hold them, and as they are now."""

    old: tuple[bytes, bytes]
    new: tuple[bytes, bytes]


class Rows:
    """Each entry's encoded row, kept in `shelf` (the build cache) by the digest of its file and
    the base URL: an entry not changed since it was last encoded is never read for the files."""

    def __init__(self, shelf: Shelf | None, file_digests: dict[str, bytes], absolute: Callable[[str], str]):
        """`file_digests`: entry id -> digest of its file, as the entry cache recorded them;
        `absolute` makes the URL column (so the site's root URL keys the rows too)."""
        self.shelf = shelf
        self.file_digests = file_digests
        self.absolute = absolute
        self._salt = absolute("/").encode()
        self._known: dict[str, tuple[bytes, bytes]] = {}

    def _key(self, entry_id: str) -> bytes | None:
        file_digest = self.file_digests.get(entry_id)
        return None if file_digest is None else self._file_key(file_digest)

    def _file_key(self, file_digest: bytes) -> bytes:
        return digest(file_digest + b"\0" + self._salt)

    def _recall(self, key: bytes | None) -> tuple[bytes, bytes] | None:
        return None if self.shelf is None or key is None else self.shelf.get(key)

    def _remember(self, view: EntryView, key: bytes | None) -> tuple[bytes, bytes]:
        """The view's rows, recalled, else encoded and kept under `key`."""
        found = self._recall(key)
        if found is None:
            found = encode(view, self.absolute)
            if self.shelf is not None and key is not None:
                self.shelf.put(key, found)
        return found

    def prepare(self, items: list[EntryView]) -> None:
        """Encode (or recall) every item's row before workers fork, so the two files share them
        and what is encoded is kept; the cache forgets rows no longer listed."""
        keys = set()
        for view in items:
            key = self._key(view.entry.id)
            self._known[view.entry.id] = self._remember(view, key)
            if key is not None:
                keys.add(key)
        if self.shelf is not None:
            self.shelf.keep_only(keys)

    def replaced(self, view: EntryView, old_file: bytes, new_file: bytes) -> Replacement | None:
        """An edited entry's rows as the files hold them (as its file was: `old_file`, its digest)
        and as they are now (`new_file`; kept for the next edit, instead of the old); None when the
        cache lost the old."""
        old_key = self._file_key(old_file)
        old = self._recall(old_key)
        if old is None:
            return None
        new = self._remember(view, self._file_key(new_file))
        if self.shelf is not None:
            self.shelf.discard(old_key)
        return Replacement(old, new)

    def of(self, view: EntryView) -> tuple[bytes, bytes]:
        found = self._known.get(view.entry.id)
        if found is None:
            found = self._known[view.entry.id] = encode(view, self.absolute)
        return found


def csv_bytes(items: list[EntryView], rows: Rows) -> bytes:
    return _csv_line(COLUMNS) + b"".join(rows.of(v)[0] for v in items)


def json_bytes(items: list[EntryView], rows: Rows, site_title: str) -> bytes:
    """{"situs", "url", "jumlah", "berita": [...]}, one entry a line (readable diffs between builds)."""
    head = json.dumps({"situs": site_title, "url": rows.absolute("/"), "jumlah": len(items)}, ensure_ascii=False)
    body = b",\n".join(rows.of(v)[1] for v in items)
    return f'{head[:-1]}, "berita": [\n'.encode() + body + b"\n]}\n"


def patch(template: str, made: bytes, replaced: list[Replacement]) -> bytes | None:
    """The file `made` (CSV or JSON, as the last build made it) with some entries' rows replaced;
    None when an old row is not found exactly once (the file must then be made whole).

    Every row starts a line: a CSV row follows the CRLF ending the row before it (or the header),
    a JSON object is one line. An entry's old row, its id first, is found once in a file the last
    build made; "exactly once" also refuses a file whose fields happen to hold a copy of a row."""
    kind = 0 if template == CSV else 1
    start = b"\r\n" if template == CSV else b"\n"
    cuts = []
    for old, new in replaced:
        anchor = start + old[kind]
        at = made.find(anchor)
        if at < 0 or made.find(anchor, at + 1) >= 0:
            return None
        cuts.append((at + len(start), at + len(anchor), new[kind]))
    whole = memoryview(made)  # slices of it are not copies: the file can be 100 MB
    pieces: list[bytes | memoryview] = []
    done = 0
    for begin, end, row in sorted(cuts):
        if begin < done:  # two anchors overlap: not rows of a file this module made
            return None
        pieces += [whole[done:begin], row]
        done = end
    pieces.append(whole[done:])
    return b"".join(pieces)
