"""Fingerprints of everything a page or feed shows, to tell which outputs an edit changes.

A page's fingerprint hashes its template key (template sources and the globals they read), its
URL, its feed links and its whole context. Context values are pickled, except entries, which
stand for the digest of their source file (the entry is a function of that file and the code),
and reference data, which stands for its slug (the data is part of the code key). Equal
fingerprints therefore mean equal inputs; a page whose fingerprint did not change since the
live site was written is not rendered again.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from typing import Any

from digest.output.cache import digest
from digest.reference.refdata import Election, Province, Regency, Stage
from digest.site.model import EntryView, Feed, FeedLink, Page, Shared


def _ref(*key: object) -> None:
    """Stands in a fingerprint for an object named by key; never called."""


def _by_slug(obj: Any) -> tuple[str, ...]:
    return (type(obj).__name__, obj.slug)


_STAND_INS: dict[type, Callable[[Any], tuple]] = {
    FeedLink: lambda link: ("feed", link.title, link.page, link.rss, link.atom),
    Province: _by_slug, Stage: _by_slug, Election: _by_slug,
    Regency: lambda regency: ("regency", regency.code),
}


class _Pickler(pickle.Pickler):
    def __init__(self, buffer: io.BytesIO, fingerprinter: Fingerprinter):
        super().__init__(buffer, protocol=5)
        self.fast = True  # no memo: shared objects are written out each time, so equal data gives equal bytes
        self.fingerprinter = fingerprinter

    def reducer_override(self, obj: Any) -> Any:
        """Entries by the digest of their file, reference data by its key, shared tuples by
        their digest; the rest as is."""
        kind = type(obj)
        if kind is EntryView:
            return _ref, ("entry", self.fingerprinter.entry_digests[obj.entry.id])
        if kind is Shared:
            return _ref, ("shared", self.fingerprinter.shared(obj))
        stand_in = _STAND_INS.get(kind)
        return (_ref, stand_in(obj)) if stand_in else NotImplemented


class Fingerprinter:
    def __init__(self, entry_digests: dict[str, bytes]):
        """`entry_digests`: entry id -> digest of the file it came from."""
        self.entry_digests = entry_digests
        self._buffer = io.BytesIO()
        self._pickler = _Pickler(self._buffer, self)
        self._shared: dict[int, tuple[Shared, bytes]] = {}
        self._inner: Fingerprinter | None = None

    def of(self, *parts: Any) -> bytes:
        """Digest of `parts` (plain data, entry views and reference data, nested)."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self._pickler.dump(parts)
        return digest(self._buffer.getvalue())

    def _plain(self, value: Any) -> Any:
        """Entry views (alone or in a list) and shared tuples as their digests: far cheaper than
        a pickler callback each."""
        kind = type(value)
        if kind is EntryView:
            return ("\0entry", self.entry_digests[value.entry.id])
        if kind is Shared:
            return ("\0shared", self.shared(value))
        if kind is list and value and type(value[0]) is EntryView:  # any other view goes through the pickler
            return [("\0entry", self.entry_digests[v.entry.id]) if type(v) is EntryView else v for v in value]
        return value

    def page(self, template_key: bytes, page: Page) -> bytes:
        """Fingerprint of everything a page shows."""
        context = {k: self._plain(v) for k, v in page.context.items()}
        return self.of(template_key, page.url, self._plain(page.feeds), context)

    def feed(self, inputs: tuple, feed: Feed) -> bytes:
        """Fingerprint of everything a feed shows; `inputs`: the settings feeds show."""
        return self.of("feed", inputs, feed.link, feed.quiet_since, self._plain(feed.items))

    def shared(self, obj: Shared) -> bytes:
        """Digest of a shared tuple, computed once (the tuple is kept, so its id stays its own)."""
        known = self._shared.get(id(obj))
        if known is None:
            if self._inner is None:  # a pickler cannot be re-entered while it is dumping
                self._inner = Fingerprinter(self.entry_digests)
                self._inner._shared = self._shared
            known = self._shared[id(obj)] = (obj, self._inner.of(*obj))
        return known[1]
