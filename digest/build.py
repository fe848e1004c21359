"""The build pipeline: files -> entries -> site model -> rendered files -> swapped-in output.

Builds are incremental: the cache (cachedir.py) remembers parsed entries, rendered bodies and
what every output file was made from, so a build parses only changed files, renders only pages
whose inputs changed and writes only files whose bytes changed, and a build whose inputs did not
change at all returns at once. The output is byte-identical to a clean build either way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import time
from dataclasses import astuple, dataclass
from pathlib import Path

from digest import entrystore, parallel, search
from digest.cache import digest
from digest.cachedir import NAME, CacheDir, OutputState
from digest.config import Config
from digest.entry import Entry
from digest.filedigests import FileDigests
from digest.refdata import RefData, load
from digest.writer import Output, Tree, check_output_dir


@dataclass(frozen=True)
class BuildReport:
    entries: int
    skipped: int
    pages: int
    feeds: int
    files: int
    seconds: float
    changed: int = 0  # files whose bytes differ from the previous site


def is_public(entry: Entry, today: dt.date | None, drafts: bool = False, future: bool = False) -> bool:
    """Drafts, and entries published after `today` (scheduled), stay off the site unless asked."""
    if entry.draft and not drafts:
        return False
    scheduled = today is not None and entry.published is not None and entry.published.date() > today
    return future or not scheduled


def default_cache_dir(config: Config) -> Path:
    """`.digest-cache/` beside the content folder."""
    return config.content.absolute().parent / NAME


def _tree(folder: Path, digests: FileDigests) -> list[tuple[str, Path, bytes]]:
    """Every file under `folder` (sorted, as os.walk finds them): (relative path, path, digest)."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            found.append((path.relative_to(folder).as_posix(), path,
                          digests.of(str(path.absolute()), path.stat(), path.read_bytes)))
    return found


def build(config: Config, *, drafts: bool = False, future: bool = False, today: dt.date | None = None,
          preview: bool = False, ref: RefData | None = None, config_path: Path | None = None,
          clean: bool = False, jobs: int | None = None, cache_dir: Path | None = None) -> BuildReport:
    """Build the whole site; raises DigestError (output untouched) on any invalid input.

    `today` decides what counts as scheduled; without it nothing is held back as future, so a
    build with no clock involved stays reproducible. `clean` ignores the cache (it is rewritten);
    `jobs` caps the worker processes (default: one per core).
    """
    start = time.perf_counter()
    cache_dir = cache_dir or default_cache_dir(config)
    check_output_dir(config.output, [p for p in (config.content, config.templates, config_path, cache_dir) if p])
    gc.disable()  # a build allocates many long-lived objects and frees them all at exit
    try:
        run = _Build(config, (drafts, future, today, preview), CacheDir(cache_dir, clean),
                     jobs or parallel.default_jobs())
        report = run.build(ref)
    finally:
        gc.enable()
    return dataclasses.replace(report, seconds=time.perf_counter() - start)


@dataclass
class _Build:
    config: Config
    options: tuple[bool, bool, dt.date | None, bool]  # drafts, future, today, preview
    cache: CacheDir
    jobs: int

    def build(self, ref: RefData | None) -> BuildReport:
        config, cache = self.config, self.cache
        sources = entrystore.scan(config.content, cache.digests)
        templates = _tree(config.templates, cache.digests)  # templates/static/** is copied as static/**
        static = {rel: (path, d) for rel, path, d in templates if rel.startswith("static/")}
        settings = digest(repr((cache.key, config, self.options, [(rel, d) for rel, _, d in templates])).encode())
        inputs = digest(settings + repr([(s.display, s.digest) for s in sources]).encode())
        state = cache.state(config.output)
        output = Output(config.output, state.live if state else None, state.spare if state else None)
        if state and state.inputs == inputs and output.is_current():
            return BuildReport(*state.report, seconds=0)
        ref = ref or load()
        loaded = entrystore.load(sources, ref, cache.entries, self.jobs)  # a failed build writes no cache either
        structure = digest(settings + loaded.structure)
        changed = None
        if state and state.structure == structure:
            changed = {i for i, d in loaded.file_digests.items() if state.entry_digests.get(i) != d}
        report, fps, (live, spare) = self.render(loaded, ref, output, state.fps if state else {}, static, changed)
        cache.bodies.keep_only(set(loaded.body_digests.values()))
        cache.save(config.output, OutputState(inputs, structure, loaded.file_digests, astuple(report)[:5], fps,
                                              live, spare))
        return report

    def render(self, loaded: entrystore.Loaded, ref: RefData, output: Output, recorded: dict[str, bytes],
               static: dict[str, tuple[Path, bytes]], changed: set[str] | None
               ) -> tuple[BuildReport, dict[str, bytes], tuple[Tree, Tree | None]]:
        """Render what changed into the spare folder and swap it in: (report, fingerprints, folders)."""
        # Imported here: a build with nothing to do never pays for importing Jinja and the renderers.
        from digest import outputs
        from digest.deps import TemplateKeys
        from digest.markup import Bodies
        from digest.render import CompiledTemplates, Renderer
        from digest.sitemodel import build_model

        drafts, future, today, preview = self.options
        entries = [e for e in loaded.entries if is_public(e, today, drafts, future)]
        model = build_model(entries, self.config, ref)  # type: ignore[arg-type]
        compiled = None if self.cache.clean else CompiledTemplates(self.cache.folder / "jinja", self.cache.key)
        renderer = Renderer(self.config, ref, preview, Bodies(self.cache.bodies, loaded.body_digests), compiled)
        keys = TemplateKeys(renderer.env, renderer.global_inputs, self.config, self.cache.template_reads)
        site = outputs.plan(model, renderer, keys, loaded.file_digests, static, recorded, output, changed)
        previous = output.live.files if output.live else {}
        indexed = search.kept(output.spare.files) if self.config.search and output.spare else set()
        work = output.open_work(set(site.fps) | indexed)
        try:
            files = outputs.write(site, renderer, work, output, self.jobs)
            if self.config.search:
                files.update(search.index(work))
            work.prune(set(files))
        except BaseException:
            output.discard(work)
            raise
        report = BuildReport(len(entries), len(loaded.entries) - len(entries), len(model.pages), len(model.feeds) * 2,
                             len(files), 0, sum(1 for rel, d in files.items() if previous.get(rel) != d))
        return report, site.fps, output.publish(work)
