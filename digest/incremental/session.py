"""The one door to the incremental machinery: everything a build asks of the cache.

A build opens a Session on its output folder, asks whether anything changed (`unchanged`), which
entries and outputs to work from (`scope`: the quick path of an edit, else every entry), to plan
and render what changed (`renderer`, `plan`, `write`, `explain`), and finally to remember what it
made (`save`). Behind the door: the cache folder (cachedir.py), parsed entries (entrystore.py),
file digests, the kept model (pagestore.py, quick.py), fingerprints and the plan (outputs.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from digest.config import Config
from digest.errors import DigestError, Problem, failure
from digest.incremental import entrystore
from digest.incremental.cachedir import CacheDir, Counts, OutputState
from digest.incremental.explain import Changes, Explanation, causes, compare, summary
from digest.incremental.filedigests import FileDigests
from digest.output.cache import digest
from digest.output.writer import Output, Tree, WorkTree
from digest.reference.refdata import RefData

if TYPE_CHECKING:  # imported where used: a build with nothing to do never loads them
    from digest.content.entry import Entry
    from digest.incremental.deps import TemplateKeys
    from digest.incremental.outputs import Made, Plan
    from digest.site.model import SiteModel
    from digest.site.render import Renderer


@dataclass
class Scope:
    """What a build renders from: the whole model, or (quick path) the outputs an edit touches."""

    model: SiteModel
    counts: Counts  # the whole site's, files aside
    structure: bytes  # see site.model.STRUCTURE
    file_digests: dict[str, bytes]  # entry id -> digest of its file, every entry
    body_digests: dict[str, bytes]  # entry id -> digest of its body, every entry shown
    sources: dict[str, bytes | None]  # content file -> digest
    parsed: int  # entries parsed from their files
    changed: set[str] | None  # entries whose files changed, when the structure is the recorded one
    partial: bool  # the model holds only some outputs; the rest keep their recorded fingerprints
    model_kept: bool  # the cache keeps the model of this structure for this output (pagestore.py)
    made: tuple[Made, ...] = ()  # files the quick path made itself (outputs.Made)


@dataclass(frozen=True)
class _Inputs:
    """What this build reads, by digest."""

    sources: list[entrystore.Source]
    static: dict[str, tuple[Path, bytes]]  # templates/static/** -> (file, digest), published as static/**
    templates: dict[str, bytes]  # template file -> digest
    settings_key: bytes  # configuration and build options
    settings: bytes  # code, configuration, options and templates
    key: bytes  # all of it and every content file: unchanged means nothing to do


def open_session(config: Config, cache_dir: Path, *, clean: bool, options: object) -> Session:
    """The cache of `cache_dir` for a build of `config` with `options` (whose repr keys the cache);
    `clean` reads nothing and writes a fresh cache."""
    return Session(config, CacheDir(cache_dir, clean), options)


class Session:
    """One build's view of the cache of its output folder."""

    def __init__(self, config: Config, cache: CacheDir, options: object):
        self.config, self.cache = config, cache
        self.state: OutputState | None = cache.state(config.output)
        self.output = Output(config.output, self.state.live if self.state else None,
                             self.state.spare if self.state else None)
        self.inputs = self._read_inputs(options)

    def _read_inputs(self, options: object) -> _Inputs:
        cache, config = self.cache, self.config
        sources = entrystore.scan(config.content, cache.digests)
        tree = _tree(config.templates, cache.digests)
        templates = {rel: d for rel, _, d in tree}
        settings_key = digest(repr((config, options)).encode())
        settings = digest(repr((cache.key, settings_key, list(templates.items()))).encode())
        key = digest(settings + repr([(s.display, s.digest) for s in sources]).encode())
        static = {rel: (path, d) for rel, path, d in tree if rel.startswith("static/")}
        return _Inputs(sources, static, templates, settings_key, settings, key)

    def unchanged(self) -> tuple[Counts, Explanation] | None:
        """The last build's counts, when no input changed since and its site is still the live one."""
        state = self.state
        if not state or state.inputs != self.inputs.key or not self.output.is_current():
            return None
        report = state.report
        return report, Explanation("nothing changed since the last build", 0, len(self.inputs.sources),
                                   (0, report.pages), (0, report.feeds))

    def scope(self, ref: RefData, jobs: int, shown: Callable[[Entry], bool],
              progress: Callable[[int], None] | None) -> Scope:
        """The quick path's outputs when an edit allows it, else every entry `shown` keeps."""
        return self._quick(ref) or self._full(ref, jobs, shown, progress)

    def _full(self, ref: RefData, jobs: int, shown: Callable[[Entry], bool],
              progress: Callable[[int], None] | None) -> Scope:
        """Every entry, the whole site model, and which entries changed when its structure did not."""
        from digest.site.model import build_model  # here: a build with nothing to do never imports it

        cache, state, sources = self.cache, self.state, self.inputs.sources
        loaded = entrystore.load(sources, ref, cache.entries, jobs, progress)
        cache.bodies.keep_only(set(loaded.body_digests.values()))
        structure = digest(self.inputs.settings + loaded.structure)
        changed = None
        if state and state.structure == structure:
            changed = {i for i, d in loaded.file_digests.items() if state.entry_digests.get(i) != d}
        entries = [e for e in loaded.entries if shown(e)]  # type: ignore[arg-type]  # StoredEntry reads as Entry
        model = build_model(entries, self.config, ref)  # type: ignore[arg-type]
        counts = Counts(entries=len(entries), skipped=len(loaded.entries) - len(entries), pages=len(model.pages),
                        feeds=len(model.feeds) * 2)
        return Scope(model=model, counts=counts, structure=structure, file_digests=loaded.file_digests,
                     body_digests=loaded.body_digests, sources={s.display: s.digest for s in sources},
                     parsed=loaded.parsed, changed=changed, partial=False,
                     model_kept=bool(state and state.model_kept and state.structure == structure))

    def _quick(self, ref: RefData) -> Scope | None:
        """The outputs an edit of a few entries touches, when the last build kept its model (quick.py)."""
        cache, state = self.cache, self.state
        if not state or not state.model_kept or state.settings != self.inputs.settings \
                or not self.output.is_current() or not self.output.holds_all(state.fps.keys()):
            return None
        from digest.incremental import quick  # here: only an edit needs it
        from digest.site.opendata import Rows

        edit = quick.prepare(self.inputs.sources, state, store_folder=cache.model_folder(self.config.output,
                                                                                         state.structure),
                             cache_key=cache.key, entries=cache.entries, ref=ref,
                             rows=Rows(cache.rows, {}, self.config.absolute), live=self.output.live_path)
        if edit is None:
            return None
        edit.teach(cache.entries, cache.bodies)
        return Scope(model=edit.model, counts=state.report, structure=state.structure, file_digests=edit.file_digests,
                     body_digests=edit.body_digests, sources=edit.sources, parsed=len(edit.updates), changed=None,
                     partial=True, model_kept=True, made=tuple(edit.made))

    def changes(self, scope: Scope) -> Changes | None:
        """What changed since the last build of this output (None: there was none)."""
        state = self.state
        if not state:
            return None
        return compare(config=self.inputs.settings_key, old_config=state.config, templates=self.inputs.templates,
                       old_templates=state.templates, entries=scope.file_digests, old_entries=state.entry_digests)

    def renderer(self, scope: Scope, ref: RefData, preview: bool) -> tuple[Renderer, TemplateKeys]:
        """The renderer, with the cache's compiled templates and converted bodies, and what its
        templates read."""
        # Imported here: a build with nothing to do never pays for importing Jinja and the renderers.
        from digest.incremental.deps import TemplateKeys
        from digest.site.markup import Bodies
        from digest.site.opendata import Rows
        from digest.site.render import CompiledTemplates, Renderer

        cache = self.cache
        compiled = CompiledTemplates(cache.folder / "jinja", cache.key, fresh=cache.clean)
        renderer = Renderer(self.config, ref, preview, Bodies(cache.bodies, scope.body_digests), compiled,
                            rows=Rows(cache.rows, scope.file_digests, self.config.absolute))
        return renderer, TemplateKeys(renderer.env, renderer.global_inputs, self.config, cache.template_reads)

    def plan(self, scope: Scope, renderer: Renderer, keys: TemplateKeys) -> Plan:
        """Every file of the site with its fingerprint, and the jobs to render those that changed."""
        from digest.incremental import outputs

        recorded = self.state.fps if self.state else {}
        site = outputs.plan(scope.model, renderer, keys, entry_digests=scope.file_digests,
                            static={} if scope.partial else self.inputs.static, recorded=recorded, output=self.output,
                            changed=scope.changed, made=scope.made)
        if scope.partial:
            outputs.keep_recorded(site, recorded, self.output)
        return site

    def write(self, site: Plan, renderer: Renderer, work: WorkTree, jobs: int,
              progress: Callable[[int], None] | None) -> dict[str, bytes]:
        """Render the plan's jobs into `work`, link the rest; every file's digest."""
        from digest.incremental import outputs

        return outputs.write(site, renderer, work, self.output, jobs=jobs, progress=progress)

    def explain(self, scope: Scope, site: Plan, reads: Callable[[str], set[str]], changes: Changes | None, *,
                written: int) -> Explanation:
        """What this build rendered again, and why."""
        rendered = (("page", 1, job.page.template, job.page.shown, job.new) if job.page else
                    ("feed", len(job.rels), None, job.feed.items, job.new)  # type: ignore[union-attr]
                    for job in site.jobs)  # read only when there are causes to tell
        pages = sum(1 for job in site.jobs if job.page)
        feeds = sum(len(job.rels) for job in site.jobs if job.feed)
        current, counts = self.output.is_current(), scope.counts
        told = causes(changes, rendered, reads) if changes and current else ()
        return Explanation(self._reason(changes, current), scope.parsed,
                           counts.entries + counts.skipped - scope.parsed, (pages, counts.pages - pages),
                           (feeds, counts.feeds - feeds), told, written=written)

    def _reason(self, changes: Changes | None, current: bool) -> str:
        if self.cache.clean:
            return "--clean: cold build, cache ignored"
        if changes is None:
            return "no cache: cold build"
        return summary(changes) if current else f"{self.output.live_path.name}/ is not the folder the cache " \
                                                "knows: every file checked"

    def save(self, scope: Scope, counts: Counts, fps: dict[str, bytes], live: Tree, spare: Tree | None) -> str | None:
        """Remember this build once its site is published; a warning for the operator when the
        cache could not be saved (a full disk): that costs the next build time, never this one."""
        config, cache = self.config, self.cache
        try:
            if not scope.model_kept and scope.changed is not None:
                # The second build of one structure (an edit that moved nothing) keeps the model for
                # the edits after it: builds that add or move entries, cold ones included, do not pay.
                from digest.incremental import pagestore  # here: the cold and the quick build keep no model
                from digest.site.render import output_files
                pagestore.save(cache.model_folder(config.output, scope.structure), cache.key, scope.model,
                               output_files)
                scope.model_kept = True
            cache.save(config.output, OutputState(
                inputs=self.inputs.key, structure=scope.structure, entry_digests=scope.file_digests,
                config=self.inputs.settings_key, templates=self.inputs.templates, report=counts, fps=fps, live=live,
                spare=spare, settings=self.inputs.settings, sources=scope.sources, model_kept=scope.model_kept))
        except OSError as exc:
            cache.forget(config.output)
            problem = failure(exc, cache.folder)
            return f"{problem.path}: {problem.message}; the site was published, but the cache was not saved " \
                   "(the next build starts afresh)"
        return None


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
