"""Full-text search: a Pagefind index of the article pages, made inside the site being built.

Pagefind (the `pagefind_bin` wheel ships its binary) reads the built HTML, stems words by the
page language (`lang="id"`: Indonesian, so "pengamanan" also finds "mengamankan") and writes a
static index under /pagefind/, which /cari/ queries through Pagefind's JS API: search then works
from any static server, offline, with no service behind it. It indexes only what templates mark
with data-pagefind-body (title, summary, body), data-pagefind-filter (province, stage, election)
and data-pagefind-meta (date, links).

The index is split into shards, each a Pagefind bundle of its own that /cari/ merges at query
time (`mergeIndex`). An article's shard is fixed by its path, so an edit makes Pagefind index
again only the shard holding that article, not every article of the site; shards whose pages
Pagefind would read the same (the parts marked for it unchanged) are linked from the live site,
and the shards to redo run side by side, one Pagefind process per core. Shards are few: a phone
fetches each one's meta index and WebAssembly once.

Pagefind 1.x writes its filter files, and the list of them in its meta index, in hash-map
order, so two runs over the same pages differ; `_normalise` sorts them and renames them by
their content, so the same content still gives a byte-identical site. (Its words, fragments
and page order are already stable.)

The index runs on the folder being built, before the swap, so the live site's index always
matches its pages.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from digest import urls
from digest.errors import DigestError, Problem
from digest.output.cache import digest
from digest.output.writer import Output, WorkTree

FOLDER = urls.pagefind("").strip("/")  # the shards, and the list of them
SHARDS = urls.pagefind("shards.json").lstrip("/")  # the shard folders /cari/ merges, in order
ARTICLES = urls.ARTICLES.lstrip("/")  # articles carry data-pagefind-body
SEARCH_PAGE = urls.SEARCH.lstrip("/") + "index.html"  # keeps a site with no articles indexable
GLOB = f"{{{ARTICLES}**/*.html,{SEARCH_PAGE}}}"
SHARD_PAGES = 1500  # articles per shard before the shards double: an edit re-indexes about this many
MAX_SHARDS = 8  # a phone loads every shard's meta index and WebAssembly: beyond this, shards grow
COMPARED = 40  # changed pages of a shard compared with the live ones before it is indexed again
BUNDLE = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")  # what the JS API loads,
# with the meta index, WebAssembly and index/fragment/filter folders; Pagefind's UI files are not


def _executable() -> str:
    try:
        import pagefind_bin  # imported here: only builds with search pay for it
    except ImportError:
        raise DigestError(Problem("pagefind", 0, "search index: the pagefind_bin package is missing; "
                                  "reinstall digest, or build with --no-search")) from None
    return str(pagefind_bin.get_executable())


def kept(files: dict[str, bytes | None]) -> set[str]:
    """The index files of a previous generation: kept while the site is written, so that the
    fragments Pagefind makes again with the same bytes are not rewritten."""
    return {rel for rel in files if rel.startswith(FOLDER + "/")}


def shards(files: Mapping[str, bytes | None]) -> dict[str, dict[str, bytes | None]]:
    """The pages each shard indexes, by shard folder: an article's shard is chosen by a hash of
    its path, so it stays put while other articles come and go (until the number of shards
    doubles). The index is a function of these pages alone."""
    articles = sorted(rel for rel in files if rel.startswith(ARTICLES) and rel.endswith(".html"))
    count = 1
    while count < MAX_SHARDS and count * SHARD_PAGES < len(articles):
        count *= 2
    found: dict[str, dict[str, bytes | None]] = {}
    for rel in articles:
        shard = int(hashlib.sha1(rel.encode()).hexdigest()[:8], 16) % count
        found.setdefault(f"{FOLDER}/{shard}", {})[rel] = files[rel]
    return dict(sorted(found.items())) or {f"{FOLDER}/0": {SEARCH_PAGE: files.get(SEARCH_PAGE)}}


def index(work: WorkTree, files: Mapping[str, bytes | None], output: Output) -> dict[str, bytes]:
    """Put the index of the pages in `work` into it; return every index file's digest. A shard
    whose pages are those of the live site's shard is linked from there, the others are made
    again (Pagefind takes longer than the rest of the build to index a large site: README, Speed)."""
    live = output.live.files if output.live else {}
    before = shards(live)
    bundles: dict[str, dict[str, bytes | None]] = {}  # the live index files, by shard folder (one pass)
    for rel in kept(live):
        shard = rel[len(FOLDER) + 1:].split("/", 1)[0]
        bundles.setdefault(f"{FOLDER}/{shard}", {})[rel] = live[rel]
    made: dict[str, bytes] = {}
    redo: list[tuple[str, list[str]]] = []
    for folder, pages in shards(files).items():
        bundle = bundles.get(folder, {})
        if bundle and None not in bundle.values() and _same(pages, before.get(folder, {}), work.path,
                                                            output.live_path):
            for rel, d in bundle.items():
                work.link_if_changed(rel, d, output.live_path)  # type: ignore[arg-type]
            made.update(bundle)  # type: ignore[arg-type]
        else:
            redo.append((folder, sorted(pages)))
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # one Pagefind per core
            made_bundles = list(pool.map(lambda shard: _run(work, *shard), redo))
        for (folder, _), made_bundle in zip(redo, made_bundles, strict=True):
            made.update(_collect(work, folder, made_bundle))
    finally:
        for scratch in work.path.glob(".pagefind-*"):
            shutil.rmtree(scratch, ignore_errors=True)
    folders = sorted({rel.removeprefix(FOLDER + "/").split("/")[0] for rel in made}, key=int)
    listing = json.dumps([f"{name}/" for name in folders]).encode()
    made[SHARDS] = d = digest(listing)
    work.write_if_changed(SHARDS, d, lambda: listing)
    return made


def _same(pages: Mapping[str, bytes | None], live: Mapping[str, bytes | None], path: Path,
          live_path: Path | None) -> bool:
    """Whether Pagefind would index `pages` as it did the live shard's: the same pages, each with
    the same bytes or, when a few differ (a neighbour's title in the "newer/older" links), the
    same parts marked for Pagefind. Many changed pages (a template edit) are indexed again
    rather than compared."""
    if pages.keys() != live.keys() or live_path is None:
        return False
    changed = [rel for rel, d in pages.items() if d != live[rel]]
    return len(changed) <= COMPARED and all(_marked(path / rel) == _marked(live_path / rel) for rel in changed)


def _marked(page: Path) -> bytes:
    """What Pagefind reads of a page: its language and the elements marked data-pagefind-*."""
    import lxml.html  # imported here: only builds with search pay for it

    doc = lxml.html.fromstring(page.read_bytes())
    marked = doc.xpath("//*[@*[starts-with(name(), 'data-pagefind')]]")
    return b"\0".join([(doc.get("lang") or "").encode()] + [lxml.html.tostring(e, with_tail=False) for e in marked])


def _run(work: WorkTree, folder: str, pages: list[str]) -> Path:
    """Index one shard's pages (hard links to them, so Pagefind reads only these); the bundle made.
    Runs beside the other shards: it touches only its own scratch folder."""
    # inside the folder being built: a killed build leaves nothing behind
    scratch = work.path / f".pagefind-{folder.rsplit('/', 1)[1]}"
    site, bundle = scratch / "site", scratch / "bundle"
    for rel in pages:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(work.path / rel, site / rel)
    command = [_executable(), "--site", str(site), "--glob", GLOB, "--output-path", str(bundle), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
                              check=False)
        failure = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"] if done.returncode else []
    except OSError as exc:
        failure = [str(exc)]
    if failure:
        raise DigestError(Problem("pagefind", 0, f"search index failed: {failure[0]}; build with --no-search "
                                  "to publish without search"))
    _normalise(bundle)
    return bundle


def _collect(work: WorkTree, folder: str, bundle: Path) -> dict[str, bytes]:
    """Copy what the JS API loads from a shard's bundle into `folder`; every file's digest."""
    made: dict[str, bytes] = {}
    for root, dirs, names in os.walk(bundle):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.parent == bundle and name not in BUNDLE and not name.endswith((".pf_meta", ".pagefind")):
                continue  # Pagefind's own search UI: /cari/ has its own
            rel = f"{folder}/{path.relative_to(bundle).as_posix()}"
            data = path.read_bytes()
            made[rel] = d = digest(data)
            work.write_if_changed(rel, d, functools.partial(bytes, data))  # the bytes read, not the loop's last
    return made


MAGIC = b"pagefind_dcd"  # what every gunzipped index file starts with


def _load(path: Path) -> Any:
    import cbor2  # imported here: only builds with search pay for it

    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise DigestError(Problem(str(path), 0, "search index: unexpected Pagefind file format"))
    return cbor2.loads(raw[len(MAGIC):])


def _store(folder: Path, lang: str, suffix: str, size: int, value: Any) -> str:
    """Write `value` as Pagefind does, named by its content; return the new hash name."""
    import cbor2

    data = cbor2.dumps(value)
    name = f"{lang}_{hashlib.sha1(data).hexdigest()[:size]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(MAGIC + data, mtime=0))
    return name


def _normalise(bundle: Path) -> None:
    """Sort each filter's values and the meta index's filter list; rename what changed."""
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = _load(path)
        path.unlink()
        lang = path.stem.rsplit("_", 1)[0]
        renamed[path.stem] = _store(path.parent, lang, ".pf_filter", 7, [name, sorted(values)])
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _load(meta_path)
        meta_path.unlink()
        info["hash"] = _store(bundle, f"pagefind.{lang}", ".pf_meta", 10, _rename(meta, renamed))[len("pagefind."):]
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rename(value: Any, renamed: dict[str, str]) -> Any:
    """`value` with every filter file name replaced, and the list of [filter, file] pairs sorted."""
    if isinstance(value, str):
        return renamed.get(value, value)
    if not isinstance(value, list):
        return value
    items = [_rename(v, renamed) for v in value]
    pairs = items and all(isinstance(v, list) and len(v) == 2 and v[1] in renamed.values() for v in items)
    return sorted(items) if pairs else items
