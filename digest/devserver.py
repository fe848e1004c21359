"""The editors' preview: build, serve on loopback, rebuild on save, reload open pages.

The reload script is injected into HTML responses by the server, never written to disk, so a
preview build can not leak it into a published site. While the last build is broken, every page
request gets the error list instead, and the next good save reloads the page back to normal.
"""

from __future__ import annotations

import html
import os
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from digest.build import build
from digest.config import Config
from digest.errors import DigestError, Problem

EVENTS_PATH = "/__digest/events"
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


def tree_signature(paths: list[Path]) -> tuple:
    """Cheap fingerprint of files under `paths` (names, sizes, mtimes): polling beats a dependency."""
    items = []
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
        start = time.perf_counter()
        try:
            self.config = replace(self.load_config(), output=self.config.output, base_url=self.config.base_url)
            report = build(self.config, drafts=True, future=True, preview=True, config_path=self.config_path)
        except DigestError as exc:
            for problem in exc.problems:
                self.log(str(problem))
            self.log(f"build failed: {len(exc.problems)} problem(s); showing them in the browser")
            self.state.publish(exc.problems)
            return
        self.log(f"rebuilt {report.entries} entries in {time.perf_counter() - start:.2f} s")
        self.state.publish([])

    def watch(self, interval: float = 0.25) -> None:
        """Poll the sources; rebuild once they change (a save often touches a file twice)."""
        last = tree_signature(self.watched())
        while True:
            time.sleep(interval)
            now = tree_signature(self.watched())
            if now != last:
                time.sleep(0.05)
                last = tree_signature(self.watched())
                self.rebuild()


def _with_reload(page: bytes) -> bytes:
    """A built page with the reload script before its </body> (served only, never written)."""
    return page.replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)


def error_page(problems: list[Problem]) -> bytes:
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Build gagal</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body style="font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24">'
            f'<h1 style="color:#a11">Build gagal</h1><p>Perbaiki berkas berikut; halaman dimuat ulang '
            f'otomatis setelah disimpan. <span lang="en">(Build failed.)</span></p>'
            f'<ul class="build-errors">{items}</ul>{RELOAD_SCRIPT}</body></html>').encode()


def make_handler(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.config.output), **kwargs)

        def log_message(self, format: str, *args) -> None:  # requests are noise for editors
            pass

        def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.split("?")[0] == EVENTS_PATH:
                return self._events()
            wants_page = self.path.split("?")[0].endswith(("/", ".html"))
            if wants_page and preview.state.problems:
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(preview.state.problems))
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return self._send(HTTPStatus.OK, _with_reload(target.read_bytes()))
            if wants_page and (Path(preview.config.output) / "404.html").is_file():
                missing = (Path(preview.config.output) / "404.html").read_bytes()
                return self._send(HTTPStatus.NOT_FOUND, _with_reload(missing))
            return super().do_GET()

        def _events(self) -> None:
            """Server-sent events: the build version now, then after every rebuild."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = preview.state
            seen = None
            try:
                while True:
                    with state.changed:
                        state.changed.wait_for(lambda: state.version != seen, timeout=15)
                        version = state.version
                    if version != seen:
                        self.wfile.write(f"data: {version}\n\n".encode())
                        seen = version
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(preview: Preview, port: int) -> None:
    """Build once, then serve and watch until interrupted."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(preview))
    server.daemon_threads = True
    actual = server.server_address[1]
    preview.config = replace(preview.config, base_url=f"http://127.0.0.1:{actual}/")
    preview.rebuild()
    threading.Thread(target=preview.watch, daemon=True).start()
    print(f"Pratinjau: http://127.0.0.1:{actual}/  (Ctrl+C untuk berhenti)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


def stderr_log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
