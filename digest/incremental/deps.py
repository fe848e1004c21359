"""What a page depends on besides its context: its templates and the globals they read.

`TemplateKeys` gives each page template a key made of the sources of the templates it extends,
imports or includes, and of the values of the globals those templates read (only the `site.*`
settings they name), so editing stage.html re-renders stage pages only, and changing
items_per_page in digest.yaml re-renders the pages whose listings change, not every page.
"""

from __future__ import annotations

import pickle
from dataclasses import fields
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.defaults import DEFAULT_NAMESPACE

from digest.config import Config
from digest.output.cache import digest

# What a template reads: globals, site attributes (None: all), templates (None: any).
Reads = tuple[set[str], "set[str] | None", "list[str] | None"]

# What each template source reads, for the life of the process (by source digest and the names of
# the environment's globals): a clean build, which reads no cache, and `digest serve` analyse a
# template once.
_ANALYSED: dict[tuple[bytes, frozenset[str]], Reads] = {}


class TemplateKeys:
    """Per page template: a key of every input the Jinja environment adds to the page's context."""

    def __init__(self, env: jinja2.Environment, global_inputs: dict[str, Any], config: Config,
                 reads: dict[bytes, Reads] | None = None):
        """`global_inputs` names what each global of `env` shows: a global missing from it makes
        every template that reads it depend on the whole configuration. `reads` remembers, by
        template source digest, what each template reads (kept in the cache between builds)."""
        self.env = env
        self.global_inputs = global_inputs
        self.config = config
        self.reads = reads if reads is not None else {}
        self._keys: dict[str, bytes] = {}
        self._templates_read: dict[str, set[str]] = {}

    def templates_read(self, name: str) -> set[str]:
        """The templates a page template reads, itself included (known once `key(name)` ran)."""
        return self._templates_read.get(name, set())

    def key(self, name: str) -> bytes:
        if name not in self._keys:
            sources: dict[str, bytes] = {}
            used: set[str] = set()
            site_attrs: set[str] | None = set()
            todo = [name]
            while todo:
                current = todo.pop()
                if current in sources:
                    continue
                source_digest, names, attrs, refs = self._read(current)
                sources[current] = source_digest
                used |= names
                site_attrs = None if attrs is None or site_attrs is None else site_attrs | attrs
                todo += refs
            values = {n: self._global_value(n, site_attrs) for n in sorted(used)}
            self._templates_read[name] = set(sources)
            self._keys[name] = digest(pickle.dumps((sorted(sources.items()), values), protocol=5))
        return self._keys[name]

    def _global_value(self, name: str, site_attrs: set[str] | None) -> Any:
        if name == "site":
            shown = sorted(site_attrs) if site_attrs is not None else [f.name for f in fields(Config)]
            return [(a, str(getattr(self.config, a))) for a in shown]
        if name in self.global_inputs:
            return self.global_inputs[name]
        if name in DEFAULT_NAMESPACE:  # Jinja's own range, dict, cycler...: code
            return None
        return [(f.name, str(getattr(self.config, f.name))) for f in fields(Config)]

    def _read(self, name: str) -> tuple[bytes, set[str], set[str] | None, list[str]]:
        """(source digest, globals read, site attributes read or None for all, templates used)."""
        source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        source_digest = digest(source.encode())
        if source_digest not in self.reads:
            known = (source_digest, frozenset(self.env.globals))
            found = _ANALYSED.get(known)
            self.reads[source_digest] = _ANALYSED[known] = found or self._analyse(source)
        names, attrs, refs = self.reads[source_digest]
        return source_digest, names, attrs, self.env.list_templates() if refs is None else refs

    def _analyse(self, source: str) -> Reads:
        ast = self.env.parse(source)
        refs = list(meta.find_referenced_templates(ast))
        names: set[str] = set()
        attrs: set[str] | None = set()
        site_reads = 0
        for node in ast.find_all((nodes.Name, nodes.Getattr)):
            if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in self.env.globals:
                names.add(node.name)  # a local of the same name makes this conservative, never wrong
                site_reads += node.name == "site"
            elif isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "site":
                attrs.add(node.attr)  # type: ignore[union-attr]
                site_reads -= 1
        if site_reads:  # `site` used other than as site.<name>: depend on the whole configuration
            attrs = None
        # A template name computed at render time (None) makes the page depend on every template.
        known = [r for r in refs if r is not None]
        return names, attrs, None if len(known) < len(refs) else known
