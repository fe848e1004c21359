"""The preview's paste page: an article pasted (or a saved page uploaded) becomes the entry
`digest ingest` would write, shown with its review flags next to editable fields, and saved into
content/ once the editor has corrected it.

It runs ingest's own steps, not copies: `source.decode` and `pipeline.ingest` read the article,
`compose.finish` validates the corrected entry as the build does, `Existing` finds an entry with
the same source address, and `under_free_name` writes without ever replacing a file. The page is
part of the preview server only, never of the built site.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from digest import urls
from digest.content.writer import under_free_name
from digest.errors import DigestError
from digest.ingest import data, pipeline, source
from digest.ingest.compose import Draft, finish, with_id
from digest.ingest.hints import Hints, address, published
from digest.ingest.write import Existing
from digest.output.atomic import write_text
from digest.reference.refdata import RefData, load
from digest.serve import entry_form, forms
from digest.serve.entry_form import LABELS, EntryFields, field_of
from digest.serve.forms import Form, Guard
from digest.site.markup import BodyError, convert

if TYPE_CHECKING:  # devserver imports this module to route the page's requests
    from digest.serve.devserver import Preview

PATH = "/_tambah/"
READ_PATH = PATH + "baca"
SAVE_PATH = PATH + "simpan"
MAX_POST = 2 * source.MAX_BYTES  # a pasted text and an upload, each within ingest's limit, and the fields
REBUILD_WAIT = 30.0  # seconds the saved page waits for the preview to show the new entry
FORBIDDEN = ("Ditolak: kirim formulir hanya dari halaman Tambah artikel pratinjau ini (" + PATH + "); muat ulang "
             "halaman itu lalu coba lagi.")
PASTED = "teks yang ditempel"  # the pasted text's name in ingest's messages
HTML = ("Content-Type", "text/html; charset=utf-8")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = (HTML,)
    close: bool = False  # the body may not have been read: end the connection


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class OptionGroup:
    label: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Choices:
    """The reference data the form's lists offer."""

    provinces: tuple[str, ...]
    regencies: tuple[OptionGroup, ...]  # by province
    elections: tuple[Option, ...]
    stages: tuple[Option, ...]
    topics: tuple[str, ...]
    ranks: tuple[str, ...]

    @classmethod
    def of(cls, ref: RefData) -> Choices:
        return cls(provinces=tuple(p.name for p in ref.provinces),
                   regencies=tuple(OptionGroup(p.name, tuple(r.name for r in ref.regencies_of(p)))
                                   for p in ref.provinces),
                   elections=tuple(Option(e.slug, e.label) for e in ref.elections.values()),
                   stages=tuple(Option(s.slug, s.label) for s in ref.stages.values()),
                   topics=tuple(data.read("topics")), ranks=tuple(sorted(set(data.read("ranks")["ranks"].values()))))


@dataclass
class Start:
    """The first form: the article and what the editor knows of it, with what went wrong."""

    text: str = ""
    url: str = ""
    published: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    refused: str = ""  # ingest's reason for refusing the article


def _plain(status: int, message: str) -> Response:
    """A refusal as one line of text (no page: the request did not come from one)."""
    return Response(status, f"{message}\n".encode(), (("Content-Type", "text/plain; charset=utf-8"),), close=True)


def _length(headers: Message) -> int | None:
    try:
        return int(headers.get("Content-Length", ""))
    except ValueError:
        return None


class Desk:
    """The paste page of one preview server: its token, and the steps read -> correct -> save."""

    def __init__(self, preview: Preview, port: int):
        self.preview = preview  # the content folder, the preview's output and its build state
        self.guard = Guard(port, PATH)
        self.ref = load()
        self.choices = Choices.of(self.ref)
        self.lock = threading.Lock()  # one save at a time: the duplicate check and the write go together
        self.env = jinja2.Environment(loader=jinja2.PackageLoader("digest.serve", "templates"), autoescape=True,
                                      trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)

    def page(self, name: str, status: int = 200, **context: Any) -> Response:
        body = self.env.get_template(name).render(token=self.guard.token, labels=LABELS, field_of=field_of,
                                                  start_path=PATH, read_path=READ_PATH, save_path=SAVE_PATH, urls=urls,
                                                  **context)
        return Response(status, body.encode(), (HTML, ("Set-Cookie", self.guard.cookie())))

    def post(self, path: str, headers: Message, read: Callable[[int], bytes]) -> Response:
        """A form post: from this server's own page (Origin, cookie and hidden token), of a size
        ingest takes, to one of the page's steps; 403, 411, 413 or 400 otherwise."""
        length = _length(headers)
        refusal = self._refusal(path, headers, length)
        if refusal or length is None:
            return refusal or _plain(HTTPStatus.LENGTH_REQUIRED, "Panjang kiriman (Content-Length) tidak disebut.")
        try:
            form = forms.parse(headers.get("Content-Type", ""), read(length))
        except forms.BadForm:
            return _plain(HTTPStatus.BAD_REQUEST, "Formulir tidak bisa dibaca: kirim ulang dari halamannya.")
        if not self.guard.token_ok(form):
            return _plain(HTTPStatus.FORBIDDEN, FORBIDDEN)
        return self.read(form) if path == READ_PATH else self.save(form)

    def _refusal(self, path: str, headers: Message, length: int | None) -> Response | None:
        """Why a post is refused before its body is read, or None."""
        if path not in (READ_PATH, SAVE_PATH):
            return _plain(HTTPStatus.NOT_FOUND, "Tidak ada formulir di alamat ini.")
        if not self.guard.origin_ok(headers.get("Origin"), headers.get("Cookie")):
            return _plain(HTTPStatus.FORBIDDEN, FORBIDDEN)
        if length is not None and not 0 <= length <= MAX_POST:
            return _plain(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                          f"Kiriman terlalu besar: paling banyak {MAX_POST // 1048576} MB "
                          f"(teks atau berkas masing-masing {source.MAX_BYTES // 1048576} MB).")
        return None

    def start(self) -> Response:
        return self.page("paste_start.html", start=Start())

    def read(self, form: Form) -> Response:
        """Ingest the pasted text or uploaded page; show the entry and its flags, or why not."""
        start = Start(form.get("text"), form.get("url"), form.get("published"))
        upload = form.files.get("file")
        if not start.text and upload is None:
            start.errors["text"] = "Tempel teks artikel, atau pilih berkas halaman yang disimpan."
        try:
            url = address(start.url) if start.url else ""
        except ValueError:
            start.errors["url"] = "Tulis alamat lengkap yang diawali http:// atau https://."
        try:
            when = published(start.published) if start.published else None
        except ValueError:
            start.errors["published"] = "Bukan tanggal: tulis TTTT-BB-HH, misalnya 2024-02-14."
        if start.errors:
            return self.page("paste_start.html", 400, start=start)
        try:
            item = (source.decode(upload.filename or "berkas", upload.data,
                                  saved_page=upload.filename.lower().endswith((".html", ".htm")))
                    if upload else source.decode(PASTED, start.text.encode("utf-8")))
            draft = pipeline.ingest(item, Hints(published=when, url=url), ref=self.ref)
        except DigestError as exc:
            start.refused = "; ".join(p.message for p in exc.problems)
            return self.page("paste_start.html", 422, start=start)
        return self.edit(entry_form.from_draft(draft), front=draft.front)

    def edit(self, fields: EntryFields, status: int = 200, *, front: str = "",
             problems: list[str] | None = None) -> Response:
        """The entry's form; `front` is the front matter ingest would write (shown after reading)."""
        existing = self._existing().urls.get(fields.url) if fields.url else None
        return self.page("paste_edit.html", status, fields=fields, choices=self.choices,
                         rows=entry_form.with_blank_rows(fields), front=front, problems=problems or [],
                         same_url=str(existing) if existing else "")

    def save(self, form: Form) -> Response:
        """Validate the corrected entry as ingest does and write it under a free name."""
        fields = entry_form.from_form(form)
        meta, fields.errors = entry_form.to_meta(fields, self.ref)
        if fields.errors:
            return self.edit(fields, 400)
        try:
            draft = finish(PASTED, meta, fields.body, entry_form.open_flags(fields), self.ref)
        except DigestError as exc:
            return self.edit(fields, 400, problems=[p.message for p in exc.problems])
        try:
            convert(draft.body)  # as the build converts it: `finish` checked the schema, not the Markdown
        except BodyError as exc:
            fields.errors["body"] = f"Isi tidak bisa diubah menjadi halaman: {exc}"
            return self.edit(fields, 400)
        with self.lock:
            existing = self._existing()
            if draft.source_url in existing.urls:
                fields.errors["url"] = f"Artikel dengan alamat ini sudah ada: {existing.urls[draft.source_url]}."
                return self.edit(fields, 409)
            seen = self.preview.state.version
            path = under_free_name(self.preview.config.content, draft.id, lambda name: with_id(draft, name).text,
                                   write_text, taken=existing.ids)
        saved = with_id(draft, path.stem)
        shown = self._wait_for_page(saved, seen)
        return self.page("paste_saved.html", path=str(path), draft=saved, shown=shown,
                         problems=[str(p) for p in self.preview.state.problems])

    def _existing(self) -> Existing:
        return Existing.scan(self.preview.config.content, self.ref)

    def _wait_for_page(self, draft: Draft, seen: int) -> bool:
        """Wait for the rebuild that shows the new entry; True once its page is in the preview
        (an incomplete draft has none: only the next rebuild is waited for)."""
        page = Path(self.preview.config.output) / urls.entry(draft.id).lstrip("/") / "index.html"
        deadline = time.monotonic() + REBUILD_WAIT
        while (left := deadline - time.monotonic()) > 0:
            version = self.preview.state.next_version(seen, timeout=left)
            if version == seen:
                break
            seen = version
            if page.is_file() or draft.missing or self.preview.state.problems:
                break
        return page.is_file()
