"""The browser editor end to end: an editor fills the /admin/ form in headless Chromium, saves the
entry and takes it through Decap's editorial workflow against its local backend (decap-server on
a git repository, as an editor runs it beside `digest serve`); the published file lands in
content/ under the conventional name, passes `digest check --strict`, and `digest build` shows it.

The page loads Decap from unpkg; the test has no internet, so that URL is answered from
tests/e2e/node_modules: the pinned decap-cms bundle itself, whose integrity hash the browser checks.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest import urls
from digest.content.ids import entry_id
from digest.site import cms
from tests.conftest import ROOT
from tests.e2e.conftest import ARTIFACTS
from tests.sitetools import parse, relative, static_server

MODULES = Path(__file__).parent / "node_modules"
BUNDLE = MODULES / "decap-cms" / "dist"  # the pinned all-in-one bundle the page loads
SERVER = MODULES / "decap-server" / "dist" / "index.js"
NODE = shutil.which("node")
LOCAL_BACKEND = "http://localhost:8081/api/v1"  # where Decap looks for decap-server (`local_backend: true`)
SHIPPED = ["2023-10-16-kpu-polres-batu-rakor-pengamanan-pemilu.md"]  # a few real entries beside the new one

pytestmark = pytest.mark.skipif(not NODE or not SERVER.exists() or not BUNDLE.exists(),
                                reason="node, decap-server or decap-cms not installed (npm ci in tests/e2e)")

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def _digest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-m", "digest", *args, cwd=cwd)


def _git(*args: str, cwd: Path) -> str:
    done = _run("git", *args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Project:
    root: Path
    base: str  # where the built site is served
    backend: int  # decap-server's port


@pytest.fixture
def project(tmp_path) -> Iterator[Project]:
    """A digest project in a git repository (decap-server's local backend commits to it), built,
    served, and decap-server running on it."""
    root = tmp_path / "digest-pemilu"
    (root / "content").mkdir(parents=True)
    for name in SHIPPED:
        shutil.copy(ROOT / "content" / name, root / "content" / name)
    settings = (ROOT / "digest.yaml").read_text(encoding="utf-8")  # cms: true, as shipped
    settings = settings.replace("\ntemplates: templates\n", f"\ntemplates: {ROOT / 'templates'}\n")
    (root / "digest.yaml").write_text(settings, encoding="utf-8")
    (root / ".gitignore").write_text("site/\n.site.*/\n.digest-cache/\n", encoding="utf-8")
    _git("init", "-q", "-b", "main", cwd=root)
    _git("config", "user.email", "editor@example.id", cwd=root)
    _git("config", "user.name", "Editor", cwd=root)
    _git("add", ".", cwd=root)
    _git("commit", "-q", "-m", "start", cwd=root)

    with static_server(root / "site") as base:
        built = _digest("build", "--no-search", "--base-url", base, "-q", cwd=root)
        assert built.returncode == 0, built.stderr

        port = _free_port()
        env = {**os.environ, "PORT": str(port), "MODE": "git", "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
        backend = subprocess.Popen([NODE, str(SERVER)], cwd=root, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert backend.poll() is None, backend.stderr.read().decode() if backend.stderr else ""
                    assert time.monotonic() < deadline, "decap-server did not start"
                    time.sleep(0.2)
            yield Project(root, base, port)
        finally:
            backend.terminate()
            backend.wait(timeout=10)


def _offline(context, project: Project) -> None:
    """Answer the page's requests to unpkg and to the default decap-server address locally."""
    script = cms.script()
    folder = script.url.rsplit("/", 1)[0] + "/"

    def unpkg(route) -> None:
        body = (BUNDLE / route.request.url.removeprefix(folder)).read_bytes()
        route.fulfill(status=200, body=body, headers={"content-type": "text/javascript",
                                                      "access-control-allow-origin": "*"})

    def backend(route) -> None:
        answer = route.fetch(url=f"http://127.0.0.1:{project.backend}/api/v1")
        route.fulfill(response=answer)

    context.route(folder + "*", unpkg)
    context.route(LOCAL_BACKEND, backend)


ENTRY = {"title": "Polres Batu Siagakan 350 Personel Amankan TPS di Kota Batu", "date": "2024-11-26",
         "province": "Jawa Timur", "regency": "Kota Batu", "election": "Pilkada Serentak 2024",
         "stage": "Pemungutan & penghitungan di TPS", "outlet": "Contoh Berita",
         "url": "https://contoh.example.id/berita/2024/11/26/polres-batu-tps",
         "summary": "Polres Batu menyiagakan 350 personel untuk mengamankan TPS di Kota Batu menjelang "
                    "pemungutan suara.",
         "body": "Catatan digest: personel disebar ke seluruh TPS di tiga kecamatan."}


def _choose(page, label: str, text: str) -> None:
    """Pick an option of a select the way an editor does: type part of it, take the match."""
    page.get_by_label(label).click()
    page.keyboard.type(text)
    page.get_by_role("option", name=text, exact=True).click()


def _write(page) -> None:
    """Fill the new-entry form as an editor does and save it."""
    page.get_by_label("Judul").fill(ENTRY["title"])
    page.get_by_label("Tanggal kejadian").fill(ENTRY["date"])
    _choose(page, "Provinsi", ENTRY["province"])
    _choose(page, "Kabupaten/kota", f"{ENTRY['regency']} · {ENTRY['province']}")
    _choose(page, "Pemilihan", ENTRY["election"])
    _choose(page, "Tahapan", ENTRY["stage"])
    page.get_by_label("Media").fill(ENTRY["outlet"])
    page.get_by_label("Alamat berita").fill(ENTRY["url"])
    page.get_by_label("Ringkasan").fill(ENTRY["summary"])
    page.locator("[data-slate-editor='true']").click()
    page.keyboard.type(ENTRY["body"])
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Entry saved").wait_for()


def _publish(page) -> None:
    """The editorial workflow's steps: draft, then ready, then published."""
    page.get_by_role("button", name="Status: Draft").click()
    page.get_by_role("menuitem", name="Ready").click()
    page.get_by_role("button", name="Status: Ready").wait_for()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("menuitem", name="Publish now").click()
    page.get_by_text("Entry published").wait_for()


def test_an_entry_made_in_the_browser_editor_is_published_checked_and_built(project, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID")
    _offline(context, project)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    admin = project.base + relative(urls.ADMIN)
    name = f"{entry_id(dt.date.fromisoformat(ENTRY['date']), ENTRY['title'])}.md"  # as `digest new` names it
    on_branch = functools.partial(_git, "ls-tree", "-r", "--name-only", cwd=project.root)
    try:
        page.goto(admin)
        page.get_by_role("button", name="Login").click()  # the local backend asks no password
        page.goto(admin + "#/collections/berita/new")
        _write(page)
        # Saved, the entry is a draft of the workflow: on a branch of its own, not on main yet.
        assert f"content/{name}" not in on_branch("main")
        assert f"content/{name}" in on_branch(f"cms/berita/{name.removesuffix('.md')}")
        _publish(page)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "cms-editor.png"), full_page=True)
        context.unroute_all(behavior="ignoreErrors")  # Decap's last polls must not outlive the test
        context.close()
    assert errors == []

    written = project.root / "content" / name  # published: merged into the branch the site builds from
    assert written.is_file(), sorted(p.name for p in (project.root / "content").iterdir())
    checked = _digest("check", "--strict", "--format", "json", str(written), cwd=project.root)
    report = json.loads(checked.stdout)
    assert (checked.returncode, report["errors"], report["warnings"]) == (0, 0, 0), report["problems"]

    built = _digest("build", "--no-search", "-q", cwd=project.root)
    assert built.returncode == 0, built.stderr
    doc = parse(project.root / "site", urls.entry(name.removesuffix(".md")))
    assert doc.findtext(".//h1").strip() == ENTRY["title"]
    facts = doc.text_content()
    assert all(ENTRY[key] in facts for key in ("province", "regency", "summary", "body"))
    assert doc.cssselect("p.source a")[0].get("href") == ENTRY["url"]
