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
import re
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import nh3
from markupsafe import escape

from digest.content.entry import Entry
from digest.content.frontmatter import split
from digest.errors import DigestError, Problem
from digest.output.cache import Shelf, digest

if TYPE_CHECKING:
    import markdown

_ALLOWED_TAGS = {
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "blockquote", "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "cite", "q", "small", "mark", "dl", "dt", "dd", "figure", "figcaption",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set(), "ol": {"start"}}

# A root-relative link ("/berita/x/") as a converted body keeps it: rebase() puts the base URL's
# path in its place on the page, so a converted body is the same under any base URL. A body's own
# text holds no control character (the schema refuses them), so the mark is never mistaken for it.
_SITE_ROOT = "\x01/"
# The level of a body's top headings: a body sits under the article's "Isi berita" (an h2).
BODY_HEADING_LEVEL = 3
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)

EXTENSIONS = ("extra", "sane_lists")  # python-markdown's, as editors' bodies use them
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


# python-markdown's patterns whose regular expression the engine tries at every character of
# every text (it opens with a look-behind, a line start or an alternative), and what each match
# holds, one of. Keyed by the expression itself: a python-markdown that changes one is left
# unguarded (tests/test_properties.py says so).
_NEEDED: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # code spans, and the backslashes before one
    r"(?<!\!)\[": ("[",),  # links and references
    r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)": ("#",),  # "## heading"
    r"^.*?\n(?:=+|-+)[ ]*(\n|$)": ("\n=", "\n-"),  # a heading underlined
    r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)": (": ",),  # a definition
    r"(^|\n)[ ]{0,3}>[ ]?(.*)": (">",),  # a quote
}


class _Guarded:
    """A pattern's compiled expression that first looks for what every match holds (a C-level
    find), so the usual body, plain paragraphs, is not searched through at every position by
    each of these patterns. Finds exactly what the expression finds."""

    def __init__(self, compiled: re.Pattern[str], needed: tuple[str, ...]) -> None:
        self._compiled = compiled
        self._needed = needed

    def _possible(self, text: str, pos: int) -> bool:
        for part in self._needed:  # noqa: SIM110  a loop, not any(): it runs for every block and text of a body
            if text.find(part, pos) >= 0:
                return True
        return False

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._compiled.search(text, pos) if self._possible(text, pos) else None

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._compiled.match(text, pos) if self._possible(text, pos) else None

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        return self._compiled.finditer(text, pos) if self._possible(text, pos) else iter(())

    def __getattr__(self, name: str) -> object:
        return getattr(self._compiled, name)


def _guard(owner: object, attribute: str) -> None:
    """Put a _Guarded in place of owner.attribute if it is one of the expressions above."""
    compiled = getattr(owner, attribute, None)
    if isinstance(compiled, re.Pattern) and compiled.pattern in _NEEDED:
        setattr(owner, attribute, _Guarded(compiled, _NEEDED[compiled.pattern]))


@functools.cache
def _converter() -> markdown.Markdown:
    """One converter per process, made on first use: a build whose bodies are all cached never
    pays for importing python-markdown."""
    import markdown

    converter = markdown.Markdown(extensions=list(EXTENSIONS), output_format="html")
    for pattern in converter.inlinePatterns:
        _guard(pattern, "compiled_re")  # what getCompiledRegExp returns
    for processor in converter.parser.blockprocessors:
        _guard(processor, "RE")
    return converter


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
    match; the timer counts this process's CPU time, so a body is refused for its own cost, not
    for a machine busy with other work. In another thread (the preview server's watcher) a timer
    thread raises it into this one, which takes effect at the next Python instruction."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def expire(signum: int, frame: object) -> None:
            raise _OverBudget
        previous = signal.signal(signal.SIGPROF, expire)
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            yield
        finally:
            try:
                signal.setitimer(signal.ITIMER_PROF, 0)
            finally:  # even when the signal lands just as the timer is stopped
                signal.signal(signal.SIGPROF, previous)
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


def _mark_root_relative(element: str, attribute: str, value: str) -> str:
    """nh3's attribute filter: mark a root-relative link for rebase()."""
    if element == "a" and attribute == "href" and value.startswith("/") and not value.startswith("//"):
        return _SITE_ROOT + value[1:]
    return value


def rebase(html: str, base_path: str) -> str:
    """A converted body with its root-relative links under the base URL's path ('/sub/'), so a
    link written as on the site root works wherever the site is hosted."""
    return html.replace(_SITE_ROOT, str(escape(base_path)))


def nest_headings(html: str) -> str:
    """Renumber a body's headings to nest under the article's: the top ones become h3, and none
    skips a level below the one it follows (an editor's "####" right after "##" becomes h4), so
    the page's outline stays ordered whatever levels the Markdown used."""
    opened: list[tuple[int, int]] = []  # (written level, level on the page) of enclosing headings
    current = BODY_HEADING_LEVEL

    def renumber(match: re.Match[str]) -> str:
        nonlocal current
        if match.group(1):  # a closing tag closes the heading last opened
            return f"</h{current}"
        written = int(match.group(2))
        while opened and opened[-1][0] >= written:
            opened.pop()
        current = min(opened[-1][1] + 1 if opened else BODY_HEADING_LEVEL, 6)
        opened.append((written, current))
        return f"<h{current}"
    return _HEADING_TAG.sub(renumber, html)


def render_markdown(text: str, base_path: str = "/") -> str:
    """HTML for an entry body, its links under `base_path` (the base URL's path). Raises
    BodyError for a body over the size or time bound, or nested too deeply."""
    return rebase(convert(text), base_path)


def convert(text: str) -> str:
    """A body as sanitized HTML, root-relative links marked for rebase(): what the cache keeps.
    Scripts, styles and handlers are dropped; links carry no rel (the digest's own links must not
    be nofollow, and editors link sources they vouch for). Raises BodyError as render_markdown."""
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
    return nh3.clean(nest_headings(html), tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto"}, link_rel=None, attribute_filter=_mark_root_relative)


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
        """The entry's body as convert() makes it (pass it through rebase() to show it); its
        Markdown is read only when not converted before."""
        key = self.digests.get(entry.id) or body_digest(entry.body)
        found = self.fresh.get(key) or (self.shelf.get(key) if self.shelf else None)
        if found is None:
            try:
                found = self.fresh[key] = convert(entry.body)
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
