"""Markdown body -> safe HTML. Raw HTML in bodies passes through nh3's allow-list sanitizer.

python-markdown's work is not linear in its input: 50 KB of '[' keeps it busy for hours, and
lists nested 250 deep exhaust its recursion. So a body is bounded twice: by its size, and by a
time budget enforced where it is converted (a build's worker, `digest check`, the preview
server); a body over either fails with its path and line, the same way in check and build.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import nh3

from digest.content.entry import Entry
from digest.content.frontmatter import split
from digest.errors import DigestError, Problem
from digest.output.cache import Shelf, digest

if TYPE_CHECKING:
    import markdown

_ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "cite", "q", "small", "mark", "dl", "dt", "dd", "figure", "figcaption",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}

MAX_BODY_CHARS = 500_000  # a digest note is a few KB; the longest real articles are under 100 KB
SECONDS_PER_BODY = 2.0  # ample: ordinary text at the size limit converts in a small part of it
# Python frames a conversion may use beyond its caller's: the same wherever it is called from
# (check, a worker, a template), so check and build agree. Lists nest about 120 deep in 500.
MARKDOWN_FRAMES = 500

class _OverBudget(BaseException):
    """Raised into a conversion that ran out of time; a BaseException so that no handler inside
    python-markdown takes it for one of its own errors."""


class BodyError(ValueError):
    """A body python-markdown cannot convert within the bounds."""


@functools.cache
def _converter() -> markdown.Markdown:
    """One converter per process, made on first use: a build whose bodies are all cached never
    pays for importing python-markdown."""
    import markdown

    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def _depth() -> int:
    """Python frames on this thread's stack."""
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _OverBudget into this block after `seconds`. In the main thread (a build, its forked
    workers, `digest check`) a timer signal does it, which also stops a long regular-expression
    match; in another thread (the preview server's watcher) a timer thread raises it into this
    one, which takes effect at the next Python instruction."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def expire(signum: int, frame: object) -> None:
            raise _OverBudget
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:  # even when the signal lands just as the timer is stopped
                signal.signal(signal.SIGALRM, previous)
        return
    thread, lock = ctypes.c_ulong(threading.get_ident()), threading.Lock()
    done: list[bool] = []  # set once this block is left: the timer thread must not raise after it

    def expire_thread() -> None:
        with lock:
            if not done:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(_OverBudget))
    timer = threading.Timer(seconds, expire_thread)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            done.append(True)
            ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, None)  # drop one raised but not yet delivered


def render_markdown(text: str) -> str:
    """HTML for an entry body; links get rel=nofollow noopener, scripts and handlers are dropped.
    Raises BodyError for a body over the size or time bound, or nested too deeply.

    A level-1 heading in a body would compete with the page headline, so it is shifted down.
    """
    if len(text) > MAX_BODY_CHARS:
        raise BodyError(f"the body has {len(text):,} characters; bodies are limited to {MAX_BODY_CHARS:,}")
    limit = sys.getrecursionlimit()
    try:
        with _deadline(SECONDS_PER_BODY):
            sys.setrecursionlimit(_depth() + MARKDOWN_FRAMES)
            try:
                html = _converter().reset().convert(text)
            finally:
                sys.setrecursionlimit(limit)
    except _OverBudget:
        _converter.cache_clear()  # interrupted mid-way: start the next body with a fresh converter
        raise BodyError(f"the body's Markdown takes more than {SECONDS_PER_BODY:g} s to convert (runs of "
                        "unclosed brackets, links or tags?); simplify it") from None
    except RecursionError:
        _converter.cache_clear()
        raise BodyError("the body's Markdown is nested too deeply (lists, definitions or quotes inside "
                        "each other); flatten it") from None
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")


def body_problem(entry: Entry, exc: BodyError) -> Problem:
    """The problem of a body that failed to convert, placed at the body's first line."""
    try:
        line = split(entry.path, Path(entry.path).read_text(encoding="utf-8"))[2]
    except (OSError, UnicodeDecodeError, DigestError):  # changed since it was loaded: point at its top
        line = 1
    return Problem(entry.path, line, str(exc))


def body_digest(text: str) -> bytes:
    return digest(text.encode("utf-8", "surrogatepass"))


class Bodies:
    """Rendered bodies by the digest of their Markdown: a body is converted once, whatever
    else changes around it (title, neighbours, templates)."""

    def __init__(self, shelf: Shelf | None, digests: dict[str, bytes]):
        """`digests`: entry id -> body digest, as the entry cache recorded them."""
        self.shelf = shelf
        self.digests = digests
        self.fresh: dict[bytes, str] = {}  # converted by this process, for the parent to store

    def html(self, entry: Entry) -> str:
        """The entry's body as HTML; its Markdown is read only when not converted before."""
        key = self.digests.get(entry.id) or body_digest(entry.body)
        found = self.fresh.get(key) or (self.shelf.get(key) if self.shelf else None)
        if found is None:
            try:
                found = self.fresh[key] = render_markdown(entry.body)
            except BodyError as exc:
                raise DigestError(body_problem(entry, exc)) from None
        return found

    def take_fresh(self) -> dict[bytes, str]:
        """Bodies converted since the last call (workers send them back to be cached)."""
        fresh, self.fresh = self.fresh, {}
        return fresh

    def store(self, fresh: dict[bytes, str]) -> None:
        """Keep converted bodies for later builds."""
        if self.shelf:
            for key, html in fresh.items():
                self.shelf.put(key, html)

    def preload(self, entry_ids: list[str]) -> None:
        """Read the cache shards these bodies are in (before forking, so workers share them)."""
        if self.shelf:
            for entry_id in entry_ids:
                if entry_id in self.digests:
                    self.shelf.get(self.digests[entry_id])
