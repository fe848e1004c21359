"""The paste page's entry form: an ingested draft as form fields, and the posted fields back
into front matter, with every mistake named next to its field in Indonesian.

The form reads what an editor typed (a date, a number, a province from a list) and says in the
editor's language what is wrong with it. It is not the gate: the entry it gives is composed and
validated by ingest's `compose.finish`, the schema the build and `digest check` use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from digest.content.ids import entry_id
from digest.content.schema import REVIEWABLE, UNSAFE_TEXT, limits
from digest.ingest import hints
from digest.ingest.compose import Draft, published_value, today
from digest.reference.refdata import Province, RefData, Regency
from digest.serve.forms import Form
from digest.site.markup import MAX_BODY_CHARS

BLANK_OFFICIALS = 2  # empty rows under the officials found, to add the ones ingest missed

# The form field each review flag is about (a flag on `figures` or `source` as a whole points at its first field).
FLAG_FIELD = {"figures.personnel": "personnel", "figures.budget_idr": "budget_idr", "figures": "personnel",
              "source.url": "url", "source.outlet": "outlet", "source.author": "author", "source": "url"}

LABELS = {
    "id": "ID entri", "title": "Judul", "date": "Tanggal kejadian", "published": "Tanggal terbit",
    "dateline": "Tempat (dateline)", "province": "Provinsi", "regency": "Kabupaten/kota", "election": "Pemilihan",
    "stage": "Tahapan", "topics": "Topik", "agencies": "Lembaga", "officials": "Pejabat",
    "personnel": "Jumlah personel", "budget_idr": "Anggaran (rupiah)", "url": "Alamat artikel (URL)",
    "outlet": "Media", "author": "Penulis", "summary": "Ringkasan", "body": "Isi berita",
}

TEXT_FIELDS = ("title", "dateline", "outlet", "author", "summary", "body")
REQUIRED_UNLESS_DRAFT = ("date", "province", "election", "stage")


@dataclass(frozen=True)
class OfficialRow:
    rank: str = ""
    name: str = ""
    role: str = ""


@dataclass
class EntryFields:
    """The entry as the form shows it: every value as the editor sees and types it."""

    title: str = ""
    date: str = ""
    published: str = ""
    dateline: str = ""
    province: str = ""
    regency: str = ""
    election: list[str] = field(default_factory=list)
    stage: str = ""
    topics: list[str] = field(default_factory=list)
    agencies: str = ""  # one per line
    officials: list[OfficialRow] = field(default_factory=list)
    personnel: str = ""
    budget_idr: str = ""
    url: str = ""
    outlet: str = ""
    author: str = ""
    summary: str = ""
    body: str = ""
    draft: bool = False
    flags: dict[str, str] = field(default_factory=dict)  # review field -> ingest's reason
    checked: list[str] = field(default_factory=list)  # flags the editor has checked
    errors: dict[str, str] = field(default_factory=dict)  # form field -> what is wrong, in Indonesian

    def flag_on(self, name: str) -> str:
        """The reason a form field is flagged, or ""."""
        return "; ".join(reason for key, reason in self.flags.items() if field_of(key) == name)


def field_of(flag: str) -> str:
    """The form field a review flag is about."""
    return FLAG_FIELD.get(flag, flag)


def from_draft(draft: Draft) -> EntryFields:
    """The form filled with what `digest ingest` would write."""
    meta = draft.meta
    source = meta.get("source") or {}
    figures = meta.get("figures") or {}
    election = meta.get("election") or []
    return EntryFields(
        title=meta.get("title") or "", date=_text(meta.get("date")), published=_text(meta.get("published")),
        dateline=meta.get("dateline") or "", province=meta.get("province") or "", regency=meta.get("regency") or "",
        election=[election] if isinstance(election, str) else list(election), stage=meta.get("stage") or "",
        topics=list(meta.get("topics") or []), agencies="\n".join(meta.get("agencies") or []),
        officials=[OfficialRow(o.get("rank", ""), o.get("name", ""), o.get("role", ""))
                   for o in meta.get("officials") or []],
        personnel=_text(figures.get("personnel")), budget_idr=_text(figures.get("budget_idr")),
        url=source.get("url", ""), outlet=source.get("outlet", ""), author=source.get("author", ""),
        summary=meta.get("summary") or "", body=draft.body, draft=bool(meta.get("draft")),
        flags={f: draft.reasons.get(f, "") for f in meta.get("review") or []})


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def from_form(form: Form) -> EntryFields:
    """The fields as posted (unchecked: `to_meta` reads them)."""
    rows = zip(form.all("official_rank"), form.all("official_name"), form.all("official_role"), strict=False)
    flags = form.all("flag")
    reasons = form.all("reason")
    return EntryFields(
        title=form.get("title"), date=form.get("date"), published=form.get("published"),
        dateline=form.get("dateline"), province=form.get("province"), regency=form.get("regency"),
        election=form.all("election"), stage=form.get("stage"), topics=form.all("topics"),
        agencies=form.get("agencies"), personnel=form.get("personnel"), budget_idr=form.get("budget_idr"),
        url=form.get("url"), outlet=form.get("outlet"), author=form.get("author"), summary=form.get("summary"),
        body=form.get("body"),
        officials=[OfficialRow(*(cell.strip() for cell in row)) for row in rows if any(c.strip() for c in row)],
        draft=bool(form.get("draft")), checked=form.all("checked"),
        flags={key: reason for key, reason in zip(flags, reasons, strict=False) if key in REVIEWABLE})


def with_blank_rows(fields: EntryFields) -> list[OfficialRow]:
    """The officials' rows the form shows: the ones found, then empty ones to add more."""
    return [*fields.officials, *[OfficialRow()] * BLANK_OFFICIALS]


@dataclass
class _Reader:
    """Reads the fields into front matter, noting each mistake against its field."""

    fields: EntryFields
    ref: RefData
    errors: dict[str, str] = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def day(self, name: str, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            day = hints.event_date(text)
        except ValueError:
            self.fail(name, f"'{text}' bukan tanggal: tulis TTTT-BB-HH, misalnya 2024-02-14.")
            return None
        earliest, latest = limits()["dates"]["earliest"], limits()["dates"]["latest"]
        if not earliest <= day <= latest:
            self.fail(name, f"Tanggal di luar rentang yang masuk akal ({earliest} sampai {latest}).")
            return None
        return day

    def published(self, text: str) -> Any:
        if not text:
            return None
        try:
            return published_value(hints.published(text))
        except ValueError:
            self.fail("published", f"'{text}' bukan tanggal: tulis TTTT-BB-HH atau TTTT-BB-HHTJJ:MM.")
            return None

    def province(self, text: str) -> Province | None:
        found = self.ref.province(text) if text else None
        if text and found is None:
            self.fail("province", f"Provinsi '{text}' tidak dikenal: pilih dari daftar.")
        return found

    def regency(self, text: str, province: Province | None) -> Regency | None:
        if not text:
            return None
        if province is None:
            self.fail("regency", "Pilih provinsinya dulu.")
            return None
        found = self.ref.regency(text, province)
        if len(found) == 1:
            return found[0]
        if found:
            self.fail("regency", f"'{text}' bisa {' atau '.join(r.name for r in found)}: pilih salah satu.")
        elif elsewhere := self.ref.regency_anywhere(text):
            where = ", ".join(sorted({self.ref.province_by_code[r.province_code].name for r in elsewhere}))
            self.fail("regency", f"{text} tidak terletak di {province.name}, melainkan di {where}.")
        else:
            self.fail("regency", f"Kabupaten/kota '{text}' tidak dikenal di {province.name}.")
        return None

    def count(self, name: str, text: str) -> int | None:
        if not text:
            return None
        if not text.isascii() or not text.isdigit():
            self.fail(name, "Tulis bilangan bulat tanpa pemisah (4174, bukan 4.174).")
            return None
        largest = limits()["figures"][name]
        if int(text) > largest:
            self.fail(name, f"Lebih besar dari angka nyata mana pun (paling banyak {largest:,}): periksa digitnya."
                      .replace(",", "."))
            return None
        return int(text)

    def url(self, text: str) -> str:
        try:
            return hints.address(text) if text else ""
        except ValueError:
            self.fail("url", "Tulis alamat lengkap yang diawali http:// atau https://.")
            return ""

    def clean_text(self) -> None:
        """Characters no entry may hold (feeds cannot carry them), in any text field."""
        texts = {name: getattr(self.fields, name) for name in TEXT_FIELDS}
        texts["agencies"] = self.fields.agencies
        texts["topics"] = " ".join(self.fields.topics)
        texts["officials"] = " ".join(f"{o.rank} {o.name} {o.role}" for o in self.fields.officials)
        for name, text in texts.items():
            if found := UNSAFE_TEXT.search(text):
                self.fail(name, f"Berisi karakter kendali U+{ord(found.group()):04X} pada posisi "
                                f"{found.start() + 1}: hapus.")


def to_meta(fields: EntryFields, ref: RefData) -> tuple[dict[str, Any], dict[str, str]]:
    """(front matter, errors by form field): the entry as `digest ingest` composes it, to be
    finished and validated by `compose.finish`."""
    r = _Reader(fields, ref)
    r.clean_text()
    if not fields.title:
        r.fail("title", "Judul wajib diisi.")
    day = r.day("date", fields.date)
    published = r.published(fields.published)
    province = r.province(fields.province)
    regency = r.regency(fields.regency, province)
    elections = [e for e in fields.election if e in ref.elections]
    if len(elections) != len(fields.election):
        r.fail("election", "Pilih pemilihan dari daftar.")
    if fields.stage and fields.stage not in ref.stages:
        r.fail("stage", f"Tahapan '{fields.stage}' tidak dikenal: pilih dari daftar.")
    if any(not o.name for o in fields.officials):
        r.fail("officials", "Setiap pejabat perlu nama (atau kosongkan seluruh barisnya).")
    if len(fields.body) > MAX_BODY_CHARS:
        r.fail("body", f"Isi terlalu panjang: paling banyak {MAX_BODY_CHARS:,} karakter.".replace(",", "."))
    figures = {"personnel": r.count("personnel", fields.personnel),
               "budget_idr": r.count("budget_idr", fields.budget_idr)}
    source = {"outlet": fields.outlet, "url": r.url(fields.url), "author": fields.author}
    settled = {"date": day, "province": province, "election": elections, "stage": fields.stage}
    if not fields.draft:
        for name in REQUIRED_UNLESS_DRAFT:
            if not settled[name] and name not in r.errors:
                r.fail(name, "Wajib diisi, kecuali entri disimpan sebagai draf.")
    day_of_id = day or (dt.date.fromisoformat(str(published)[:10]) if published else None)
    meta: dict[str, Any] = {
        "id": entry_id(day_of_id, fields.title), "title": fields.title, "date": day, "published": published,
        "added": today(), "dateline": fields.dateline, "province": province.name if province else None,
        "regency": regency.name if regency else None,
        "election": elections[0] if len(elections) == 1 else elections or None, "stage": fields.stage or None,
        "topics": fields.topics, "agencies": [a.strip() for a in fields.agencies.splitlines() if a.strip()],
        "officials": [{k: v for k, v in (("name", o.name), ("rank", o.rank), ("role", o.role)) if v}
                      for o in fields.officials],
        "figures": {k: v for k, v in figures.items() if v is not None},
        "source": {k: v for k, v in source.items() if v}, "summary": fields.summary,
    }
    if fields.draft:
        meta["draft"] = True
    return meta, r.errors


def open_flags(fields: EntryFields) -> dict[str, str]:
    """The review flags the editor has not checked yet: they stay in `review`."""
    return {key: reason for key, reason in fields.flags.items() if key not in fields.checked}
