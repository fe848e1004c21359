"""`digest serve` over real HTTP: pages served, edits reload within 2 s, broken edits (and any failed
rebuild) shown and recovered, other hosts and malformed paths refused, bursts answered."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import urlopen

import lxml.html
import pytest

from digest import urls
from tests.conftest import ROOT
from tests.corpus import edit_entry
from tests.sitetools import relative


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
    events = Events(base)
    events.next(2)
    edit_entry(entry, draft=True)
    events.next(3)  # the rebuild after marking the draft
    status, body = get(base + relative(urls.entry(entry.stem)))
    assert status == 200
    doc = lxml.html.fromstring(body)
    assert "DRAF" in doc.cssselect(".banner.draft")[0].text_content()
    assert any("/__digest/events" in (s.text or "") for s in doc.cssselect("script"))
    assert not (project / "site").exists()  # drafts never land in the published output
    assert (project / ".digest-preview" / "index.html").is_file()
    # Saves stay quick: the preview skips the search index (digest serve --search builds it).
    assert not (project / ".digest-preview" / "pagefind").exists()
    assert not lxml.html.fromstring(get(base)[1]).xpath("//a[contains(@href, '/cari/')]")


# `digest serve` whose first build, once done, waits for the file named by argv[1] (and says so
# by creating argv[2]): the test saves an edit in that moment, after the build read its sources.
HELD_FIRST_BUILD = """
import pathlib, sys, time
from digest.serve import devserver
real = devserver.Preview.rebuild
def held(self):
    real(self)
    devserver.Preview.rebuild = real
    pathlib.Path(sys.argv[2]).touch()
    while not pathlib.Path(sys.argv[1]).exists():
        time.sleep(0.02)
devserver.Preview.rebuild = held
from digest import cli
sys.exit(cli.main(["serve", "--port", "0"]))
"""


def test_an_edit_saved_during_the_first_build_is_built_when_it_ends(project):
    """On a large site the first build takes minutes: an editor who saves meanwhile sees the
    save built once it ends, not only after saving again."""
    go, built = project / "go", project / "built"
    proc = subprocess.Popen([sys.executable, "-c", HELD_FIRST_BUILD, str(go), str(built)], cwd=project,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not built.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.terminate()
                pytest.fail(f"the first build did not end: {proc.communicate(timeout=10)[1]}")
            time.sleep(0.02)
        entry = sorted((project / "content").glob("*.md"))[2]
        edit_entry(entry, draft=True)
        go.touch()
        base = proc.stdout.readline().split()[1]
        events = Events(base)
        events.next(2)
        events.next(3)  # the save built after the first build
        doc = lxml.html.fromstring(get(base + relative(urls.entry(entry.stem)))[1])
        assert doc.cssselect(".banner.draft")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_edit_fires_reload_and_changes_the_page_within_two_seconds(server):
    base, project, _ = server
    entry = sorted((project / "content").glob("*.md"))[1]
    events = Events(base)
    first = events.next(2)
    edit_entry(entry, title="Judul diperbarui saat pratinjau")
    start = time.monotonic()
    assert events.next(2) != first
    _, body = get(base + relative(urls.entry(entry.stem)))
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
    status, body = get(base + relative(urls.entry(entry.stem)))
    assert status == 200 and lxml.html.fromstring(body).cssselect("h1")


def raw_status(base: str, target: str, host: str | None = None) -> tuple[int, bytes]:
    """Send one GET for `target` exactly as given (no client-side cleaning), with this Host."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host or parts.netloc}\r\nConnection: close\r\n\r\n"
                     .encode("utf-8", "surrogateescape"))
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1]), reply.partition(b"\r\n\r\n")[2]


def test_requests_for_another_host_are_refused(server):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 sends its own Host."""
    base, _, _ = server
    port = urlsplit(base).port
    assert raw_status(base, "/")[0] == 200
    assert raw_status(base, "/", host=f"localhost:{port}")[0] == 200
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{port + 1}", f"127.0.0.1.evil.example:{port}"):
        status, body = raw_status(base, "/", host=host)
        assert status == 403, host
        assert b"<html" not in body and b"DRAF" not in body
    assert raw_status(base, "/__digest/events", host="evil.example")[0] == 403
    assert raw_status(base, "/", host=f"{urlsplit(base).netloc}\r\nHost: evil.example")[0] == 403  # two Hosts


@pytest.mark.parametrize("target", ["/%00", "/berita/%ff%fe/", "/a%0d%0aSet-Cookie:x", "/" + "panjang/" * 700,
                                    "/berita/\udcff/", "*"])
def test_malformed_paths_get_400_and_no_traceback(server, target):
    base, _, proc = server
    assert raw_status(base, target)[0] == 400
    assert raw_status(base, "/")[0] == 200  # and the server carries on
    proc.terminate()
    assert "Traceback" not in proc.communicate(timeout=10)[1]


def test_a_burst_of_requests_is_answered(server):
    """A browser opening a page (styles, images, the event stream, other tabs reloading) sends
    dozens of connections at once: none waits for a retried connect."""
    base, _, _ = server
    parts = urlsplit(base)
    start = time.monotonic()
    socks = [socket.create_connection((parts.hostname, parts.port), timeout=5) for _ in range(100)]
    assert time.monotonic() - start < 0.9  # the kernel queued them all: a dropped connect is retried after 1 s
    for sock in socks:
        sock.sendall(f"GET /static/style.css HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode())
    statuses = [sock.makefile("rb").readline().split()[1] for sock in socks]
    for sock in socks:
        sock.close()
    assert statuses == [b"200"] * 100


# Any failure of a rebuild, not only invalid content: a bug stood in for by a build that raises
# when an entry says MELEDAK.
FAILING_BUILD = """
import sys
from digest import cli
from digest.serve import devserver
real = devserver.build
def build(config, **options):
    if any("MELEDAK" in p.read_text(encoding="utf-8") for p in config.content.rglob("*.md")):
        raise RuntimeError("boom\\nsecond line")
    return real(config, **options)
devserver.build = build
sys.exit(cli.main(["serve", "--port", "0"]))
"""


def test_any_rebuild_error_is_shown_and_the_next_good_save_recovers(project):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", FAILING_BUILD], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = proc.stdout.readline().split()[1]
        entry = sorted((project / "content").glob("*.md"))[0]
        good = entry.read_text(encoding="utf-8")
        events = Events(base)
        events.next(2)
        entry.write_text(good + "\nMELEDAK\n", encoding="utf-8")
        events.next(3)
        status, body = get(base)
        assert status == 500
        errors = [li.text_content() for li in lxml.html.fromstring(body).cssselect("ul.build-errors li")]
        assert len(errors) == 1 and "RuntimeError: boom second line" in errors[0]
        entry.write_text(good, encoding="utf-8")
        events.next(3)
        status, body = get(base + relative(urls.entry(entry.stem)))
        assert status == 200 and lxml.html.fromstring(body).cssselect("h1")
    finally:
        proc.terminate()
        err = proc.communicate(timeout=10)[1]
    assert "RuntimeError: boom second line" in err and "Traceback" not in err
