"""Write new entries into content/: never over an existing entry unless forced, always atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import DigestError
from digest.frontmatter import parse
from digest.loader import find_files, read_text
from digest.refdata import slugify


@dataclass
class Existing:
    """Ids and source URLs already used in the content folder, and by which file."""

    ids: dict[str, Path] = field(default_factory=dict)
    urls: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def scan(cls, content: Path) -> "Existing":
        """Index every entry under `content`; unreadable or invalid files still reserve their id."""
        found = cls()
        if not content.is_dir():
            return found
        for src in find_files(content):
            found.ids[slugify(src.path.stem)] = src.path
            try:
                meta = parse(src.display, read_text(src, content)).meta
            except (DigestError, OSError):
                continue
            if isinstance(meta.get("id"), str):
                found.ids[meta["id"]] = src.path
            source = meta.get("source")
            if isinstance(source, dict) and isinstance(source.get("url"), str):
                found.urls[source["url"]] = src.path
        return found

    def clash(self, entry_id: str, url: str) -> tuple[str, Path] | None:
        """("same source.url" | "same id", the existing file) when an entry would collide."""
        if url and url in self.urls:
            return "same source.url", self.urls[url]
        if entry_id in self.ids:
            return "same id", self.ids[entry_id]
        return None

    def add(self, entry_id: str, url: str, path: Path) -> None:
        self.ids[entry_id] = path
        if url:
            self.urls[url] = path
