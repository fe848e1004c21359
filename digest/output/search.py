"""Full-text search: a Pagefind index of the article pages, made inside the site being built.

Pagefind (the `pagefind_bin` wheel ships its binary) reads the built HTML, stems words by the
page language (`lang="id"`: Indonesian, so "pengamanan" also finds "mengamankan") and writes a
static index and its search UI under /pagefind/, which /cari/ loads: search then works from
any static server, offline, with no service behind it. It indexes only what templates mark
with data-pagefind-body (the article) and data-pagefind-filter (province, stage, election).

Pagefind 1.x writes its filter files, and the list of them in its meta index, in hash-map
order, so two runs over the same pages differ; `_normalise` sorts them and renames them by
their content, so the same content still gives a byte-identical site. (Its words, fragments
and page order are already stable.)

The index runs on the folder being built, before the swap, so the live site's index always
matches its pages. When none of the pages it reads changed (a template, setting or listing
edit), the live site's bundle is reused; otherwise Pagefind runs again, and as it names its
fragments by their content, only the files that differ are rewritten.
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
from pathlib import Path
from typing import Any

from digest import urls
from digest.errors import DigestError, Problem
from digest.output.cache import digest
from digest.output.writer import Output, WorkTree

FOLDER = urls.pagefind("").strip("/")  # the index and the UI
ARTICLES = urls.ARTICLES.lstrip("/")  # articles carry data-pagefind-body
SEARCH_PAGE = urls.SEARCH.lstrip("/") + "index.html"  # keeps a site with no articles indexable
GLOB = f"{{{ARTICLES}**/*.html,{SEARCH_PAGE}}}"


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


def _indexed(files: Mapping[str, bytes | None]) -> dict[str, bytes | None]:
    """The files Pagefind reads (see GLOB): the index is a function of these alone."""
    return {rel: d for rel, d in files.items() if rel.startswith(ARTICLES) or rel == SEARCH_PAGE}


def reuse(work: WorkTree, files: dict[str, bytes], output: Output) -> dict[str, bytes] | None:
    """The live site's bundle, linked into `work`, when every page Pagefind reads is unchanged
    (a template, setting or listing edit): Pagefind takes longer than the rest of the build to
    index a large site again (README, Speed)."""
    live = output.live.files if output.live else {}
    bundle = {rel: d for rel, d in live.items() if rel.startswith(FOLDER + "/")}
    if not bundle or None in bundle.values() or _indexed(files) != _indexed(live):
        return None
    for rel, d in bundle.items():
        work.link_if_changed(rel, d, output.live_path)  # type: ignore[arg-type]
    return bundle  # type: ignore[return-value]


def index(work: WorkTree) -> dict[str, bytes]:
    """Index the pages in `work`, put the bundle into it; return every bundle file's digest."""
    bundle = work.path / ".pagefind-new"  # inside the folder being built: a killed build leaves nothing behind
    command = [_executable(), "--site", str(work.path), "--glob", GLOB, "--output-path", str(bundle), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
                              check=False)
        failure = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"] if done.returncode else []
    except OSError as exc:
        failure = [str(exc)]
    try:
        if failure:
            raise DigestError(Problem("pagefind", 0, f"search index failed: {failure[0]}; build with --no-search "
                                      "to publish without search"))
        _normalise(bundle)
        made: dict[str, bytes] = {}
        for root, dirs, names in os.walk(bundle):
            dirs.sort()
            for name in sorted(names):
                path = Path(root) / name
                rel = f"{FOLDER}/{path.relative_to(bundle).as_posix()}"
                data = path.read_bytes()
                made[rel] = d = digest(data)
                work.write_if_changed(rel, d, functools.partial(bytes, data))  # the bytes read, not the loop's last
    finally:
        shutil.rmtree(bundle, ignore_errors=True)
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
