"""Form posts to the preview's own pages: the body parsed (URL-encoded or multipart with an
uploaded file), and the guard every post passes first.

The guard is what keeps another web site out: a page elsewhere can make the editor's browser
post to 127.0.0.1, but it cannot read the per-server token that the paste page puts in a hidden
field and in a SameSite=Strict cookie, and its Origin header names its own site.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

TOKEN_FIELD = "token"


class BadForm(ValueError):
    """A post whose body cannot be read as a form (not UTF-8, a broken multipart body)."""


@dataclass(frozen=True)
class Upload:
    """A file sent with a form: the name the browser gave it and its bytes."""

    filename: str
    data: bytes


@dataclass
class Form:
    """A posted form: every value of each field, in order, and the uploaded files."""

    values: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str) -> str:
        """The field's first value, stripped at the ends ("" when absent)."""
        return (self.values.get(name) or [""])[0].strip()

    def all(self, name: str) -> list[str]:
        return self.values.get(name, [])


def parse(content_type: str, body: bytes) -> Form:
    """The form in a request body; BadForm when it cannot be read."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            text = body.decode("ascii")
            values = parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=1000)
            return Form({name: [_lines(v) for v in vs] for name, vs in values.items()})
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadForm(str(exc)) from None
    if kind == "multipart/form-data":
        return _multipart(content_type, body)
    raise BadForm(f"unexpected content type {kind!r}")


def _multipart(content_type: str, body: bytes) -> Form:
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
                                                  + body)
    if not message.is_multipart() or message.defects:
        raise BadForm("broken multipart body")
    form = Form()
    for part in message.iter_parts():
        name = _disposition(part, "name")
        data = part.get_payload(decode=True)
        if not name or not isinstance(data, bytes):
            raise BadForm("a part without a name")
        filename = _disposition(part, "filename")
        if filename is not None:
            if data or filename:  # an empty file input sends a nameless, empty part
                form.files[name] = Upload(filename, data)
            continue
        try:
            form.values.setdefault(name, []).append(_lines(data.decode("utf-8")))
        except UnicodeDecodeError:
            raise BadForm(f"field {name!r} is not UTF-8") from None
    return form


def _lines(text: str) -> str:
    """A value with the line ends browsers send from a textarea (CRLF) as the content files use them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _disposition(part: Message, param: str) -> str | None:
    value = part.get_param(param, header="content-disposition")
    return value if isinstance(value, str) or value is None else str(value[2])


class Guard:
    """The per-server token and the check of every post against it and the Origin header."""

    def __init__(self, port: int, path: str):
        self.token = secrets.token_urlsafe(32)
        self.cookie_name = f"digest_token_{port}"  # cookies ignore ports: one name per server
        self.path = path
        self.origins = (f"http://127.0.0.1:{port}", f"http://localhost:{port}")

    def cookie(self) -> str:
        """The Set-Cookie value: sent back only by pages of this server, never by another site's."""
        return f"{self.cookie_name}={self.token}; Path={self.path}; SameSite=Strict; HttpOnly"

    def origin_ok(self, origin: str | None, cookie_header: str | None) -> bool:
        """The post comes from this server's own page: its Origin, and the token's cookie."""
        if origin not in self.origins:
            return False
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(cookie_header or "")
        except CookieError:
            return False
        morsel = jar.get(self.cookie_name)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), self.token.encode())

    def token_ok(self, form: Form) -> bool:
        """The hidden field carries this server's token."""
        sent = form.all(TOKEN_FIELD)
        return len(sent) == 1 and hmac.compare_digest(sent[0].encode(), self.token.encode())
