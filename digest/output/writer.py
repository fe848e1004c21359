"""Write the site into a folder beside the output, then swap it in with one atomic rename.

Readers see the previous site until the new one is complete, and a failed or killed build never
leaves a half-written site/. On Linux the swap is one renameat2(RENAME_EXCHANGE); elsewhere it is
two renames.

To write only what changed, the folder a build writes into is the previous generation of the
site, kept beside it as `.<name>.prev/` after the last swap. The cache records what every file
of both folders holds, so a build rewrites only the files that differ from that generation,
hard-links from the live site the files it did not re-render, and removes the rest; then the
folders swap roles. While it is being written the folder is called `.<name>.work/`, so a build
killed half-way leaves no folder that a later build could mistake for a finished one. Each folder
is recognised by device, inode and change time (every rename updates the last): a folder that is
not the one recorded is treated as unknown and rewritten whole.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import posixpath
import shutil
import stat
from collections.abc import Callable, Iterable, KeysView
from dataclasses import dataclass, field
from pathlib import Path

from digest import urls
from digest.errors import DigestError, Problem
from digest.output.cache import digest as content_digest

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100

Ident = tuple[int, int, int]
Files = dict[str, "bytes | None"]  # relative path -> content digest (None: present, content unknown)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the platform cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2  # libc is loaded already: no library search
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


# Every folder a build writes carries this file, so a later build knows the folder is its own to
# replace (anything else at the output path is refused, never emptied).
MARKER = ".digest-output"
MARKER_TEXT = b"Made by `digest build`, which replaces this folder on every build: keep nothing else here.\n"
# A site built before the marker existed is recognised by its top level: the files every build
# writes, and nothing but what a build writes (templates add files only under static/).
_MARKER_DIGEST = content_digest(MARKER_TEXT)
_SITE_REQUIRED = frozenset({"index.html", *(path.strip("/") for path in (urls.SITEMAP, urls.OPML))})
# Every top-level name the URL map can give: its fixed paths and the home page's own files.
_SITE_NAMES = _SITE_REQUIRED | {path.strip("/").split("/")[0] for path in (
    *(value for name, value in vars(urls).items() if name.isupper() and isinstance(value, str)),
    urls.rss(urls.HOME), urls.atom(urls.HOME), urls.share_image(urls.HOME), urls.pagefind(""), urls.static(""))} - {""}


def _refuse(path: Path, why: str) -> DigestError:
    return DigestError(Problem(str(path), 0, why))


def check_output_dir(output: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that would swallow the sources or lie inside them (e.g. `--output .`,
    or a folder in templates/ that every build would copy into the next)."""
    out = output.resolve()
    for p in protected:
        real = p.resolve()
        if real == out or out in real.parents:
            raise _refuse(output, f"output folder would replace {p}; choose another folder")
        if real in out.parents and real.is_dir():
            raise _refuse(output, f"output folder lies inside {p}; choose a folder outside it")


def beside(output: Path, role: str) -> Path:
    """The build's own folder next to the output: `.site.prev` (the previous generation) or
    `.site.work` (the one being written); `.digest-preview` -> `.digest-preview.prev`."""
    live = output.absolute()
    return live.parent / f".{live.name.lstrip('.')}.{role}"


def claim_output(output: Path) -> None:
    """Refuse, with one line and without touching it, an output path a build may not replace.

    A build replaces an absent or empty folder, one marked as made by digest (MARKER), or one
    an older digest built (see _SITE_NAMES). A file, a symbolic link (its target would be
    emptied), a git repository or any other folder is someone else's. The previous generation
    beside it (`.site.prev`), which a build empties and rewrites, must be digest's as well; a
    half-written `.site.work` left by a killed build is removed whatever it holds.
    """
    _claim(output)
    spare = beside(output, "prev")
    if spare.is_dir() and not spare.is_symlink():
        _claim(spare)


def _claim(output: Path) -> None:
    try:
        st = os.lstat(output)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(output, f"is a symbolic link; give the folder it points to ({output.resolve()}) as --output")
    if not stat.S_ISDIR(st.st_mode):
        raise _refuse(output, "is a file, not a folder digest built; choose another --output")
    names = set(os.listdir(output))
    if ".git" in names:
        raise _refuse(output, "holds a git repository (.git), which a build would delete; choose another --output")
    if names and MARKER not in names and not _SITE_REQUIRED <= names <= _SITE_NAMES:
        raise _refuse(output, f"is a folder digest did not build (no {MARKER} in it); choose another --output, "
                              "or empty it first")


def check_relative(rel: str) -> str:
    """`rel` if it is a plain relative path inside the output folder, else DigestError."""
    parts = rel.split("/")
    if "" in parts or "." in parts or ".." in parts:  # absolute, empty, or stepping out
        raise DigestError(Problem(rel, 0, "output path leads outside the output folder; refused"))
    return rel


def ident(path: Path) -> Ident | None:
    """What recognises a folder across builds, or None if there is no folder there."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_ctime_ns) if os.path.isdir(path) and not os.path.islink(path) else None


@dataclass
class Tree:
    """A site folder and what it holds, as recorded by the build that wrote it."""

    ident: Ident
    files: Files


def _parents(rels: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for rel in rels:
        parent = posixpath.dirname(rel)
        while parent and parent not in out:
            out.add(parent)
            parent = posixpath.dirname(parent)
    return out


@dataclass
class WorkTree:
    """The folder the next site is being written into."""

    path: Path
    files: Files
    dirs: set[str] = field(default_factory=set)  # folders known to exist (others are made as needed)
    empty: set[str] = field(default_factory=set)  # folders found empty, removed by the next prune

    def needs(self, rel: str, digest: bytes) -> bool:
        return self.files.get(rel) != digest

    def _target(self, rel: str) -> str:
        parent = posixpath.dirname(rel)
        if parent and parent not in self.dirs:
            os.makedirs(self.path / parent, exist_ok=True)
            self.dirs.add(parent)
        target = os.path.join(self.path, rel)
        if rel in self.files:  # may be a hard link shared with the live site: replace, never rewrite
            os.unlink(target)
        return target

    def put(self, rel: str, data: bytes) -> None:
        """Write a file (its digest is recorded by the caller, which may be another process)."""
        target = self._target(rel)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        try:
            fd = os.open(target, flags, 0o666)
        except FileExistsError:  # a file the record did not know of
            os.unlink(target)
            fd = os.open(target, flags, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    def link(self, rel: str, source: Path) -> None:
        """The same bytes as `source` (a file of the live site): a hard link, or a copy where links fail."""
        if rel in self.files and self.files[rel] is None and _same_file(source, self.path / rel):
            return  # an unknown folder that already links the live file (e.g. the spare after --clean)
        target = self._target(rel)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)

    def write_if_changed(self, rel: str, digest: bytes, data: Callable[[], bytes]) -> None:
        """Write and record a file, unless the folder holds these bytes already (`data` is read
        only then)."""
        if self.needs(rel, digest):
            self.put(rel, data())
            self.files[rel] = digest

    def mark(self) -> None:
        """Write the MARKER file (recorded with the folder's files) unless the folder holds it."""
        self.write_if_changed(MARKER, _MARKER_DIGEST, lambda: MARKER_TEXT)

    def link_if_changed(self, rel: str, digest: bytes, live: Path) -> None:
        """The same for the file at `rel` in the `live` folder, hard-linked rather than copied."""
        if self.needs(rel, digest):
            self.link(rel, live / rel)
            self.files[rel] = digest

    def prune(self, wanted: set[str]) -> None:
        """Remove the files the new site does not have, then the folders left empty."""
        gone = list(self.files.keys() - wanted)
        for rel in gone:
            os.unlink(self.path / rel)
            del self.files[rel]
        candidates = _parents(gone) | self.empty | _parents(self.empty)
        self.empty = set()
        for folder in sorted(candidates, key=len, reverse=True):
            try:
                os.rmdir(self.path / folder)
            except OSError:  # not empty: still needed
                continue
            self.dirs.discard(folder)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samestat(os.stat(a), os.lstat(b))
    except OSError:
        return False


def _walk(root: Path) -> WorkTree:
    """An unknown tree: every file (and symlink) and folder in it, contents unknown."""
    tree = WorkTree(root, {})
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(os.path.join(root, rel)) as it:
            found = False
            for item in it:
                found = True
                sub = f"{rel}/{item.name}" if rel else item.name
                if item.is_dir(follow_symlinks=False):
                    tree.dirs.add(sub)
                    stack.append(sub)
                else:
                    tree.files[sub] = None
        if rel and not found:
            tree.empty.add(rel)
    return tree


class Output:
    """The live site folder, its previous generation beside it, and what the cache knows of both."""

    def __init__(self, output: Path, live: Tree | None, spare: Tree | None):
        self.live_path = output.absolute()
        self.spare_path = beside(output, "prev")
        self.work_path = beside(output, "work")
        self.live = live if live and ident(self.live_path) == live.ident else None
        self.spare = spare if spare and ident(self.spare_path) == spare.ident else None
        self.unknown_live = self.live is None and ident(self.live_path) is not None

    def live_digest(self, rel: str) -> bytes | None:
        """What the live site holds at `rel`, if known."""
        return self.live.files.get(rel) if self.live else None

    def holds_all(self, rels: KeysView[str]) -> bool:
        """The live site is known to hold every one of these files (and what each holds)."""
        files = self.live.files if self.live else {}
        return not (rels - files.keys()) and None not in files.values()

    def holding(self, rel: str, digest: bytes, data: bytes) -> Path | None:
        """The live site's file at `rel` if it holds exactly `data`, else None.

        Linking that file is cheaper than writing a copy, and an unchanged page keeps its inode and
        time, so a deploy by rsync or mtime sends only what changed, even after --clean. The file is
        read only when the live folder is not the one the cache recorded.
        """
        path = self.live_path / rel
        if not self.unknown_live:
            return path if self.live_digest(rel) == digest else None
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(fd)
            same = stat.S_ISREG(st.st_mode) and st.st_size == len(data) and f.read() == data
        return path if same else None

    def is_current(self) -> bool:
        """The live site is the one the cache recorded."""
        return self.live is not None

    def open_work(self, wanted: set[str]) -> WorkTree:
        """A folder to write the new site into, already stripped of files it will not have."""
        self.live_path.parent.mkdir(parents=True, exist_ok=True)
        if self.work_path.exists() or self.work_path.is_symlink():  # left by a killed or failed build
            _remove(self.work_path)
        if self.spare is not None:
            os.rename(self.spare_path, self.work_path)
            work = WorkTree(self.work_path, dict(self.spare.files))
        elif self.spare_path.is_dir() and not self.spare_path.is_symlink():
            os.rename(self.spare_path, self.work_path)
            work = _walk(self.work_path)
        else:
            if self.spare_path.exists() or self.spare_path.is_symlink():
                _remove(self.spare_path)
            os.mkdir(self.work_path)
            os.chmod(self.work_path, 0o755)
            work = WorkTree(self.work_path, {})
        self.spare = None
        try:
            work.prune(wanted | {MARKER})
        except BaseException:
            self.discard(work)
            raise
        return work

    def discard(self, work: WorkTree) -> None:
        """A failed build: drop the half-written folder; the live site was never touched."""
        shutil.rmtree(work.path, ignore_errors=True)

    def publish(self, work: WorkTree) -> tuple[Tree, Tree | None]:
        """Swap the finished folder in; return (live, spare) as the cache should record them."""
        old = self.live
        if not self.live_path.exists():
            os.rename(work.path, self.live_path)
        elif _exchange(work.path, self.live_path):
            # On failure the site is published all the same; the old one stays as .site.work/, which
            # the next build removes.
            with contextlib.suppress(OSError):
                os.rename(work.path, self.spare_path)
        else:
            os.rename(self.live_path, self.spare_path)
            try:
                os.rename(work.path, self.live_path)
            except OSError:
                os.rename(self.spare_path, self.live_path)  # the old site back in place: nothing published
                raise
        live = Tree(ident(self.live_path), work.files)  # type: ignore[arg-type]
        if not self.spare_path.is_dir():
            return live, None
        try:
            if old is None:  # the folder replaced was not ours to know: make it a copy of the new site
                old = Tree(live.ident, self._mirror_live(live.files))
            return live, Tree(ident(self.spare_path), old.files)  # type: ignore[arg-type]
        except OSError:  # the site is published; an unrecorded spare is walked by the next build
            return live, None

    def _mirror_live(self, files: Files) -> Files:
        """Turn the spare folder into hard links to the live site's files (cheaper than deleting it)."""
        mirror = _walk(self.spare_path)
        mirror.prune(set(files))
        for rel, digest in files.items():
            mirror.link(rel, self.live_path / rel)
            mirror.files[rel] = digest
        return mirror.files


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
