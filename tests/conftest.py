"""Shared fixtures: a built copy of the shipped content and of a generated corpus; clean reference
builds shared by the tests that reach the same inputs."""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from textwrap import dedent

import pytest

from digest import config as config_mod
from digest.build import build
from digest.content.schema import WIB
from tests.corpus import write_corpus
from tests.sitetools import tree_bytes

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _memory_backed_temproot(folder: str = "/dev/shm", room: int = 2 << 30) -> None:
    """Put the tests' folders on tmpfs where the machine has one with room: the suite writes and
    deletes hundreds of thousands of small files (sites, caches), which a disk-backed /tmp pays
    for in system time, and pytest deletes an old run's folders there at the start of the next.
    Each test's folder is removed when it passes (tmp_path_retention_policy in pyproject.toml),
    so what the suite holds in memory stays small. PYTEST_DEBUG_TEMPROOT, if set, wins."""
    if "PYTEST_DEBUG_TEMPROOT" in os.environ or not os.access(folder, os.W_OK | os.X_OK):
        return
    stats = os.statvfs(folder)
    if stats.f_bavail * stats.f_frsize >= room:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = folder


_memory_backed_temproot()


def make_config(tmp: Path, content: Path, **overrides):
    """Config for a build of `content` into tmp/site with the project's templates."""
    return config_mod.load(ROOT / "digest.yaml", content=content, output=tmp / "site",
                           templates=ROOT / "templates", **overrides)


def ingest_text(text: str, **options):
    """`digest ingest` on an article written inline in a test (dedented, as a .txt copy)."""
    from digest.ingest import pipeline
    from digest.ingest.source import Input
    from digest.reference.refdata import load
    return pipeline.ingest(Input("artikel.txt", dedent(text).strip(), False), ref=load(), **options)


# Runs `digest` commands, one per JSON line read on stdin, each in a fork of its own: its own process
# with the command's folder, environment, standard streams (stdin empty) and exit status, as
# `python -m digest` would have, without starting an interpreter and importing digest for each (the
# cost of most small commands). `before`, if given, is run in the fork first (a test's patch).
# Answers two lines per command: the fork's pid, then [exit status, CPU seconds it used].
COMMAND_SERVER = """
import importlib, json, os, sys, traceback
from digest import cli
from digest.commands import COMMANDS
for name in COMMANDS:
    importlib.import_module(f"digest.commands.{name}")
encoding, protocol = sys.stdout.encoding, sys.stdout
while line := sys.stdin.readline():
    job = json.loads(line)
    child = os.fork()
    if child == 0:
        for fd, path, flags in ((0, os.devnull, os.O_RDONLY), (1, job["stdout"], os.O_WRONLY),
                                (2, job["stderr"], os.O_WRONLY)):
            os.dup2(os.open(path, flags), fd)
        sys.stdin = open(0, encoding=encoding, closefd=False)
        sys.stdout = open(1, "w", encoding=encoding, closefd=False)
        sys.stderr = open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False, buffering=1)
        sys.__stdout__, sys.__stderr__ = sys.stdout, sys.stderr
        os.chdir(job["cwd"])
        os.environ.clear()
        os.environ.update(job["env"])
        sys.argv = ["digest", *job["args"]]
        try:
            exec(job["before"], {})
            code = cli.main(job["args"])
        except SystemExit as exc:  # as the interpreter ends on it
            code = exc.code
            if code is not None and not isinstance(code, int):
                print(code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)
    print(child, file=protocol, flush=True)
    _, status, used = os.wait4(child, 0)
    print(json.dumps([os.waitstatus_to_exitcode(status), used.ru_utime + used.ru_stime]), file=protocol, flush=True)
"""


class _CommandServer:
    """This process's COMMAND_SERVER, started at its first command."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.cpu = 0.0  # CPU seconds of every command it ran

    def run(self, args: tuple[str, ...], cwd: Path, env: dict[str, str], before: str,
            timeout: float) -> subprocess.CompletedProcess:
        with self.lock, tempfile.TemporaryDirectory(prefix="digest-run-") as tmp:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = subprocess.Popen([sys.executable, "-c", COMMAND_SERVER], cwd=ROOT, text=True,
                                             env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert self.proc.stdin and self.proc.stdout
            out, err = Path(tmp, "stdout"), Path(tmp, "stderr")
            out.touch()
            err.touch()
            self.proc.stdin.write(json.dumps({"args": args, "cwd": str(cwd), "env": env, "before": before,
                                              "stdout": str(out), "stderr": str(err)}) + "\n")
            self.proc.stdin.flush()
            pid, late = int(self.proc.stdout.readline()), threading.Event()

            def kill() -> None:
                late.set()
                os.kill(pid, signal.SIGKILL)

            timer = threading.Timer(timeout, kill)
            timer.start()
            code, cpu = json.loads(self.proc.stdout.readline())
            timer.cancel()
            if late.is_set():
                raise subprocess.TimeoutExpired(args, timeout)
            self.cpu += cpu
            # decoded as subprocess.run(text=True) decodes
            stdout, stderr = (p.read_bytes().decode().replace("\r\n", "\n").replace("\r", "\n") for p in (out, err))
            return subprocess.CompletedProcess([sys.executable, "-m", "digest", *args], code, stdout, stderr)

    def close(self) -> None:
        """End the server (its input closed, it leaves its loop) and wait for it, so its CPU is counted."""
        if self.proc:
            self.proc.communicate(timeout=60)


_SERVER = _CommandServer()
atexit.register(_SERVER.close)


def run_digest(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
               before: str = "") -> subprocess.CompletedProcess:
    """Run the real command line as a user would, in a process of its own (see COMMAND_SERVER);
    `env` adds to the environment, `before` is Python run in that process first."""
    return _SERVER.run(args, cwd, dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), before, timeout=300)


def commands_cpu() -> float:
    """CPU seconds of the commands and other child processes this process has run: what they
    worked, however loaded the machine."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return _SERVER.cpu + used.ru_utime + used.ru_stime


_CLEAN: dict[bytes, dict[str, bytes]] = {}


def _inputs_key(config: Path) -> bytes:
    """A digest of everything a build of `config` reads: the file, its content and templates folders."""
    cfg = config_mod.load(config)
    key = hashlib.sha256(config.read_bytes())
    for folder in (cfg.content, cfg.templates):
        for path in sorted(folder.rglob("*")):
            key.update(f"{path.relative_to(folder)}\0{path.is_symlink()}\0".encode())
            if path.is_file():
                key.update(path.read_bytes())
    return key.digest()


def clean_build(project: Path) -> dict[str, bytes]:
    """The site `digest build --clean --no-search` makes of `project` as it is now, built in this
    process into folders of its own. Output depends only on the inputs (tests/test_incremental.py),
    so tests that reach the same inputs share one build."""
    config = project / "digest.yaml"
    key = _inputs_key(config)
    if key not in _CLEAN:
        ref = project.parent / f"{project.name}-clean-{key.hex()[:12]}"
        cfg = config_mod.load(config, output=ref / "site", search=False)
        build(cfg, today=dt.datetime.now(WIB).date(), config_path=config, clean=True, cache_dir=ref / "cache")
        _CLEAN[key] = tree_bytes(ref / "site")
    return _CLEAN[key]


# The longest test files, longest first (about a minute to a quarter of a minute each here).
# Run before the rest, so with `-n 2 --dist loadfile` the short files fill in around them and
# the two workers finish together instead of one waiting on a long file handed out last.
LONGEST_FIRST = ("test_incremental.py", "e2e/test_search.py", "test_hostile.py", "test_cache_torn.py",
                 "test_deploy.py", "test_operator.py", "test_serve.py", "test_quick_edits.py",
                 "test_visuals_browser.py", "test_crash.py", "e2e/test_browser.py", "test_ingest_scorer.py")


def pytest_collection_modifyitems(items):
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    tests = Path(__file__).parent

    def key(item) -> int:
        return rank.get(Path(item.fspath).relative_to(tests).as_posix(), len(rank))

    items.sort(key=key)  # stable: each file's tests keep their order and stay together


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium, one per test process for every browser test: Playwright's sync
    API refuses a second instance while one is open, so a module starting its own fails when it
    runs after another's on the same worker."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """(generated entries, site folder, config) for a 320-entry corpus over 14 provinces."""
    tmp = tmp_path_factory.mktemp("corpus")
    generated = write_corpus(tmp / "content")
    cfg = make_config(tmp, tmp / "content")
    build(cfg)
    return generated, cfg.output, cfg


@pytest.fixture
def project(tmp_path, request):
    """A copy of the project's content, templates and config to break and rebuild. Marked
    `sample_content`, a test gets every fourth entry: every stage and election and most provinces,
    a quarter of the pages to build, for tests of what a build does rather than how much it builds."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copy(ROOT / "digest.yaml", tmp_path / "digest.yaml")
    if request.node.get_closest_marker("sample_content"):
        (tmp_path / "content").mkdir()
        for path in sorted((ROOT / "content").glob("*.md"))[::4]:
            shutil.copy(path, tmp_path / "content" / path.name)
    else:
        shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path
