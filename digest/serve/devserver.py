"""The editors' preview: build, serve on loopback, rebuild on save, reload open pages.

The reload script is injected into HTML responses by the server, never written to disk, so a
preview build can not leak it into a published site. While the last build is broken, for any
reason (invalid content, a full disk, a bug), every page request gets the error list instead,
the watcher keeps polling, and the next good save reloads the page back to normal.

The server answers only requests addressed to it by its loopback name and port: a web page on
another site whose name an attacker points at 127.0.0.1 (DNS rebinding) sends its own name as
Host and gets 403, so it cannot read drafts. A path that is not clean UTF-8 text gets 400.
"""

from __future__ import annotations

import html
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from digest import urls
from digest.build import build
from digest.config import Config
from digest.errors import DigestError, Problem, failure
from digest.serve import paste
from digest.serve.paste import Response

EVENTS_PATH = "/__digest/events"
MAX_PATH = 4096  # bytes of a request path; longer ones are refused (400)
RELOAD_SCRIPT = (
    '<script>(function(){var v=null,s=new EventSource("' + EVENTS_PATH + '");'
    's.onmessage=function(e){if(v===null){v=e.data}else if(v!==e.data){location.reload()}}})();</script>'
)


@dataclass
class PreviewState:
    """What the last build gave; `version` changes after every build, good or bad."""

    version: int = 0
    problems: list[Problem] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, problems: list[Problem]) -> None:
        with self.changed:
            self.version += 1
            self.problems = problems
            self.changed.notify_all()

    def next_version(self, seen: int | None, timeout: float) -> int:
        """The version once it differs from `seen`, or the current one after `timeout` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version


Signature = tuple[tuple[str, int, int], ...]


def tree_signature(paths: list[Path]) -> Signature:
    """Cheap fingerprint of files under `paths` (names, sizes, mtimes): polling beats a dependency."""
    items: list[tuple[str, int, int]] = []
    for root in paths:
        if root.is_file():
            st = root.stat()
            items.append((str(root), st.st_size, st.st_mtime_ns))
            continue
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except FileNotFoundError:
                    continue
                items.append((os.path.join(dirpath, name), st.st_size, st.st_mtime_ns))
    return tuple(sorted(items))


class Preview:
    """Owns the config, the build loop and the state the HTTP handlers read."""

    def __init__(self, config: Config, config_path: Path | None, load_config: Callable[[], Config],
                 log: Callable[[str], None]):
        self.config = config
        self.config_path = config_path
        self.load_config = load_config
        self.log = log
        self.state = PreviewState()

    def watched(self) -> list[Path]:
        paths = [self.config.content, self.config.templates]
        return paths + [self.config_path] if self.config_path and self.config_path.exists() else paths

    def rebuild(self) -> None:
        """Build the preview; any failure is logged and shown in place of every page, never raised."""
        start = time.perf_counter()
        try:
            self.config = replace(self.load_config(), output=self.config.output, base_url=self.config.base_url)
            report = build(self.config, drafts=True, future=True, preview=True, config_path=self.config_path,
                           on_wait=self.log)
        except Exception as exc:
            problems = _problems(exc)
            for problem in problems:
                self.log(str(problem))
            self.log(f"build failed: {len(problems)} problem(s); showing them in the browser")
            self.state.publish(problems)
            return
        for warning in report.warnings:
            self.log(f"warning: {warning}")
        self.log(f"rebuilt {report.entries} entries in {time.perf_counter() - start:.2f} s")
        self.state.publish([])

    def watch(self, last: Signature | str, interval: float = 0.25) -> None:
        """Poll the sources; rebuild once they differ from `last` (taken before the build they
        were last built by, so a save during that build is not missed) and once more whenever they
        change (a save often touches a file twice). Nothing stops the loop: a source folder that
        vanishes or cannot be read counts as a change, and its build reports why."""
        while True:
            time.sleep(interval)
            now = self.signature()
            if now != last:
                time.sleep(0.05)
                last = self.signature()
                self.rebuild()

    def signature(self) -> Signature | str:
        """The sources' signature, or why they cannot be read (which changes it as well)."""
        try:
            return tree_signature(self.watched())
        except (OSError, ValueError) as exc:  # e.g. the config file deleted between two checks
            return f"unreadable: {exc!r}"


def _problems(exc: Exception) -> list[Problem]:
    """What a failed build tells the editor: its problems, or one line for any other failure."""
    if isinstance(exc, DigestError):
        return exc.problems
    if isinstance(exc, OSError):
        return [failure(exc)]
    detail = "".join(c if c.isprintable() else "?" for c in " ".join(str(exc).split()))[:300]  # one safe line
    return [Problem("digest", 0, f"the preview build failed ({type(exc).__name__}: {detail}); save again, and "
                                 "report it if it stays")]


def _with_reload(page: bytes) -> bytes:
    """A built page with the reload script before its </body> (served only, never written)."""
    return page.replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)


def error_page(problems: list[Problem]) -> bytes:
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Build gagal</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body style="font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24">'
            f'<h1 style="color:#a11">Build gagal</h1><p>Perbaiki berkas berikut; halaman dimuat ulang '
            f'otomatis setelah disimpan.</p>'
            f'<ul class="build-errors">{items}</ul>{RELOAD_SCRIPT}</body></html>').encode()


def make_handler(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        server: PreviewServer

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(preview.config.output), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # requests are noise for editors
            pass

        def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
            self._respond(Response(status, body, (("Content-Type", ctype),)))

        def _respond(self, response: Response) -> None:
            body = response.body
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            if response.close:
                self.close_connection = True
                self.send_header("Connection", "close")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _refused(self) -> bool:
            """Answer 403 to a request not addressed to this server by name and port (DNS
            rebinding), 400 to a path that is not clean text; True when it did."""
            port = self.server.port
            hosts = [host.lower() for host in self.headers.get_all("Host", [])]
            if len(hosts) != 1 or hosts[0] not in (f"127.0.0.1:{port}", f"localhost:{port}"):
                self._send(HTTPStatus.FORBIDDEN, b"Host not allowed: open the preview at "
                                                 b"http://127.0.0.1:%d/\n" % port, "text/plain; charset=utf-8")
                return True
            if not _clean_path(self.path):
                self._send(HTTPStatus.BAD_REQUEST, b"Bad request path\n", "text/plain; charset=utf-8")
                return True
            return False

        def do_HEAD(self) -> None:
            if not self._refused():
                self._serve(super().do_HEAD)

        def do_GET(self) -> None:
            if not self._refused():
                self._serve(self._get)

        def do_POST(self) -> None:
            """Only the paste page takes posts (its Desk checks where they come from)."""
            if not self._refused():
                self._respond(self.server.desk.post(self.path.split("?")[0], self.headers, self.rfile.read))

        def _serve(self, respond: Callable[[], None]) -> None:
            """Respond; a path the file system cannot take (too long, say) is a bad request."""
            try:
                respond()
            except (OSError, ValueError):
                self._send(HTTPStatus.BAD_REQUEST, b"Bad request path\n", "text/plain; charset=utf-8")

        def _get(self) -> None:
            path = self.path.split("?")[0]
            if path == EVENTS_PATH:
                return self._events()
            if path == paste.PATH:
                return self._respond(self.server.desk.start())
            wants_page = path.endswith(("/", ".html"))
            if wants_page and preview.state.problems:
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(preview.state.problems))
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                page = target.read_bytes()  # the editor (Decap) is never reloaded under an editor's hands
                return self._send(HTTPStatus.OK, page if path.startswith(urls.ADMIN) else _with_reload(page))
            missing = Path(preview.config.output) / "404.html"
            if wants_page and missing.is_file():
                return self._send(HTTPStatus.NOT_FOUND, _with_reload(missing.read_bytes()))
            return super().do_GET()

        def _events(self) -> None:
            """Server-sent events: the build version now, then after every rebuild."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen: int | None = None
            try:
                while True:
                    version = preview.state.next_version(seen, timeout=15)
                    if version != seen:
                        self.wfile.write(f"data: {version}\n\n".encode())
                        seen = version
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _clean_path(raw: str) -> bool:
    """A request path this server may look up: absolute, ASCII as sent (browsers percent-encode
    the rest), UTF-8 once percent-decoded, without control characters, of a length any real page
    has."""
    if not raw.startswith("/") or not raw.isascii() or len(raw) > MAX_PATH:
        return False
    try:
        path = unquote(urlsplit(raw).path, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return False
    return path.isprintable()


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server, with a backlog for a browser's burst of requests (a page, its styles and
    images, the event stream, several tabs reloading at once) and one-line error reports."""

    request_queue_size = 128
    daemon_threads = True
    desk: paste.Desk  # the paste page, set once the port is known (its token cookie names the port)

    @property
    def port(self) -> int:
        """The port bound: the one asked for, or the one the system chose for port 0."""
        return int(self.socket.getsockname()[1])

    def handle_error(self, request: object, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):  # a client that left is no news
            stderr_log(f"digest serve: request from {client_address[0]} failed: {error!r}")


def serve(preview: Preview, port: int) -> None:
    """Build once, then serve and watch until interrupted."""
    server = PreviewServer(("127.0.0.1", port), make_handler(preview))
    actual = server.port
    preview.config = replace(preview.config, base_url=f"http://127.0.0.1:{actual}/")
    server.desk = paste.Desk(preview, actual)
    sources = preview.signature()  # before the first build: an edit saved during it rebuilds
    preview.rebuild()
    threading.Thread(target=preview.watch, args=(sources,), daemon=True).start()
    print(f"Pratinjau: http://127.0.0.1:{actual}/  (Ctrl+C untuk berhenti)", flush=True)
    print(f"Tambah artikel: http://127.0.0.1:{actual}{paste.PATH}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
