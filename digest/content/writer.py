"""The one front-matter writer, for `digest new`, `digest ingest` and the preview's paste page:
keys in the schema's order, values quoted only where YAML needs it, by PyYAML's safe dumper
(what `frontmatter.parse` reads back as the same value), and a missing value written as an
empty field ("date:") for an editor to fill; and the one rule for naming a new entry's file
without overwriting another."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from digest.content.frontmatter import FENCE
from digest.content.schema import TOP_KEYS
from digest.errors import DigestError, Problem

try:  # libyaml's emitter is faster than the pure-Python one; both are safe dumpers
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

_ORDER = {key: n for n, key in enumerate(TOP_KEYS)}


class _Dumper(_BaseDumper):
    """A safe dumper that writes None as an empty field."""


_Dumper.add_representer(type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", ""))


def scalar(value: object) -> str:
    """One YAML scalar on one line, quoted only when YAML would read it otherwise."""
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, default_flow_style=True, width=10**6)
    return text.strip().removesuffix("...").strip()


def document(meta: dict[str, Any], body: str) -> str:
    """A content file: the front matter in the schema's key order between fences, then the body."""
    ordered = dict(sorted(meta.items(), key=lambda item: _ORDER[item[0]]))
    front = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                      default_flow_style=False)
    return f"{FENCE}\n{front}{FENCE}\n{body}\n"


@dataclass(frozen=True)
class Line:
    """A front-matter line as a scaffold writes it, with a hint for the editor after it."""

    text: str
    hint: str = ""


def hinted(lines: list[Line]) -> str:
    """Front-matter lines between fences, their hints aligned in one column as YAML comments."""
    rows = [Line(FENCE), *lines, Line(FENCE)]
    return "".join(f"{row.text:<29} # {row.hint}\n" if row.hint else f"{row.text}\n" for row in rows)


MAX_NAMES = 999  # base.md, base-2.md ... base-999.md; past that something is writing in a loop


def under_free_name(folder: Path, base: str, text: Callable[[str], str], create: Callable[[Path, str], None], *,
                    taken: Collection[str] = ()) -> Path:
    """Write a new entry as base.md, or base-2.md, base-3.md ...: the first name no file has and
    no entry uses as its id (`taken`); `text` gives the file's text for that name. `create` must
    refuse a name that exists (FileExistsError), so a file made a moment ago by someone else is
    never replaced; the output layer's writer does that, and this layer may not import it."""
    for n in range(1, MAX_NAMES + 1):
        name = base if n == 1 else f"{base}-{n}"
        if name in taken:
            continue
        path = folder / f"{name}.md"
        try:
            create(path, text(name))
        except FileExistsError:
            continue
        return path
    raise DigestError(Problem(str(folder), 0, f"too many files named {base}-N.md"))
