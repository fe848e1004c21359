"""Write new entries into content/: never over an existing entry unless forced, always atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digest.content.frontmatter import parse
from digest.content.loader import find_files, read_text
from digest.errors import DigestError
from digest.reference.refdata import slugify


@dataclass(frozen=True)
class Clash:
    """An existing entry a new one would collide with, and what it has published."""

    why: str  # "same source.url" | "same id"
    path: Path
    entry_id: str  # its id ("" when unreadable)
    added: Any = None  # the day it joined the digest, kept when it is replaced


@dataclass
class Existing:
    """Ids and source URLs already used in the content folder, and by which file."""

    ids: dict[str, Path] = field(default_factory=dict)
    urls: dict[str, Path] = field(default_factory=dict)
    published: dict[Path, tuple[str, Any]] = field(default_factory=dict)  # file -> (id, added)

    @classmethod
    def scan(cls, content: Path) -> Existing:
        """Index every entry under `content`. A file's name stands for its id only when it has no
        `id` field; unreadable or invalid files still reserve the id their name gives."""
        found = cls()
        if not content.is_dir():
            return found
        for src in find_files(content):
            stem_id = slugify(src.path.stem)
            try:
                meta = parse(src.display, read_text(src, content)).meta
            except (DigestError, OSError):
                found.ids.setdefault(stem_id, src.path)
                continue
            entry_id = meta["id"] if isinstance(meta.get("id"), str) else stem_id
            found.ids[entry_id] = src.path
            found.published[src.path] = (entry_id, meta.get("added"))
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
        published_id, added = self.published.get(path, ("", None))
        return Clash(why, path, published_id, added)

    def add(self, entry_id: str, url: str, path: Path) -> None:
        self.ids[entry_id] = path
        if url:
            self.urls[url] = path
