"""The preview's paste page over real HTTP: `digest serve` started on a copy of the project, an
article pasted or a saved page uploaded, the entry `digest ingest` would write shown with its
flags, corrected and saved; posts from anywhere but the page itself refused."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import Request, urlopen

import lxml.html
import pytest

from digest import urls
from digest.content import frontmatter
from digest.serve import paste
from tests.conftest import ROOT, run_digest

# Invented for these tests (no real outlet published it): a district police logistics story.
ARTICLE = """\
Polres Temanggung Kerahkan 320 Personel Kawal Distribusi Logistik Pilkada

TEMANGGUNG - Polres Temanggung mengerahkan 320 personel untuk mengawal distribusi logistik Pilkada Serentak 2024 dari gudang KPU Kabupaten Temanggung ke 20 kecamatan, Senin (25/11/2024).

Kapolres Temanggung AKBP Dwi Santoso Wibisono mengatakan pengawalan dilakukan sejak surat suara dan kotak suara keluar dari gudang hingga tiba di setiap Panitia Pemungutan Suara (PPS).

"Setiap truk logistik kami kawal dua personel bersenjata lengkap, dan patroli kami tingkatkan di titik-titik rawan," kata Dwi di Mapolres Temanggung.

Ketua KPU Kabupaten Temanggung menyampaikan terima kasih atas dukungan kepolisian. Menurut dia, seluruh logistik ditargetkan tiba di desa paling lambat sehari sebelum pemungutan suara.

Bawaslu Kabupaten Temanggung turut memantau proses distribusi untuk memastikan tidak ada logistik yang rusak atau tertukar.
"""  # noqa: E501 - one line per paragraph, as an editor copies it
TITLE = "Polres Temanggung Kerahkan 320 Personel Kawal Distribusi Logistik Pilkada"
ARTICLE_ID = "2024-11-25-polres-temanggung-kerahkan-320-personel-kawal-distribusi-logistik"
URL = "https://warta-kedu.example.id/2024/11/25/polres-temanggung-kawal-logistik"

# A saved page, invented as well: the metadata a news site's template carries, and the article.
SAVED_PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>KPU Kota Palu Gelar Simulasi Pemungutan Suara Pilkada - Kabar Tadulako</title>
<meta property="og:site_name" content="Kabar Tadulako">
<meta property="og:title" content="KPU Kota Palu Gelar Simulasi Pemungutan Suara Pilkada">
<meta property="article:published_time" content="2024-11-12T09:30:00+08:00">
<link rel="canonical" href="https://kabar-tadulako.example.id/berita/kpu-palu-simulasi-pemungutan">
</head><body><nav><a href="/">Beranda</a> <a href="/politik">Politik</a></nav>
<article><h1>KPU Kota Palu Gelar Simulasi Pemungutan Suara Pilkada</h1>
<p>PALU - KPU Kota Palu menggelar simulasi pemungutan dan penghitungan suara Pilkada Serentak 2024 di halaman kantor Kelurahan Besusu Barat, Selasa (12/11/2024).</p>
<p>Ketua KPU Kota Palu mengatakan simulasi itu melatih anggota KPPS menghadapi pemilih yang datang bersamaan menjelang penutupan TPS.</p>
<p>Polresta Palu menurunkan 60 personel untuk menjaga jalannya simulasi, sementara Bawaslu Kota Palu mencatat hal-hal yang perlu diperbaiki sebelum hari pemungutan suara.</p>
</article><footer>Hak cipta Kabar Tadulako</footer></body></html>
"""  # noqa: E501 - one line per paragraph, as saved


@contextmanager
def serving(project: Path) -> Iterator[str]:
    """`digest serve --port 0` on `project`; yields the paste page's address."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "digest", "serve", "--port", "0"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first, second = proc.stdout.readline(), proc.stdout.readline()
        assert first.startswith("Pratinjau: http://127.0.0.1:"), proc.stderr.read()
        assert second.startswith("Tambah artikel: http://127.0.0.1:")  # where the editor finds the page
        yield second.split()[2]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """One server for the module (its first build takes a while): each test uses its own article
    address and title, so what one saves is in no other's way."""
    project = tmp_path_factory.mktemp("paste")
    for name in ("content", "templates"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "digest.yaml", project / "digest.yaml")
    with serving(project) as address:
        yield Client(address), project


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]] = ()) -> tuple[str, bytes]:
    """(content type, body) as a browser sends a form with files."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
              f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
              for name, filename, data in files]
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


class Client:
    """A browser's side of the paste page: it keeps the cookie and sends the page's token."""

    def __init__(self, address: str):
        self.address = address
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(address))
        status, page, headers = self.request(address)
        assert status == 200
        cookie = SimpleCookie(headers["Set-Cookie"])
        (self.cookie_name, morsel), = cookie.items()
        self.cookie = f"{self.cookie_name}={morsel.value}"
        self.set_cookie = headers["Set-Cookie"]
        self.token = page.cssselect("input[name=token]")[0].get("value")
        self.start = page

    def request(self, url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
        try:
            with urlopen(Request(url, data=data, headers=headers or {}), timeout=60) as r:
                return r.status, lxml.html.fromstring(r.read()), r.headers
        except HTTPError as e:
            body = e.read()
            return e.code, (lxml.html.fromstring(body) if body.strip() else None), e.headers

    def post(self, path: str, fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]] = (), *,
             token: str | None = None, cookie: str | None = None, origin: str | None = None, host: str = ""):
        ctype, body = multipart([("token", self.token if token is None else token), *fields], files)
        headers = {"Content-Type": ctype, "Origin": self.origin if origin is None else origin,
                   "Cookie": self.cookie if cookie is None else cookie, "Host": host}
        return self.request(urljoin(self.address, path), body, {k: v for k, v in headers.items() if v})

    def read(self, text: str = ARTICLE, **fields: str):
        return self.post(paste.READ_PATH, [("text", text), *fields.items()])

    def save(self, form: lxml.html.FormElement, **changes):
        """Post the edit form as a browser would, with fields changed (a list value: every value sent)."""
        values = [(k, v) for k, v in form.form_values() if k not in changes and k != "token"]
        for name, value in changes.items():
            values += [(name, v) for v in (value if isinstance(value, list) else [value])]
        return self.post(paste.SAVE_PATH, values)


def edit_form(page) -> lxml.html.FormElement:
    return page.xpath(f"//form[@action='{paste.SAVE_PATH}']")[0]


def field_error(page, name: str) -> str:
    """The error shown next to a field, which the field names as its description."""
    control = page.get_element_by_id(name)
    assert control.get("aria-invalid") == "true"
    return page.get_element_by_id(control.get("aria-describedby")).text_content()


def test_the_page_is_indonesian_labelled_and_sets_a_strict_cookie(desk):
    client, _ = desk
    page = client.start
    assert page.get("lang") == "id"
    for control in page.cssselect("form textarea, form input:not([type=hidden]), form select"):
        assert page.cssselect(f"label[for={control.get('id')}]"), control.get("name")
    assert {"SameSite=Strict", "HttpOnly", f"Path={paste.PATH}"} <= {p.strip() for p in client.set_cookie.split(";")}
    assert len(client.token) >= 32


@pytest.mark.parametrize("change", ["no token", "wrong token", "no cookie", "wrong cookie", "other site", "no origin",
                                    "rebinding origin", "rebinding host"])
def test_a_post_not_from_the_page_itself_is_refused(desk, change):
    client, project = desk
    before = sorted(p.name for p in (project / "content").iterdir())
    options = {"no token": {"token": ""}, "wrong token": {"token": "x" * 43},
               "no cookie": {"cookie": ""}, "wrong cookie": {"cookie": f"{client.cookie_name}={'y' * 43}"},
               "other site": {"origin": "https://evil.example"}, "no origin": {"origin": ""},
               "rebinding origin": {"origin": client.origin.replace("127.0.0.1", "attacker.example")},
               "rebinding host": {"origin": client.origin.replace("127.0.0.1", "attacker.example"),
                                  "host": urlsplit(client.origin).netloc.replace("127.0.0.1", "attacker.example")},
               }[change]
    for path in (paste.READ_PATH, paste.SAVE_PATH):
        status, _, _ = client.post(path, [("text", ARTICLE), ("title", "x")], **options)
        assert status == 403, (change, path)
    assert sorted(p.name for p in (project / "content").iterdir()) == before


def test_the_pasted_article_shows_the_entry_ingest_writes_with_each_flag_and_reason(desk, tmp_path):
    client, _ = desk
    status, page, _ = client.read(published="2024-11-25")
    assert status == 200
    (tmp_path / "artikel.txt").write_text(ARTICLE, encoding="utf-8")
    dry = run_digest("ingest", str(tmp_path / "artikel.txt"), "--dry-run", "--published", "2024-11-25",
                     "--content", str(tmp_path / "content"))
    front = dry.stdout.split("\n", 1)[1].split("\n---\n", 1)[0] + "\n---"
    assert page.cssselect("details pre")[0].text_content() == front  # the same entry, not a look-alike
    flags = {li.get("data-field"): li.cssselect(".reason")[0].text_content() for li in page.cssselect("li.flag")}
    reported = dict(line.split(": review ", 1)[1].split(": ", 1) for line in dry.stdout.splitlines()
                    if ": review " in line)
    assert flags == reported and "source.url" in flags and "summary" in flags
    assert "Perlu diperiksa" in page.get_element_by_id("url-flag").text_content()
    # the reasons are Indonesian, read in the page's own language (no lang="en" around them)
    assert page.cssselect("li.flag .reason") and not page.cssselect('li.flag [lang], .flag-note [lang]')
    assert "kalimat pembuka" in flags["summary"]
    form = edit_form(page)
    assert form.inputs["title"].value == TITLE
    assert form.inputs["province"].value == "Jawa Tengah"
    assert form.inputs["regency"].value == "Kabupaten Temanggung"
    assert form.inputs["stage"].value == "logistik"
    assert form.inputs["personnel"].value == "320"
    cells = ([i.value for i in form.xpath(f".//input[@name='official_{cell}']")] for cell in ("rank", "name", "role"))
    rows = zip(*cells, strict=True)
    assert ("AKBP", "Dwi Santoso Wibisono", "Kapolres Temanggung") in rows
    assert len(page.cssselect("#province option")) == 39 and len(page.cssselect("#regency option")) == 515


def test_bad_fields_are_named_in_indonesian_next_to_them_and_nothing_is_written(desk):
    client, project = desk
    before = sorted(p.name for p in (project / "content").iterdir())
    _, page, _ = client.read()
    status, page, _ = client.save(edit_form(page), personnel="4.174", date="2024-02-30", regency="Kota Serang",
                                  url="ftp://warta.example/berita", title="")
    assert status == 400
    assert "4174, bukan 4.174" in field_error(page, "personnel")
    assert "bukan tanggal" in field_error(page, "date")
    assert "tidak terletak di Jawa Tengah, melainkan di Banten" in field_error(page, "regency")
    assert "http:// atau https://" in field_error(page, "url")
    assert "Judul wajib diisi" in field_error(page, "title")
    assert edit_form(page).inputs["personnel"].value == "4.174"  # what the editor typed stays to be fixed
    assert sorted(p.name for p in (project / "content").iterdir()) == before


def test_a_body_the_build_cannot_convert_is_refused_next_to_it_and_nothing_is_written(desk):
    client, project = desk
    before = sorted(p.name for p in (project / "content").iterdir())
    _, page, _ = client.read(url=URL + "-kurung")
    status, page, _ = client.save(edit_form(page), body="[" * 20000)  # unclosed brackets: too slow to convert
    assert status == 400
    assert "Isi tidak bisa diubah menjadi halaman" in field_error(page, "body")
    assert sorted(p.name for p in (project / "content").iterdir()) == before


def test_a_complete_entry_needs_its_required_fields_unless_it_is_a_draft(desk):
    client, project = desk
    _, page, _ = client.read()
    address = URL + "-draf"
    status, page, _ = client.save(edit_form(page), stage="", url=address, title="Draf distribusi logistik Temanggung")
    assert status == 400 and "kecuali entri disimpan sebagai draf" in field_error(page, "stage")
    status, page, _ = client.save(edit_form(page), stage="", url=address, draft="1")
    assert status == 200
    saved = project / page.cssselect(".saved-path")[0].text_content()
    assert "stage:\n" in saved.read_text(encoding="utf-8") and "draft: true" in saved.read_text(encoding="utf-8")
    assert "belum lengkap" in page.cssselect("div.ok")[0].text_content()  # no page until it is filled in


def test_saving_writes_a_checked_entry_under_a_free_name_and_refuses_the_same_url(desk):
    client, project = desk
    content = project / "content"
    taken = content / f"{ARTICLE_ID}.md"  # an entry of that id already: it must stay as it is
    other = (content / "2023-07-26-kpu-polda-banten-koordinasi-pemilu.md").read_text(encoding="utf-8")
    taken.write_text(other.replace("id: 2023-07-26-kpu-polda-banten-koordinasi-pemilu", f"id: {ARTICLE_ID}")
                     .replace("/berita/250530/", "/berita/999999/"), encoding="utf-8")
    kept = taken.read_bytes()
    _, page, _ = client.read(url=URL)
    summary = "Polres Temanggung mengawal truk logistik Pilkada dari gudang KPU ke 20 kecamatan."
    status, page, _ = client.save(edit_form(page), summary=summary, outlet="Warta Kedu",
                                  checked=["source.outlet", "summary"])
    assert status == 200, page.text_content()
    written = page.cssselect(".saved-path")[0].text_content()
    path = project / written
    assert path == content / f"{ARTICLE_ID}-2.md" and taken.read_bytes() == kept
    meta = frontmatter.parse(written, path.read_text(encoding="utf-8")).meta
    assert (meta["id"], meta["summary"], meta["source"]["outlet"]) == (f"{ARTICLE_ID}-2", summary, "Warta Kedu")
    assert meta["review"] == ["topics"]  # the flags left unchecked, and only those
    check = run_digest("check", "content", "--format", "json", cwd=project)
    assert check.returncode == 0, check.stdout
    about = [(p["severity"], p["message"]) for p in json.loads(check.stdout)["problems"] if p["path"] == written]
    assert ("warning", "waiting for review: topics") in about and all(severity == "warning" for severity, _ in about)
    link = page.cssselect("a.saved-link")[0].get("href")
    assert link == urls.entry(path.stem)
    status, article, _ = client.request(urljoin(client.address, link))
    assert status == 200 and article.cssselect("h1")[0].text_content() == TITLE
    status, again, _ = client.save(edit_form(client.read(url=URL)[1]))
    assert status == 409
    assert f"sudah ada: {written}" in field_error(again, "url")
    assert set(content.glob(f"{ARTICLE_ID}*.md")) == {taken, path}


def test_an_uploaded_saved_page_is_read_with_its_metadata(desk):
    client, _ = desk
    status, page, _ = client.post(paste.READ_PATH, [("text", "")], [("file", "kpu-palu.html", SAVED_PAGE.encode())])
    assert status == 200
    form = edit_form(page)
    assert form.inputs["outlet"].value == "Kabar Tadulako"
    assert form.inputs["url"].value == "https://kabar-tadulako.example.id/berita/kpu-palu-simulasi-pemungutan"
    assert form.inputs["regency"].value == "Kota Palu"


def test_what_ingest_refuses_is_said_on_the_page(desk):
    client, _ = desk
    status, page, _ = client.read("Harga cabai rawit di Pasar Legi naik dua ribu rupiah per kilogram pekan ini "
                                  "karena pasokan dari petani berkurang setelah hujan deras.")
    assert status == 422
    assert "Artikel tidak bisa dibaca" in page.cssselect("[role=alert]")[0].text_content()
    status, page, _ = client.read("", url="warta.example/x")
    assert status == 400
    assert "Tempel teks artikel" in field_error(page, "text") and "http://" in field_error(page, "url")


def test_an_oversized_post_is_refused_before_it_is_read(desk):
    client, _ = desk
    parts = urlsplit(client.address)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(f"POST {paste.READ_PATH} HTTP/1.1\r\nHost: {parts.netloc}\r\nOrigin: {client.origin}\r\n"
                     f"Cookie: {client.cookie}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                     f"Content-Length: {paste.MAX_POST + 1}\r\n\r\n".encode() + b"--x\r\n")
        reply = sock.makefile("rb").read().decode()
    assert reply.startswith("HTTP/1.0 413") or reply.startswith("HTTP/1.1 413")
    assert "Kiriman terlalu besar" in reply


def test_forged_fields_never_reach_the_file(desk):
    """A post carries what the page never offers: a flag outside the schema, a control character."""
    client, project = desk
    _, page, _ = client.read(url=URL + "-palsu")
    forged = {"title": "Logistik Pilkada Temanggung dikawal", "flag": ["summary", "bukan.kolom"],
              "reason": ["ringkasan", "palsu"], "topics": ["logistik", "pe\x07ngawalan"]}
    status, page, _ = client.save(edit_form(page), **forged)
    assert status == 400 and "karakter kendali U+0007" in field_error(page, "topics")
    status, page, _ = client.save(edit_form(page), **{**forged, "topics": ["logistik"]})
    assert status == 200
    written = page.cssselect(".saved-path")[0].text_content()
    text = (project / written).read_text(encoding="utf-8")
    meta = frontmatter.parse(written, text).meta
    assert meta["review"] == ["summary"] and meta["topics"] == ["logistik"] and "bukan.kolom" not in text
