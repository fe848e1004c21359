"""The browser editor at /admin/ (Decap CMS): its configuration, made from the content schema and
the reference data at build time, so the form never offers a field, a province or a stage the
build would refuse, nor lacks a field it accepts.

How each key is edited (widget, label) is data in digest/data/cms.yaml; which keys exist, in
which order and which are required comes from digest/content/schema.py; the choices (provinces,
kab/kota, elections, stages, topics, ranks, reviewable fields) from digest/data/.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import yaml

from digest import urls
from digest.config import Config
from digest.content.schema import REQUIRED, REVIEWABLE, TOP_KEYS, limits
from digest.reference.refdata import RefData, data_file

BODY = "body"  # Decap's name for the Markdown after the front matter
DATE_FORMAT = "YYYY-MM-DD"  # how Decap writes a day: the form the schema reads as a date


@dataclass(frozen=True)
class Script:
    """The editor's code: where the browser loads it from and the hash it must match."""

    url: str
    integrity: str


def script() -> Script:
    pinned = data_file("cms.yaml")["script"]
    return Script(pinned["url"], pinned["integrity"])


Choices = Callable[[], "list[str] | list[dict[str, str]]"]


def _choices(ref: RefData) -> dict[str, Choices]:
    """Each list of choices a select may offer (as Decap options: a value, or the label shown and the
    value written) or a hint may suggest."""
    province_of = {p.code: p.name for p in ref.provinces}
    return {
        "provinces": lambda: [p.name for p in ref.provinces],
        # "Kota Batu · Jawa Timur": the province tells apart names a reader might confuse
        "regencies": lambda: [{"label": f"{r.name} · {province_of[r.province_code]}", "value": r.name}
                              for r in ref.regencies],
        "elections": lambda: [{"label": e.label, "value": e.slug} for e in ref.elections.values()],
        "stages": lambda: [{"label": s.label, "value": s.slug} for s in ref.stages.values()],
        "topics": lambda: list(data_file("topics.yaml")),
        "ranks": lambda: list(dict.fromkeys(data_file("ranks.yaml")["ranks"].values())),
        "review": lambda: list(REVIEWABLE),
    }


def _field(name: str, spec: dict[str, Any], *, required: bool, choices: dict[str, Choices]) -> dict[str, Any]:
    """One Decap field from its cms.yaml entry."""
    widget = spec["widget"]
    field: dict[str, Any] = {"name": name, "label": spec["label"], "required": required}
    if widget == "date":  # a day written as YYYY-MM-DD, never a time or a zone
        field.update(widget="datetime", date_format=DATE_FORMAT, time_format=False)
        if spec.get("default_today"):
            field["default"] = "{{now}}"
    elif widget == "url":
        field.update(widget="string", pattern=["^https?://\\S+$", "Alamat lengkap, diawali http:// atau https://"])
    elif widget == "number":
        field.update(widget="number", value_type="int", min=0, max=limits()["figures"][spec["max"]])
    else:
        field["widget"] = widget
    if "options" in spec:
        field["options"] = choices[spec["options"]]()
    for key in ("multiple", "default", "hint", "collapsed"):
        if key in spec:
            field[key] = spec[key]
    if "suggest" in spec:
        field["hint"] = f"{spec['hint']} {', '.join(map(str, choices[spec['suggest']]()))}."
    if "keys" in spec:
        field["fields"] = [_field(key, sub, required=bool(sub.get("required")), choices=choices)
                           for key, sub in spec["keys"].items()]
    return field


def fields(ref: RefData) -> list[dict[str, Any]]:
    """The form: every front-matter key of the schema in its order (the order Decap writes them
    in), required as the schema says, then the body. A key cms.yaml does not describe is a
    KeyError here, so a new schema field cannot be left out of the editor unnoticed."""
    specs = data_file("cms.yaml")["fields"]
    choices = _choices(ref)
    out = [_field(key, specs[key], required=key in REQUIRED, choices=choices) for key in TOP_KEYS]
    return [*out, _field(BODY, specs[BODY], required=True, choices=choices)]


def _relative(path: PurePath) -> str:
    """A folder as Decap names it: relative to the repository, whose root holds digest.yaml (a
    folder given as an absolute path, by its name there)."""
    return path.as_posix() if not path.is_absolute() else path.name


def settings(config: Config, ref: RefData) -> dict[str, Any]:
    """Decap's whole configuration (config.yml) for this site."""
    collection = data_file("cms.yaml")["collection"]
    backend: dict[str, Any] = {"name": "github", "repo": config.cms_repo, "branch": config.cms_branch}
    if config.cms_auth_url:
        backend["base_url"] = config.cms_auth_url
    media = urls.static("media")
    return {
        "backend": backend,
        # Decap consults the local backend only when /admin/ is opened on localhost or 127.0.0.1
        # and `npx decap-server` answers there; the published site ignores it.
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "site_url": config.base_url,
        "display_url": config.base_url,
        "media_folder": f"{_relative(config.templates)}{media}",
        "public_folder": f"{config.base_path}{media.lstrip('/')}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [{
            **{key: collection[key] for key in ("name", "label", "label_singular", "description")},
            "folder": _relative(config.content),
            "create": True,
            "extension": "md",
            "format": "yaml-frontmatter",
            "identifier_field": "title",
            **{key: collection[key] for key in ("slug", "summary", "sortable_fields")},
            "fields": fields(ref),
        }],
    }


@functools.cache
def config_text(config: Config, ref: RefData) -> str:
    """config.yml: the same bytes for the same settings and reference data. Made once per process
    for them (`digest serve` rebuilds with the same ones), by libyaml's emitter: pure Python's
    would cost every full build more than the rest of the editor's share of it."""
    header = "# Made by `digest build` from the content schema and digest/data/: edit those, not this file.\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return header + yaml.dump(settings(config, ref), Dumper=dumper, allow_unicode=True, sort_keys=False,
                              width=10**6)
