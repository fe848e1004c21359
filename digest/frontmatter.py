"""Split a content file into YAML front matter and Markdown body, and load the YAML safely.

The YAML is composed into nodes first (libyaml when available) so that every key keeps its
line number for error messages, duplicate keys and aliases can be refused, and only plain
data types are ever constructed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from digest.errors import DigestError, Problem

try:  # libyaml is 8x faster; fall back to the pure-Python safe loader.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FENCE = "---"


@dataclass
class Document:
    """A parsed content file: the front-matter mapping, line numbers of its keys, the body."""

    path: str
    meta: dict[str, Any]
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # "key", "a.b", "a[0]" -> (line, col)
    body: str = ""
    body_line: int = 1

    def position(self, key: str) -> tuple[int, int]:
        """(line, column) of `key`'s value, else of its nearest parent, else of the opening fence."""
        while key:
            if key in self.positions:
                return self.positions[key]
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return 1, 1


def split(path: str, text: str) -> tuple[str, str, int]:
    """Return (yaml_text, body, body_first_line); raise DigestError if the fence is missing."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise DigestError(Problem(path, 1, "front matter missing: the file must start with a '---' line"))
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1:]), i + 2
    raise DigestError(Problem(path, 1, "front matter is never closed: add a '---' line after it"))


def load_yaml(path: str, text: str, first_line: int = 1) -> tuple[Any, dict[str, tuple[int, int]]]:
    """Safely load one YAML document; return (data, key -> (line, col)). Errors carry their place."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        message = f"invalid YAML: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.problem:
            message += f" ({exc.context} started at line {first_line + exc.context_mark.line})"
        raise DigestError(Problem(path, line, message, col=mark.column + 1 if mark else 0)) from None
    except yaml.YAMLError as exc:
        raise DigestError(Problem(path, first_line, f"invalid YAML: {exc}")) from None
    if node is None:
        return None, {}
    positions: dict[str, tuple[int, int]] = {}
    _check_nodes(path, node, first_line, "", positions, set())
    try:
        data = SafeConstructor().construct_document(node)
    except ConstructorError as exc:
        mark = exc.problem_mark
        line = first_line + (mark.line if mark else 0)
        raise DigestError(Problem(path, line, f"invalid YAML: {exc.problem}")) from None
    return data, positions


def _check_nodes(path: str, node: yaml.Node, first: int, prefix: str,
                 positions: dict[str, tuple[int, int]], seen: set[int]) -> None:
    """Refuse aliases (and so alias bombs), foreign tags and duplicate keys; record value places."""
    if id(node) in seen:
        raise DigestError(Problem(path, first + node.start_mark.line,
                                  "YAML aliases (*name) are not allowed in front matter"))
    seen.add(id(node))
    if node.tag.startswith("tag:yaml.org,2002:python/") or not node.tag.startswith("tag:yaml.org,2002:"):
        raise DigestError(Problem(path, first + node.start_mark.line,
                                  f"YAML tag '{node.tag}' is not allowed: front matter holds plain data only"))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first + key_node.start_mark.line
            if key in keys:
                raise DigestError(Problem(path, line, f"duplicate key '{key}' (first at line {keys[key]})"))
            keys[key] = line
            dotted = f"{prefix}.{key}" if prefix else key
            positions[dotted] = (first + value_node.start_mark.line, value_node.start_mark.column + 1)
            _check_nodes(path, key_node, first, dotted, positions, seen)
            _check_nodes(path, value_node, first, dotted, positions, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            positions[f"{prefix}[{i}]"] = (first + item.start_mark.line, item.start_mark.column + 1)
            _check_nodes(path, item, first, f"{prefix}[{i}]", positions, seen)


def parse(path: str, text: str) -> Document:
    """Parse a whole content file into a Document (front matter must be a mapping)."""
    yaml_text, body, body_line = split(path, text)
    data, positions = load_yaml(path, yaml_text, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DigestError(Problem(path, 2, "front matter must be a mapping of 'key: value' lines"))
    return Document(path=path, meta=data, positions=positions, body=body, body_line=body_line)
