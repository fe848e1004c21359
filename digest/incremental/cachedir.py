"""The cache folder (`.digest-cache/` beside the content folder) and what each of its files holds.

    files              path -> (stat, digest) of content, template and static files
    entries/NNN        file digest -> (parsed entry, body digest)
    bodies/NN          body digest -> rendered HTML
    rows/NN            file digest and root URL -> the entry's open data row (CSV, JSON)
    templates          template source digest -> what it reads (deps.TemplateKeys)
    jinja/             compiled templates
    outputs/<hash>     per output folder: the build's input key, each output file's fingerprint,
                       and what the live site and its previous generation hold
    model/<hash>/<structure>  per output folder: its pages and feeds, for quick edits (pagestore.py)

Each file is valid on its own (the first four are content-addressed; the last names the folders
it describes by inode), so a build killed between two writes leaves a cache that is merely older.
Every file is keyed by code_key(): a new digest version ignores an old cache.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import re
import shutil
import sys
import zlib
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from digest.incremental.filedigests import FileDigests, StatKey
from digest.output import cache
from digest.output.cache import Shelf
from digest.output.writer import Tree

NAME = ".digest-cache"
# An edit reads the entries its outputs list (a few hundred, each in a shard of its own): with
# the default shards that was most of the entry cache of a large site (README, Speed).
ENTRY_SHARDS = 4096
FORMAT = b"digest-cache-1"
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "feedgen", "lxml", "pyyaml", "pagefind_bin", "pillow")
PACKAGE = Path(__file__).parent.parent
# What a build never runs (tests/test_incremental.py checks that a build imports none of it):
# editing these keeps the cache. Everything else in the package, and the reference data, keys it,
# so a module that is moved or added is covered without a list to keep.
NOT_BUILD = ("__main__.py", "cli.py", "commands", "ingest", "serve")


def build_sources() -> list[Path]:
    """The files whose bytes shape a build's output: its modules and the reference data."""
    found = []
    for path in PACKAGE.rglob("*.*"):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] not in NOT_BUILD and "__pycache__" not in parts and (path.suffix == ".py" or parts[0] == "data"):
            found.append(path)
    return sorted(found)


def code_key() -> bytes:
    """Digest of all that shapes the output besides content, templates and options: the build's
    modules and reference data, the libraries that parse and render, Python and the zlib it deflates
    share images with, the cache format."""
    parts = [FORMAT, sys.version.encode(), zlib.ZLIB_RUNTIME_VERSION.encode()]
    parts += [f"{name}=={importlib.metadata.version(name)}".encode() for name in LIBRARIES]
    for path in build_sources():
        parts += [str(path.relative_to(PACKAGE)).encode(), cache.digest(path.read_bytes())]
    return cache.digest(b"\0".join(parts))


@dataclass(frozen=True)
class Counts:
    """How much a site holds: what a build reports, and a build with nothing to do repeats."""

    entries: int  # shown
    skipped: int  # drafts and scheduled entries left out
    pages: int
    feeds: int  # feed files (RSS and Atom each)
    files: int = 0  # every file of the site, once written


@dataclass
class OutputState:
    """What the last successful build of one output folder left."""

    inputs: bytes  # digest of every input: unchanged means nothing to do
    structure: bytes  # digest of what decides which pages exist and what they list (site.model.STRUCTURE)
    entry_digests: dict[str, bytes]  # entry id -> digest of its file
    config: bytes  # digest of the configuration and build options
    templates: dict[str, bytes]  # template file -> digest (these three say what changed, for --verbose)
    report: Counts
    fps: dict[str, bytes]  # output file -> fingerprint of what it shows
    live: Tree
    spare: Tree | None
    settings: bytes = b""  # digest of code, configuration, options and templates
    sources: dict[str, bytes | None] | None = None  # content file (as shown) -> digest (None: unreadable)
    model_kept: bool = False  # the cache keeps the model of this structure (pagestore.py)

    def __getstate__(self) -> dict:
        """The digest maps packed as names plus one string of digests each: the state is read and
        written by every build, and hundreds of thousands of small objects weighed on every edit.
        The fingerprints and the spare folder name the live site's files, mostly: they keep only
        their digests, in the live site's order (the names once, not three times)."""
        state = dict(self.__dict__)
        for name in ("entry_digests", "sources"):
            state[name] = _pack(state[name])
        live = self.live.files if self.live else None
        state["fps"] = _pack(self.fps, live)
        for name in ("live", "spare"):
            tree = state[name]
            state[name] = tree and (tree.ident, _pack(tree.files, live if name == "spare" else None))
        return state

    def __setstate__(self, state: dict) -> None:
        for name in ("entry_digests", "sources"):
            state[name] = _unpack(state[name])
        packed = state["live"]
        live = state["live"] = packed and Tree(packed[0], _unpack(packed[1]) or {})
        names = list(live.files) if live else None
        state["fps"] = _unpack(state["fps"], names)
        packed = state["spare"]
        state["spare"] = packed and Tree(packed[0], _unpack(packed[1], names) or {})
        self.__dict__.update(state)


_WIDTH = 16  # cache.digest
_UNKNOWN = b"\0" * _WIDTH  # stands for None (a file of an unknown folder) in a packed map
_ABSENT = b"\xff" * _WIDTH  # in a map packed by another's names: a name it does not have
_SEP = "\0"  # no path, URL or entry id holds it


def _pack(mapping: Mapping[str, bytes | None] | None, base: Mapping[str, bytes | None] | None = None) -> object:
    """(names joined, digests joined, whether any is None) for a map of digests; else as is.
    Two strings pickle in a fraction of the time of as many pairs as the site has files. Given a
    `base` map, (None, digests in its order, whether any is None, the other names packed)."""
    if mapping is None:
        return None
    if base is not None:
        values = list(map(mapping.get, base, repeat(_ABSENT)))
        rest = {k: mapping[k] for k in mapping.keys() - base.keys()}
    else:
        values, rest = list(mapping.values()), None
    unknown = None in values
    if unknown:
        values = [_UNKNOWN if v is None else v for v in values]
    if not set(map(len, values)) <= {_WIDTH}:  # type: ignore[arg-type]
        return mapping
    blob = b"".join(values)  # type: ignore[arg-type]
    if base is not None:
        return None, blob, unknown, _pack(rest)
    joined = _SEP.join(mapping)
    if joined.count(_SEP) != max(len(mapping) - 1, 0):
        return mapping
    return joined, blob, unknown


def _names(joined: str) -> list[str]:
    return joined.split(_SEP) if joined else []


_DIGEST = re.compile(b".{%d}" % _WIDTH, re.DOTALL)


def _digests(blob: bytes) -> list[bytes]:
    """The digests of a blob, in order (a regular expression cuts them faster than slicing in a loop)."""
    return _DIGEST.findall(blob)


def _absent(blob: bytes) -> list[int]:
    """Where a map packed by another's names has none: _ABSENT at a digest's place."""
    found = []
    at = blob.find(_ABSENT)
    while at >= 0:
        if at % _WIDTH:  # inside two digests that happen to hold the bytes
            at = blob.find(_ABSENT, at + 1)
            continue
        found.append(at // _WIDTH)
        at = blob.find(_ABSENT, at + _WIDTH)
    return found


def _unpack(packed: object, base: list[str] | None = None) -> dict[str, bytes | None] | None:
    """A map as _pack packed it; `base`: the names of the map it was packed by, if it was."""
    if not isinstance(packed, tuple):
        return packed  # type: ignore[return-value]  # a map _pack kept as is, or None
    joined, blob, unknown, *rest = packed
    digests = _digests(blob)
    values: list[bytes | None] | list[bytes] = [None if v == _UNKNOWN else v for v in digests] if unknown else digests
    if joined is not None:
        return dict(zip(_names(joined), values, strict=True))
    if base is None:
        raise ValueError("a map packed by another's names, without them")
    found = dict(zip(base, values, strict=True))
    for i in _absent(blob):
        del found[base[i]]
    found.update(_unpack(rest[0]) or {})
    return found


def _pack_stats(kept: dict[str, tuple[StatKey, bytes]]) -> tuple[str, bytes, bytes]:
    """File digests as (paths, their stat keys as 64-bit numbers, their digests): read every build."""
    stats = array("q", [n for key, _ in kept.values() for n in key])
    return _SEP.join(kept), stats.tobytes(), b"".join(d for _, d in kept.values())


def _unpack_stats(packed: tuple) -> dict[str, tuple[StatKey, bytes]] | None:
    try:
        joined, raw, blob = packed
        paths = _names(joined)
        stats = array("q")
        stats.frombytes(raw)
    except (TypeError, ValueError):
        return None
    if len(stats) != 4 * len(paths) or len(blob) != _WIDTH * len(paths):
        return None
    return dict(zip(paths, zip(zip(*[iter(stats)] * 4, strict=True), _digests(blob), strict=True), strict=True))


class CacheDir:
    def __init__(self, folder: Path, clean: bool = False):
        """`clean` (digest build --clean) reads nothing, and writes a fresh cache."""
        self.folder = folder
        self.key = code_key()
        self.clean = clean
        recorded = None if clean else cache.read(folder / "files", self.key)
        self.digests = FileDigests(_unpack_stats(recorded) if isinstance(recorded, tuple) else None)
        self.entries = Shelf(folder / "entries", self.key, fresh=clean, shards=ENTRY_SHARDS)
        self.bodies = Shelf(folder / "bodies", self.key, fresh=clean)
        self.rows = Shelf(folder / "rows", self.key, fresh=clean)
        reads = None if clean else cache.read(folder / "templates", self.key)
        self.template_reads: dict = reads if isinstance(reads, dict) else {}
        self._template_reads_known = len(self.template_reads)

    def _output_name(self, output: Path) -> str:
        return cache.digest(str(output.absolute()).encode()).hex()

    def _state_path(self, output: Path) -> Path:
        return self.folder / "outputs" / self._output_name(output)

    def model_folder(self, output: Path, structure: bytes) -> Path:
        """Where the model of `output` with this structure is kept (pagestore.py)."""
        return self.folder / "model" / self._output_name(output) / structure.hex()

    def state(self, output: Path) -> OutputState | None:
        found = None if self.clean else cache.read(self._state_path(output), self.key)
        return found if isinstance(found, OutputState) else None

    def forget(self, output: Path) -> None:
        """Drop what is recorded of `output` (its state could not be saved whole); never fails."""
        # On failure the old state stays; it names folders by inode, so it cannot mislead.
        with contextlib.suppress(OSError):
            self._state_path(output).unlink(missing_ok=True)

    def save(self, output: Path, state: OutputState) -> None:
        """After a successful build: what was learnt about the inputs, then the output's state."""
        self.entries.flush()
        self.bodies.flush()
        self.rows.flush()
        if self.digests.kept != self.digests.recorded:
            cache.write(self.folder / "files", self.key, _pack_stats(self.digests.kept))
        if len(self.template_reads) != self._template_reads_known:
            cache.write(self.folder / "templates", self.key, self.template_reads)
        cache.write(self._state_path(output), self.key, state)
        models = self.folder / "model" / self._output_name(output)
        if models.is_dir():  # stores of earlier structures (written before a state that named them)
            for other in models.iterdir():
                if not state.model_kept or other.name != state.structure.hex():
                    shutil.rmtree(other, ignore_errors=True)
        cache.sweep(self.folder)
