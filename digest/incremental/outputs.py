"""Site model -> the files of the new site, rendering only outputs whose inputs changed.

Every output file has a fingerprint of its inputs (see fingerprint.py and deps.py). A file whose
fingerprint equals the one recorded for the live site is not rendered: the live file is reused.
The others are rendered, on every core when there are many, and each file is written only where
the folder being filled (writer.WorkTree) holds different bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from digest.incremental import parallel
from digest.incremental.deps import TemplateKeys
from digest.incremental.fingerprint import Fingerprinter
from digest.output.cache import digest
from digest.output.writer import Output, WorkTree, check_relative
from digest.site.model import EntryView, Feed, Page, SiteModel
from digest.site.render import Renderer, output_files


@dataclass
class Job:
    """One page or one feed to render, and the files it makes."""

    rels: tuple[str, ...]
    page: Page | None = None
    feed: Feed | None = None
    new: bool = False  # no earlier build recorded this output
    made: Made | None = None  # the file, made already


@dataclass(frozen=True)
class Made:
    """A file the quick path made itself (the open data, edited rows replaced in the last build's
    file): the page it stands for (URL, template, the edited entries it shows) and its bytes."""

    page: Page
    data: bytes

    @functools.cached_property
    def digest(self) -> bytes:
        """Of the data: hashed once, by the plan, before workers fork (the file can be 100 MB)."""
        return digest(self.data)


@dataclass
class Plan:
    fps: dict[str, bytes] = field(default_factory=dict)  # every output file -> fingerprint
    kept: dict[str, bytes] = field(default_factory=dict)  # file -> digest, reused from the live site
    static: dict[str, tuple[Path, bytes]] = field(default_factory=dict)  # file -> (source, digest)
    jobs: list[Job] = field(default_factory=list)  # what must be rendered


def plan(model: SiteModel, renderer: Renderer, keys: TemplateKeys, *, entry_digests: dict[str, bytes],
         static: dict[str, tuple[Path, bytes]], recorded: dict[str, bytes], output: Output,
         changed: set[str] | None, made: tuple[Made, ...] = ()) -> Plan:
    """Which files the site has, and which of them must be rendered.

    `changed` is given when the site's structure is that of the recorded build (see
    site.model.STRUCTURE): the ids of the entries whose files changed. Then only outputs that
    show one of them can have a new fingerprint, and the others keep their recorded one. A file
    `made` already has the digest of its bytes for a fingerprint: equal only for equal bytes (a
    later full build fingerprints its page and renders it once more, to the same bytes).
    """
    fingerprint = Fingerprinter(entry_digests)
    result = Plan(static=dict(static))
    result.fps = {rel: d for rel, (_, d) in static.items()}

    def add(rels: tuple[str, ...], shown: Iterable[EntryView], fingerprint_of: Callable[[], bytes], job: Job) -> None:
        known = recorded.get(rels[0])
        job.new = known is None
        if known is None or changed is None or any(v.entry.id in changed for v in shown):
            known = fingerprint_of()
        for rel in rels:
            result.static.pop(rel, None)
            result.fps[check_relative(rel)] = known
        live = [output.live_digest(rel) if recorded.get(rel) == known else None for rel in rels]
        if None in live:
            result.jobs.append(job)
        else:
            result.kept.update(zip(rels, live, strict=True))  # type: ignore[arg-type]

    def page_fingerprint(page: Page) -> bytes:
        template_key = renderer.made_key(page.template)  # share images and open data: drawn by code
        if template_key is None:
            try:
                template_key = keys.key(page.template)
            except jinja2.TemplateError as exc:
                raise renderer.error(exc, page) from None
        return fingerprint.page(template_key, page)

    for page in model.pages:
        rels = output_files(page)
        add(rels, page.shown, functools.partial(page_fingerprint, page), Job(rels, page=page))
    config = renderer.config
    feed_inputs = (config.base_url, config.description, config.language)
    for feed in model.feeds:
        rels = output_files(feed)
        add(rels, feed.items, functools.partial(fingerprint.feed, feed_inputs, feed), Job(rels, feed=feed))
    for file in made:
        rels = output_files(file.page)
        add(rels, file.page.shown, functools.partial(digest, b"made\0" + file.digest),
            Job(rels, page=file.page, made=file))
    return result


def keep_recorded(site: Plan, recorded: dict[str, bytes], output: Output) -> None:
    """Add to a plan of some outputs (the quick path) every other recorded file, kept as the live
    site holds it."""
    live = output.live.files if output.live else {}
    planned = site.fps
    site.kept.update({rel: live[rel] for rel in recorded if rel not in planned})  # type: ignore[misc]
    site.fps = {**recorded, **planned}


def _render(job: Job, renderer: Renderer, work: WorkTree, output: Output
            ) -> tuple[list[tuple[str, bytes]], dict[bytes, str]]:
    """Render one job and write the files that differ from the folder's (linking the live site's
    file where it holds the same bytes); (file, digest) of each."""
    if job.made is not None:
        made = [(job.rels[0], job.made.data)]
    elif job.page is not None:
        made = [(job.rels[0], renderer.page(job.page))]
    else:
        made = list(zip(job.rels, renderer.feed(job.feed), strict=True))  # type: ignore[arg-type]
    out = []
    for rel, data in made:
        d = job.made.digest if job.made else digest(data)
        if work.needs(rel, d):
            same = output.holding(rel, d, data)
            if same is None:
                work.put(rel, data)
            else:
                work.link(rel, same)
        out.append((rel, d))
    return out, renderer.bodies.take_fresh()


def write(site: Plan, renderer: Renderer, work: WorkTree, output: Output, *, jobs: int,
          progress: Callable[[int], None] | None = None) -> dict[str, bytes]:
    """Fill `work` with the new site; return every file's digest (bodies converted go to the cache).
    `progress(n)` hears of every n jobs rendered."""
    pages = [j.page for j in site.jobs if j.page is not None and j.made is None]
    renderer.prepare(pages)
    renderer.bodies.preload([p.context["item"].entry.id for p in pages if p.template == "entry.html"])
    results = parallel.run(lambda i: _render(site.jobs[i], renderer, work, output), len(site.jobs), jobs, progress)
    files: dict[str, bytes] = {}
    for made, bodies in results:
        files.update(made)
        renderer.bodies.store(bodies)
    work.files.update(files)
    held = work.files
    for rel, d in site.kept.items():
        if held.get(rel) != d:  # most are in the folder already
            work.link_if_changed(rel, d, output.live_path)
    for rel, (source, d) in site.static.items():
        work.write_if_changed(rel, d, source.read_bytes)
    return {**files, **site.kept, **{rel: d for rel, (_, d) in site.static.items()}}
