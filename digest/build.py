"""The build pipeline: files -> entries -> site model -> rendered files -> swapped-in output.

Builds are incremental: the cache remembers parsed entries, rendered bodies and what every output
file was made from, so a build parses only changed files, renders only pages whose inputs changed
and writes only files whose bytes changed, and a build whose inputs did not change at all returns
at once. The output is byte-identical to a clean build either way. This module only orchestrates:
it locks the folders, asks the cache through its one door (incremental/session.py) what to render,
renders into the spare folder, indexes it for search and swaps it in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import gc
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from digest.config import Config
from digest.content.entry import Entry, missing_fields
from digest.errors import DigestError, Problem, failure
from digest.incremental import parallel
from digest.incremental.cachedir import NAME
from digest.incremental.explain import Changes, Explanation
from digest.incremental.session import Scope, Session, open_session
from digest.output import search
from digest.output.cache import secret
from digest.output.writer import MARKER, Tree, check_output_dir, claim_output
from digest.reference.refdata import RefData, load

# Told of progress: (step, jobs just done, jobs in the step); steps are "parse" and "render".
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildReport:
    entries: int
    skipped: int
    pages: int
    feeds: int
    files: int
    seconds: float
    changed: int = 0  # files whose bytes differ from the previous site
    explanation: Explanation | None = None  # what was rebuilt and why (`digest build --verbose`)
    warnings: tuple[str, ...] = ()  # the site was published, but something the operator should fix


def is_public(entry: Entry, today: dt.date | None, drafts: bool = False, future: bool = False) -> bool:
    """Drafts, and entries published after `today` (scheduled), stay off the site unless asked;
    an incomplete draft (a required field left empty) never goes on it."""
    if entry.draft and (not drafts or missing_fields(entry)):
        return False
    scheduled = today is not None and entry.published is not None and entry.published.date() > today
    return future or not scheduled


def default_cache_dir(config: Config) -> Path:
    """`.digest-cache/` beside the content folder."""
    return config.content.absolute().parent / NAME


@contextlib.contextmanager
def exclusive(folders: list[Path], on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on each folder (those holding the cache and the output) for one build.

    A second build or preview of the same output or cache waits for the first, saying so once,
    instead of swapping folders under it. The lock is flock on the folder itself: no lock file is
    left behind, and the kernel drops it when the process ends, however it ends. Folders are
    locked in one global order (device, inode), so two builds never wait for each other.
    """
    opened: dict[tuple[int, int], tuple[Path, int]] = {}
    try:
        for folder in folders:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) in opened:
                os.close(fd)
            else:
                opened[st.st_dev, st.st_ino] = (folder, fd)
        for _, (folder, fd) in sorted(opened.items()):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait:
                    on_wait(f"{folder}: another digest build or preview is using it; waiting for it to finish")
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for _, fd in opened.values():
            os.close(fd)


def _cache_parent(cache_dir: Path) -> Path:
    """The folder holding the cache folder (made if missing), which a build locks: the cache
    itself is made only when there is something to keep. DigestError when the cache is a file."""
    if cache_dir.exists() and not cache_dir.is_dir():
        raise DigestError(Problem(str(cache_dir), 0, "the cache must be a folder, and this is a file; give --cache "
                                                     "a folder (it is made if missing)"))
    parent = cache_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


# The last build's objects, kept until the next build or the end of the process: freeing tens of
# thousands of entries, pages and fingerprints one by one took as long as re-rendering the edited
# one (README, Speed). The command line then exits without freeing them (cli.run); the operating
# system takes the memory back at once.
_LAST: list[object] = []


def build(config: Config, *, drafts: bool = False, future: bool = False, today: dt.date | None = None,
          preview: bool = False, ref: RefData | None = None, config_path: Path | None = None,
          clean: bool = False, jobs: int | None = None, cache_dir: Path | None = None,
          progress: Progress | None = None, on_wait: Callable[[str], None] | None = None) -> BuildReport:
    """Build the whole site; raises DigestError (output untouched) on any invalid input, and on
    any failure of the system (full disk, read-only folder) before the new site is published.

    `today` decides what counts as scheduled; without it nothing is held back as future, so a
    build with no clock involved stays reproducible. `clean` ignores the cache (it is rewritten);
    `jobs` caps the worker processes (default: one per core); `progress` hears how far parsing
    and rendering got; `on_wait` hears (one line) that another build holds the output or cache.
    """
    start = time.perf_counter()
    cache_dir = cache_dir or default_cache_dir(config)
    check_output_dir(config.output, [p for p in (config.content, config.templates, config_path, cache_dir) if p])
    collecting = gc.isenabled()
    gc.disable()  # a build allocates many long-lived objects, none of them in cycles worth collecting
    try:
        parent = config.output.absolute().parent
        parent.mkdir(parents=True, exist_ok=True)
        if not os.access(parent, os.W_OK):
            raise DigestError(Problem(str(parent), 0, "cannot write the site here (read-only, or no permission); "
                                                      "make the folder writable or choose another --output"))
        with exclusive([_cache_parent(cache_dir), parent], on_wait):
            claim_output(config.output)
            options = Options(drafts=drafts, future=future, today=today, preview=preview)
            run = _Build(config, options, open_session(config, cache_dir, clean=clean, options=options),
                         jobs or parallel.default_jobs(), progress)
            report = run.build(ref)
        _LAST[:] = [run]  # see _LAST
    except OSError as exc:  # nothing was published (once it is, _Build.build only warns)
        raise DigestError(failure(exc, config.output)) from None
    finally:
        if collecting:
            gc.enable()
    return dataclasses.replace(report, seconds=time.perf_counter() - start)


@dataclass(frozen=True)
class Options:
    """What a build shows and how; their repr keys the cache (a change renders every page again)."""

    drafts: bool = False
    future: bool = False
    today: dt.date | None = None
    preview: bool = False

    def shows(self, entry: Entry) -> bool:
        return is_public(entry, self.today, self.drafts, self.future)


@dataclass
class _Build:
    config: Config
    options: Options
    cache: Session
    jobs: int
    progress: Progress | None = None

    def build(self, ref: RefData | None) -> BuildReport:
        cache = self.cache
        unchanged = cache.unchanged()
        if unchanged:
            counts, explanation = unchanged
            return BuildReport(**dataclasses.asdict(counts), seconds=0, explanation=explanation)
        ref = ref or load()
        scope = cache.scope(ref, self.jobs, self.options.shows, self._step("parse", len(cache.inputs.sources)))
        changes = cache.changes(scope)
        report, fps, (live, spare) = self.render(scope, ref, changes)
        warning = cache.save(scope, dataclasses.replace(scope.counts, files=report.files), fps, live, spare)
        return dataclasses.replace(report, warnings=(*report.warnings, warning)) if warning else report

    def _step(self, label: str, total: int) -> Callable[[int], None] | None:
        """The progress callback of one step, if anyone listens."""
        progress = self.progress
        return None if progress is None else lambda done: progress(label, done, total)

    def render(self, scope: Scope, ref: RefData, changes: Changes | None
               ) -> tuple[BuildReport, dict[str, bytes], tuple[Tree, Tree | None]]:
        """Render what changed into the spare folder and swap it in: (report, fingerprints, folders)."""
        cache, output = self.cache, self.cache.output
        renderer, keys = cache.renderer(scope, ref, self.options.preview)
        site = cache.plan(scope, renderer, keys)
        previous = output.live.files if output.live else {}
        indexed = search.kept(output.spare.files) if self.config.search and output.spare else set()
        work = output.open_work(set(site.fps) | indexed)
        try:
            files = cache.write(site, renderer, work, self.jobs, self._step("render", len(site.jobs)))
            if self.config.search:
                files.update(search.index(work, files, output))
            work.mark()
            work.prune({*files, MARKER})
        except BaseException:
            output.discard(work)
            raise
        counts = scope.counts
        written = sum(1 for rel, d in files.items() if previous.get(rel) != d)
        explanation = dataclasses.replace(
            cache.explain(scope, site, keys.templates_read, changes, written=written),
            removed=len(previous.keys() - files.keys() - {MARKER}))
        problem = secret().problem  # the cache key could not be kept
        report = BuildReport(entries=counts.entries, skipped=counts.skipped, pages=counts.pages, feeds=counts.feeds,
                             files=len(files), seconds=0, changed=written, explanation=explanation,
                             warnings=(problem,) if problem else ())
        return report, site.fps, output.publish(work)
