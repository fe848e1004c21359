"""`digest new`: a scaffolded entry passes `digest check`, builds, and never overwrites a file."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from digest import urls
from digest.build import build
from digest.content import frontmatter
from tests.conftest import ROOT, make_config, run_digest
from tests.sitetools import parse

FLAGS = ("--title", "Polres Batu amankan 350 TPS: personel siaga", "--province", "Jatim",
         "--stage", "pemungutan", "--date", "2024-11-27", "--url", "https://contoh.example/tps-batu")


def test_new_entry_passes_check_and_builds_as_a_draft(tmp_path):
    content = tmp_path / "content"
    result = run_digest("new", "--content", str(content), *FLAGS)
    assert result.returncode == 0, result.stderr
    path = content / "2024-11-27-polres-batu-amankan-350-tps-personel-siaga.md"
    assert result.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    for key in ("published", "dateline", "regency", "outlet", "author"):
        assert f"# {key}:" in text  # empty fields are present, commented
    checked = run_digest("check", str(content))
    assert checked.returncode == 0 and ": error:" not in checked.stdout
    assert "waiting for review: election, summary" in checked.stdout
    cfg = make_config(tmp_path, content)
    assert build(cfg).entries == 0  # a new entry is a draft until the editor says otherwise
    build(cfg, drafts=True)
    page = parse(cfg.output, urls.entry("2024-11-27-polres-batu-amankan-350-tps-personel-siaga"))
    assert page.cssselect("h1")[0].text_content() == "Polres Batu amankan 350 TPS: personel siaga"


def test_same_title_twice_gives_two_files_and_never_overwrites(tmp_path):
    content = tmp_path / "content"
    first = run_digest("new", "--content", str(content), *FLAGS).stdout.strip()
    original = Path(first).read_text(encoding="utf-8")
    second = run_digest("new", "--content", str(content), *FLAGS[:-2]).stdout.strip()
    assert first != second and second.endswith("-2.md")
    assert Path(first).read_text(encoding="utf-8") == original
    assert run_digest("check", str(content)).returncode == 0


def test_missing_values_without_a_terminal_are_named_and_nothing_is_written(tmp_path):
    result = run_digest("new", "--content", str(tmp_path / "c"), "--province", "Jatimm", "--stage", "pemungutn")
    assert result.returncode == 1
    assert "--province: province 'Jatimm' is unknown (did you mean 'Jatim'?)" in result.stderr
    assert "--stage: stage 'pemungutn' is unknown (did you mean 'pemungutan'?)" in result.stderr
    assert "--title is needed" in result.stderr
    assert not (tmp_path / "c").exists()


def test_prompts_for_missing_values_in_a_terminal(tmp_path):
    main, secondary = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "digest", "new", "--content", str(tmp_path / "c")],
                            stdin=secondary, stdout=subprocess.PIPE, stderr=secondary, cwd=ROOT, env=env)
    os.close(secondary)
    seen = transcript = b""
    answers = [(b"title", b"KPU Sleman sortir surat suara"), (b"province", b"Jogja Raya"),
               (b"province", b"DIY"), (b"stage", b"logistik"), (b"date", b"2024-01-20")]
    deadline = time.monotonic() + 30
    for prompt, answer in answers:
        while prompt + b"" not in seen and time.monotonic() < deadline:
            if select.select([main], [], [], 0.5)[0]:
                seen += os.read(main, 4096)
        assert prompt in seen, seen
        transcript += seen
        os.write(main, answer + b"\n")
        seen = b""
    out, _ = proc.communicate(timeout=30)
    os.close(main)
    assert proc.returncode == 0
    assert b"province 'Jogja Raya' is unknown" in transcript  # a bad answer is explained, then asked again
    path = out.decode().strip()
    meta = frontmatter.parse(path, Path(path).read_text(encoding="utf-8")).meta
    assert (meta["province"], meta["stage"], meta["election"]) == ("DI Yogyakarta", "logistik", "pemilu-2024")


def test_a_title_that_gives_no_id_and_a_bad_url_are_refused_with_one_line_each(tmp_path):
    content = tmp_path / "content"
    flags = list(FLAGS)
    flags[1], flags[-1] = "!!! ???", "http://[::1"
    result = run_digest("new", "--content", str(content), *flags)
    assert result.returncode == 1 and not content.exists()
    assert result.stderr.splitlines() == [
        "digest new: --title: '!!! ???' gives no id: write a headline with letters or digits",
        "digest new: --url: 'http://[::1' must be an absolute http(s) address"]


def test_a_new_entry_records_the_day_it_joined_right_after_published(tmp_path):
    import datetime as dt

    from digest.content.schema import WIB

    content = tmp_path / "content"
    result = run_digest("new", "--content", str(content), *FLAGS)
    lines = (content / "2024-11-27-polres-batu-amankan-350-tps-personel-siaga.md").read_text(
        encoding="utf-8").splitlines()
    assert result.returncode == 0
    published = next(i for i, line in enumerate(lines) if line.startswith("# published:"))
    assert lines[published + 1].split("#")[0].strip() == f"added: {dt.datetime.now(WIB).date().isoformat()}"


LONG_TITLE = ("Polda Jawa Timur siagakan ribuan personel gabungan amankan rekapitulasi suara Pilkada Serentak "
              "di seluruh kabupaten dan kota")


def test_new_and_ingest_give_one_id_for_one_date_and_title(tmp_path):
    """An editor who scaffolds a story and one who ingests it get the same file and id: cut at a
    word, within 80 characters, so the two never publish one story twice under two names."""
    made = run_digest("new", "--content", str(tmp_path / "a"), "--title", LONG_TITLE, "--province", "Jatim",
                      "--stage", "rekapitulasi", "--date", "2024-11-30")
    article = tmp_path / "artikel.txt"
    article.write_text(f"{LONG_TITLE}\n\nSURABAYA - Polda Jawa Timur menyiagakan personel gabungan untuk "
                       "mengamankan rapat pleno rekapitulasi suara di Surabaya, Sabtu (30/11/2024).\n",
                       encoding="utf-8")
    ingested = run_digest("ingest", str(article), "--content", str(tmp_path / "b"), "--date", "2024-11-30")
    assert made.returncode == 0 and ingested.returncode == 0, made.stderr + ingested.stderr
    new_file, = (tmp_path / "a").glob("*.md")
    ingest_file, = (tmp_path / "b").glob("*.md")
    assert new_file.stem == ingest_file.stem == "2024-11-30-polda-jawa-timur-siagakan-ribuan-personel-gabungan-amankan"
    for path in (new_file, ingest_file):
        assert frontmatter.parse(str(path), path.read_text(encoding="utf-8")).meta["id"] == new_file.stem
