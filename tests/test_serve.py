"""`digest serve` over real HTTP: pages served, edits reload within 2 s, broken edits shown and recovered."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen
from urllib.error import HTTPError

import lxml.html
import pytest

from tests.conftest import ROOT
from tests.corpus import edit_entry


class Events:
    """A client of the reload channel (server-sent events) on a plain socket."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
        self.sock.sendall(f"GET /__digest/events HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
        self.lines = self.sock.makefile("rb")
        headers = []
        while (line := self.lines.readline().strip()):
            headers.append(line.decode())
        assert "Content-Type: text/event-stream" in headers

    def next(self, within: float) -> str:
        """The next build version announced, failing if none comes in time."""
        deadline = time.monotonic() + within
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                line = self.lines.readline().decode().strip()
            except TimeoutError:
                break
            if line.startswith("data: "):
                return line[6:]
        raise AssertionError("no reload event in time")


def get(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture
def server(project: Path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "digest", "serve", "--port", "0"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert "http://127.0.0.1:" in line, proc.stderr.read()
    base = line.split()[1]
    yield base, project, proc
    proc.terminate()
    proc.wait(timeout=10)


def test_serves_pages_with_drafts_shown_and_reload_script(server):
    base, project, _ = server
    entry = sorted((project / "content").glob("*.md"))[0]
    edit_entry(entry, draft=True)
    events = Events(base)
    events.next(2)
    events.next(3)  # the rebuild after marking the draft
    status, body = get(base + f"berita/{entry.stem}/")
    assert status == 200
    doc = lxml.html.fromstring(body)
    assert "DRAF" in doc.cssselect(".banner.draft")[0].text_content()
    assert any("/__digest/events" in (s.text or "") for s in doc.cssselect("script"))
    assert not (project / "site").exists()  # drafts never land in the published output
    assert (project / ".digest-preview" / "index.html").is_file()
    # Saves stay quick: the preview skips the search index (digest serve --search builds it).
    assert not (project / ".digest-preview" / "pagefind").exists()
    assert not lxml.html.fromstring(get(base)[1]).xpath("//a[contains(@href, '/cari/')]")


def test_edit_fires_reload_and_changes_the_page_within_two_seconds(server):
    base, project, _ = server
    entry = sorted((project / "content").glob("*.md"))[1]
    events = Events(base)
    first = events.next(2)
    edit_entry(entry, title="Judul diperbarui saat pratinjau")
    start = time.monotonic()
    assert events.next(2) != first
    _, body = get(base + f"berita/{entry.stem}/")
    assert time.monotonic() - start < 2
    assert lxml.html.fromstring(body).cssselect("h1")[0].text_content() == "Judul diperbarui saat pratinjau"


def test_broken_edit_is_shown_in_the_page_and_recovered(server):
    base, project, proc = server
    entry = sorted((project / "content").glob("*.md"))[2]
    good = entry.read_text(encoding="utf-8")
    events = Events(base)
    events.next(2)
    entry.write_text(good.replace("stage: persiapan", "stage: kampnye"), encoding="utf-8")
    events.next(2)
    status, body = get(base)
    assert status == 500
    errors = [li.text_content() for li in lxml.html.fromstring(body).cssselect("ul.build-errors li")]
    assert any(e.startswith(f"content/{entry.name}:") and "did you mean 'kampanye'" in e for e in errors)
    assert proc.poll() is None  # still running
    entry.write_text(good, encoding="utf-8")
    events.next(2)
    status, body = get(base + f"berita/{entry.stem}/")
    assert status == 200 and lxml.html.fromstring(body).cssselect("h1")
