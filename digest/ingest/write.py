"""Write new entries into content/: never over an existing entry unless forced, always atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest.content.loader import load_folder
from digest.reference.refdata import RefData, slugify


@dataclass(frozen=True)
class Clash:
    """An existing entry a new one would collide with, and what it has published."""

    why: str  # "same source.url" | "same id"
    path: Path
    entry_id: str  # its id ("" when unreadable)
    added: Any = None  # the day it joined the digest, kept when it is replaced


@dataclass(frozen=True)
class Published:
    """What an existing file has published: its id, and the day it joined the digest."""

    entry_id: str
    added: Any


@dataclass
class Existing:
    """Ids and source URLs already used in the content folder, and by which file."""

    ids: dict[str, Path] = field(default_factory=dict)
    urls: dict[str, Path] = field(default_factory=dict)
    published: dict[Path, Published] = field(default_factory=dict)

    @classmethod
    def scan(cls, content: Path, ref: RefData) -> Existing:
        """Index every entry under `content`, read by the build's loader. A file's name stands for
        its id only when it has no `id` field; unreadable files still reserve the id their name
        gives, and invalid ones the id and source.url they state."""
        found = cls()
        if not content.is_dir():
            return found
        for file in load_folder(content, ref):
            src, meta = file.src, file.meta
            stem_id = slugify(src.path.stem)
            if meta is None:
                found.ids.setdefault(stem_id, src.path)
                continue
            entry_id = meta["id"] if isinstance(meta.get("id"), str) else stem_id
            found.ids[entry_id] = src.path
            found.published[src.path] = Published(entry_id, meta.get("added"))
            source = meta.get("source")
            if isinstance(source, dict) and isinstance(source.get("url"), str):
                found.urls[source["url"]] = src.path
        return found

    def clash(self, entry_id: str, url: str) -> Clash | None:
        """The entry a new one would collide with: the same source.url first, else the same id."""
        if url and url in self.urls:
            why, path = "same source.url", self.urls[url]
        elif entry_id in self.ids:
            why, path = "same id", self.ids[entry_id]
        else:
            return None
        published = self.published.get(path, Published("", None))
        return Clash(why, path, published.entry_id, published.added)

    def add(self, entry_id: str, url: str, path: Path) -> None:
        self.ids[entry_id] = path
        if url:
            self.urls[url] = path
