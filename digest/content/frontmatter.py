"""Split a content file into YAML front matter and Markdown body, and load the YAML safely.

The YAML is parsed by libyaml when available and constructed by a safe constructor that refuses
aliases (and so alias bombs), foreign tags and duplicate keys as it goes, so only plain data is
ever built. It also refuses, at their line, what YAML 1.1 would build silently changed or not at
all: numbers not written in plain decimal (0350 is octal 232, 1:20 is 80), floats that do not read
back as written, and dates or times that are none (2024-02-30). Line numbers of keys, needed only
to place a problem, are found on demand by composing the text again.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

from digest.errors import DigestError, Problem, quote

try:  # libyaml is much faster (README, Speed); fall back to the pure-Python parser.
    from yaml import CSafeLoader as _ComposeLoader
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _ComposeLoader  # type: ignore[assignment]
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

FENCE = "---"
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")
MAX_DIGITS = 30  # longer numbers are a mistake (and past 4,300 digits Python refuses to read them)
_INT_PREFIXES = (("0x", "hexadecimal"), ("0b", "binary"), ("0", "octal"))  # how YAML 1.1 reads them


@dataclass
class Document:
    """A parsed content file: the front-matter mapping, the body, and where each key stands."""

    path: str
    meta: dict[str, Any]
    body: str = ""
    body_line: int = 1
    yaml_text: str = ""
    yaml_line: int = 2  # the line the front matter starts on

    @functools.cached_property
    def positions(self) -> dict[str, tuple[int, int]]:
        """"key", "a.b", "a[0]" -> (line, col) of the value."""
        return key_positions(self.path, self.yaml_text, self.yaml_line)

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


class _CheckingConstructor(SafeConstructor):
    """SafeConstructor that refuses what front matter must not hold, node by node."""

    first_line = 1
    path = ""

    def _problem(self, node: yaml.Node, message: str) -> DigestError:
        return DigestError(Problem(self.path, self.first_line + node.start_mark.line, message))

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:  # a second use: an alias
            raise self._problem(node, "YAML aliases (*name) are not allowed in front matter")
        if node.tag.startswith("tag:yaml.org,2002:python/") or not node.tag.startswith("tag:yaml.org,2002:"):
            raise self._problem(node, f"YAML tag '{node.tag}' is not allowed: front matter holds plain data only")
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):  # e.g. !!bool maybe
            raise self._problem(node, f"cannot read '{quote(node.value)}' as {node.tag.rsplit(':', 1)[-1]}: "
                                      "put text in quotes") from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """A whole number as written in decimal. YAML 1.1 reads 0350 as octal 232, 1:20 as 80 and
        0x1F as 31; such a number is published silently changed, so it is an error saying how to
        write it."""
        text = str(node.value)
        digits = sum(ch.isdigit() for ch in text)
        if digits > MAX_DIGITS:
            raise self._problem(node, f"a number of {digits} digits is too long (at most {MAX_DIGITS})")
        if _DECIMAL.fullmatch(text):
            return int(text)
        value = super().construct_yaml_int(node)
        plain = text.replace("_", "").lstrip("+")
        unsigned = plain.lstrip("-")
        base = next((name for prefix, name in _INT_PREFIXES if unsigned.startswith(prefix)), "")
        if ":" in plain:
            how = f"YAML reads {text} as the base-60 number {value}: put text in quotes ('{text}')"
        elif base == "octal":
            meant = int(plain, 10)
            how = (f"{text} has a leading zero, so YAML reads it as the octal number {value}: "
                   f"write {meant}, or put text in quotes ('{text}')")
        else:
            how = (f"YAML reads {text} as the {base or 'decimal'} number {value}: write {value}, "
                   f"or put text in quotes ('{text}')")
        raise self._problem(node, how)

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        """A decimal fraction exactly as written; YAML 1.1 reads 1.10 as 1.1, 1:20.5 as 80.5 and
        .inf as infinity, which would be published changed."""
        value = super().construct_yaml_float(node)
        if math.isfinite(value) and repr(value) == node.value:
            return value
        raise self._problem(node, f"YAML reads {quote(node.value)} as the number {value!r}: "
                                  f"put text in quotes ('{quote(node.value)}')")

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date or time; one that looks like a date but is none (2024-02-30, hour 24, a +25:00
        zone) is an error here, where its line is known."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            why = "a zone beyond 24 hours" if "offset" in str(exc) else quote(str(exc), 40)
            raise self._problem(node, f"'{quote(node.value)}' is not a real date or time ({why}): write the date "
                                      "as YYYY-MM-DD, or put text in quotes") from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, _ in node.value:
                key, line = str(key_node.value), self.first_line + key_node.start_mark.line
                if key in keys:
                    raise DigestError(Problem(self.path, line,
                                              f"duplicate key '{quote(key)}' (first at line {keys[key]})"))
                keys[key] = line
        return super().construct_mapping(node, deep)


# What add_constructor would do, written out: the stubs type it for PyYAML's own loaders only.
_CheckingConstructor.yaml_constructors = {
    **SafeConstructor.yaml_constructors,
    "tag:yaml.org,2002:int": _CheckingConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _CheckingConstructor.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _CheckingConstructor.construct_yaml_timestamp,
}


class _Loader(_Parser, _CheckingConstructor, Resolver):
    def __init__(self, stream: str):
        _Parser.__init__(self, stream)
        _CheckingConstructor.__init__(self)
        Resolver.__init__(self)


def _yaml_error(path: str, exc: yaml.YAMLError, first_line: int) -> DigestError:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return DigestError(Problem(path, first_line, f"invalid YAML: {exc}"))
    mark = exc.problem_mark or exc.context_mark
    line = first_line + (mark.line if mark else 0)
    if isinstance(exc, ConstructorError):
        return DigestError(Problem(path, line, f"invalid YAML: {exc.problem}"))
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.context_mark and exc.problem:
        message += f" ({exc.context} started at line {first_line + exc.context_mark.line})"
    return DigestError(Problem(path, line, message, col=mark.column + 1 if mark else 0))


def load_data(path: str, text: str, first_line: int = 1) -> Any:
    """Safely load one YAML document of plain data. Errors carry their place."""
    loader = _Loader(text)
    loader.path, loader.first_line = path, first_line
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, first_line) from None
    except RecursionError:  # the pure-Python parser composes recursively; libyaml stops at 1,000 levels
        raise DigestError(Problem(path, first_line, "invalid YAML: nested too deeply")) from None
    finally:
        loader.dispose()


def key_positions(path: str, text: str, first_line: int = 1) -> dict[str, tuple[int, int]]:
    """key -> (line, col) of its value, for text that loads (see load_data)."""
    try:
        node = yaml.compose(text, Loader=_ComposeLoader)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, first_line) from None
    except RecursionError:
        raise DigestError(Problem(path, first_line, "invalid YAML: nested too deeply")) from None
    positions: dict[str, tuple[int, int]] = {}
    if node is not None:
        _record(node, first_line, "", positions)
    return positions


def load_yaml(path: str, text: str, first_line: int = 1) -> tuple[Any, dict[str, tuple[int, int]]]:
    """(data, key -> (line, col)) of one YAML document, for small files such as digest.yaml."""
    return load_data(path, text, first_line), key_positions(path, text, first_line)


def _record(root: yaml.Node, first: int, prefix: str, positions: dict[str, tuple[int, int]]) -> None:
    """Walk the node tree with a stack of its own: YAML nested hundreds deep must not exhaust
    Python's recursion limit."""
    stack = [(root, prefix)]
    while stack:
        node, prefix = stack.pop()
        if isinstance(node, yaml.MappingNode):
            children = [(f"{prefix}.{k.value}" if prefix else str(k.value), v) for k, v in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = [(f"{prefix}[{i}]", item) for i, item in enumerate(node.value)]
        else:
            continue
        for key, child in children:
            positions.setdefault(key, (first + child.start_mark.line, child.start_mark.column + 1))
        stack.extend((child, key) for key, child in reversed(children))


def parse(path: str, text: str) -> Document:
    """Parse a whole content file into a Document (front matter must be a mapping)."""
    yaml_text, body, body_line = split(path, text)
    data = load_data(path, yaml_text, first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DigestError(Problem(path, 2, "front matter must be a mapping of 'key: value' lines"))
    return Document(path=path, meta=data, body=body, body_line=body_line, yaml_text=yaml_text)
