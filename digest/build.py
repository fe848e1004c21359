"""The build pipeline: files -> entries -> site model -> rendered files -> swapped-in output.

Builds are incremental: the cache (cachedir.py) remembers parsed entries, rendered bodies and
what every output file was made from, so a build parses only changed files, renders only pages
whose inputs changed and writes only files whose bytes changed, and a build whose inputs did not
change at all returns at once. The output is byte-identical to a clean build either way.
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
from typing import TYPE_CHECKING

from digest.config import Config
from digest.content.entry import Entry, missing_fields
from digest.errors import DigestError, Problem, failure
from digest.incremental import entrystore, parallel
from digest.incremental.cachedir import NAME, CacheDir, OutputState
from digest.incremental.explain import Changes, Explanation, causes, compare, summary
from digest.incremental.filedigests import FileDigests
from digest.output import search
from digest.output.cache import digest, secret
from digest.output.writer import MARKER, Output, Tree, check_output_dir, claim_output
from digest.reference.refdata import RefData, load

if TYPE_CHECKING:  # imported by _Build.render when there is something to render
    from digest.incremental import outputs
    from digest.site.model import SiteModel


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


def _tree(folder: Path, digests: FileDigests) -> list[tuple[str, Path, bytes]]:
    """Every file under `folder` (sorted, as os.walk finds them): (relative path, path, digest).

    A symbolic link that leads out of `folder` is refused: templates/static/** is published, and
    a link to ~/.ssh or /etc must not be."""
    found = []
    real_root = folder.resolve()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(dirs + files):
            path = Path(root) / name
            if path.is_symlink() and _leads_out(path, real_root):
                raise DigestError(Problem(str(path), 0, f"is a symbolic link leading out of {folder} (or in a loop); "
                                                        "copy the file into the folder instead"))
        for name in sorted(files):
            path = Path(root) / name
            found.append((path.relative_to(folder).as_posix(), path,
                          digests.of(str(path.absolute()), path.stat(), path.read_bytes)))
    return found


def _leads_out(link: Path, real_root: Path) -> bool:
    """Whether a symbolic link points outside `real_root`, or nowhere (a loop)."""
    try:
        return not link.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # RuntimeError: a loop, on Python 3.11
        return True


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
# thousands of entries, pages and fingerprints one by one took a third of a second at 50,000
# entries, as long as re-rendering the edited one. The command line then exits without freeing
# them (cli.run); the operating system takes the memory back at once.
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
            run = _Build(config, (drafts, future, today, preview), CacheDir(cache_dir, clean),
                         jobs or parallel.default_jobs(), progress)
            report = run.build(ref)
        _LAST[:] = [run]  # see _LAST
    except OSError as exc:  # nothing was published (once it is, _Build.build only warns)
        raise DigestError(failure(exc, config.output)) from None
    finally:
        if collecting:
            gc.enable()
    return dataclasses.replace(report, seconds=time.perf_counter() - start)


@dataclass
class _Scope:
    """What a build renders from: the whole model, or (quick path) the outputs an edit touches."""

    model: SiteModel
    counts: tuple[int, int, int, int]  # entries, drafts/scheduled left out, pages, feeds: the whole site's
    structure: bytes  # see site.model.STRUCTURE
    file_digests: dict[str, bytes]  # entry id -> digest of its file, every entry
    body_digests: dict[str, bytes]  # entry id -> digest of its body, every entry shown
    sources: dict[str, bytes]  # content file -> digest
    parsed: int  # entries parsed from their files
    changed: set[str] | None  # entries whose files changed, when the structure is the recorded one
    partial: bool  # the model holds only some outputs; the rest keep their recorded fingerprints
    model_kept: bool  # the cache keeps the model of this structure for this output (pagestore.py)


@dataclass
class _Build:
    config: Config
    options: tuple[bool, bool, dt.date | None, bool]  # drafts, future, today, preview
    cache: CacheDir
    jobs: int
    progress: Progress | None = None

    def build(self, ref: RefData | None) -> BuildReport:
        config, cache = self.config, self.cache
        sources = entrystore.scan(config.content, cache.digests)
        templates = _tree(config.templates, cache.digests)  # templates/static/** is copied as static/**
        static = {rel: (path, d) for rel, path, d in templates if rel.startswith("static/")}
        template_digests = {rel: d for rel, _, d in templates}
        settings_key = digest(repr((config, self.options)).encode())
        settings = digest(repr((cache.key, settings_key, list(template_digests.items()))).encode())
        inputs = digest(settings + repr([(s.display, s.digest) for s in sources]).encode())
        state = cache.state(config.output)
        output = Output(config.output, state.live if state else None, state.spare if state else None)
        if state and state.inputs == inputs and output.is_current():
            entries, _, pages, feeds, _ = state.report
            return BuildReport(*state.report, seconds=0, explanation=Explanation(
                "nothing changed since the last build", 0, len(sources), (0, pages), (0, feeds)))
        ref = ref or load()
        scope = self._quick(sources, state, settings, output, ref) if state else None
        if scope is None:
            scope = self._full(sources, state, settings, ref)
        changes = compare(settings_key, state.config, template_digests, state.templates, scope.file_digests,
                          state.entry_digests) if state else None
        report, fps, (live, spare) = self.render(scope, ref, output, state, static, changes)
        # The site is published: from here a failure (a full disk) costs the next build time, so
        # it is a warning, never a failed build.
        try:
            if not scope.model_kept and scope.changed is not None:
                # The second build of one structure (an edit that moved nothing) keeps the model for
                # the edits after it: builds that add or move entries, cold ones included, do not pay.
                from digest.incremental import pagestore  # here: the cold and the quick build keep no model
                from digest.site.render import output_files
                pagestore.save(cache.model_folder(config.output, scope.structure), cache.key, scope.model,
                               output_files)
                scope.model_kept = True
            cache.save(config.output, OutputState(inputs, scope.structure, scope.file_digests, settings_key,
                                                  template_digests, (report.entries, report.skipped, report.pages,
                                                                     report.feeds, report.files),
                                                  fps, live, spare, settings, scope.sources, scope.model_kept))
        except OSError as exc:
            cache.forget(config.output)
            problem = failure(exc, cache.folder)
            return dataclasses.replace(report, warnings=(
                *report.warnings, f"{problem.path}: {problem.message}; the site was published, but the cache "
                                  "was not saved (the next build starts afresh)"))
        return report

    def _full(self, sources: list[entrystore.Source], state: OutputState | None, settings: bytes, ref: RefData
              ) -> _Scope:
        """Every entry, the whole site model, and which entries changed when its structure did not."""
        from digest.site.model import build_model  # here: a build with nothing to do never imports it

        cache = self.cache
        loaded = entrystore.load(sources, ref, cache.entries, self.jobs, self._step("parse", len(sources)))
        cache.bodies.keep_only(set(loaded.body_digests.values()))
        structure = digest(settings + loaded.structure)
        changed = None
        if state and state.structure == structure:
            changed = {i for i, d in loaded.file_digests.items() if state.entry_digests.get(i) != d}
        drafts, future, today, _ = self.options
        entries = [e for e in loaded.entries if is_public(e, today, drafts, future)]
        model = build_model(entries, self.config, ref)  # type: ignore[arg-type]
        kept = bool(state and state.model_kept and state.structure == structure)
        return _Scope(model, (len(entries), len(loaded.entries) - len(entries), len(model.pages), len(model.feeds) * 2),
                      structure, loaded.file_digests, loaded.body_digests, {s.display: s.digest for s in sources},
                      loaded.parsed, changed, False, kept)

    def _quick(self, sources: list[entrystore.Source], state: OutputState, settings: bytes, output: Output,
               ref: RefData) -> _Scope | None:
        """The outputs an edit of a few entries touches, when the last build kept its model (quick.py)."""
        cache = self.cache
        if not state.model_kept or state.settings != settings or not output.is_current() \
                or not output.holds_all(state.fps.keys()):
            return None
        from digest.incremental import quick  # here: only an edit needs it

        edit = quick.prepare(sources, state, cache.model_folder(self.config.output, state.structure), cache.key,
                             cache.entries, ref)
        if edit is None:
            return None
        edit.teach(cache.entries, cache.bodies)
        return _Scope(edit.model, state.report[:4], state.structure, edit.file_digests,  # type: ignore[arg-type]
                      edit.body_digests, edit.sources, len(edit.updates), None, True, True)

    def _step(self, label: str, total: int) -> Callable[[int], None] | None:
        """The progress callback of one step, if anyone listens."""
        progress = self.progress
        return None if progress is None else lambda done: progress(label, done, total)

    def _reason(self, output: Output, changes: Changes | None) -> str:
        if self.cache.clean:
            return "--clean: cold build, cache ignored"
        if changes is None:
            return "no cache: cold build"
        return summary(changes) if output.is_current() else f"{output.live_path.name}/ is not the folder the cache " \
                                                              "knows: every file checked"

    def render(self, scope: _Scope, ref: RefData, output: Output, state: OutputState | None,
               static: dict[str, tuple[Path, bytes]], changes: Changes | None
               ) -> tuple[BuildReport, dict[str, bytes], tuple[Tree, Tree | None]]:
        """Render what changed into the spare folder and swap it in: (report, fingerprints, folders)."""
        # Imported here: a build with nothing to do never pays for importing Jinja and the renderers.
        from digest.incremental import outputs
        from digest.incremental.deps import TemplateKeys
        from digest.site.markup import Bodies
        from digest.site.render import CompiledTemplates, Renderer

        preview = self.options[3]
        compiled = None if self.cache.clean else CompiledTemplates(self.cache.folder / "jinja", self.cache.key)
        renderer = Renderer(self.config, ref, preview, Bodies(self.cache.bodies, scope.body_digests), compiled)
        keys = TemplateKeys(renderer.env, renderer.global_inputs, self.config, self.cache.template_reads)
        recorded = state.fps if state else {}
        site = outputs.plan(scope.model, renderer, keys, scope.file_digests, {} if scope.partial else static,
                            recorded, output, scope.changed)
        if scope.partial:
            outputs.keep_recorded(site, recorded, output)
        previous = output.live.files if output.live else {}
        indexed = search.kept(output.spare.files) if self.config.search and output.spare else set()
        work = output.open_work(set(site.fps) | indexed)
        try:
            files = outputs.write(site, renderer, work, output, self.jobs, self._step("render", len(site.jobs)))
            if self.config.search:
                files.update(search.reuse(work, files, output) or search.index(work))
            work.mark()
            work.prune({*files, MARKER})
        except BaseException:
            output.discard(work)
            raise
        report = BuildReport(*scope.counts, len(files), 0, len(files.items() - previous.items()),
                             warnings=(secret().problem,) if secret().problem else ())
        explanation = self._explain(report, scope, site, keys.templates_read, changes, output)
        explanation = dataclasses.replace(explanation, removed=len(previous.keys() - files.keys() - {MARKER}))
        return dataclasses.replace(report, explanation=explanation), site.fps, output.publish(work)

    def _explain(self, report: BuildReport, scope: _Scope, site: outputs.Plan,
                 reads: Callable[[str], set[str]], changes: Changes | None, output: Output) -> Explanation:
        """What this build rendered again, and why."""
        rendered = (("page", 1, job.page.template, job.page.shown, job.new) if job.page else
                    ("feed", len(job.rels), None, job.feed.items, job.new)  # type: ignore[union-attr]
                    for job in site.jobs)  # read only when there are causes to tell
        pages = sum(1 for job in site.jobs if job.page)
        feeds = sum(len(job.rels) for job in site.jobs if job.feed)
        return Explanation(self._reason(output, changes), scope.parsed, report.entries + report.skipped - scope.parsed,
                           (pages, report.pages - pages), (feeds, report.feeds - feeds),
                           causes(changes, rendered, reads) if changes and output.is_current() else (),
                           written=report.changed)
