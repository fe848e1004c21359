"""Site configuration from `digest.yaml`, with command-line overrides applied on top."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from digest.content.frontmatter import load_yaml
from digest.errors import DigestError, Problem, did_you_mean, failure, quote

CONFIG_NAME = "digest.yaml"
# Mappings in digest.yaml that configure one command only (`deploy:` for `digest deploy`). They are
# kept out of Config, so editing them never changes what the build renders.
SECTIONS = ("deploy",)


@dataclass(frozen=True)
class Config:
    title: str = "Digest Keamanan Pemilu"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "id"
    items_per_page: int = 20
    feed_size: int = 50
    content: Path = Path("content")
    output: Path = Path("site")
    templates: Path = Path("templates")
    search: bool = True  # build the Pagefind index and the /cari/ page (`digest build --no-search`: off)
    cms: bool = False  # the browser editor at /admin/ (Decap CMS, digest/site/cms.py)
    cms_repo: str = ""  # the GitHub repository it commits to, owner/name
    cms_branch: str = "main"
    cms_auth_url: str = ""  # the OAuth server it logs in through (empty: Netlify's)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under ("/" or "/digest/"), for links inside pages."""
        return urlsplit(self.base_url).path or "/"

    def absolute(self, url_path: str) -> str:
        """Absolute URL of a site path such as '/berita/x/'."""
        return self.base_url.rstrip("/") + url_path


_INTS = ("items_per_page", "feed_size")
_BOOLS = ("search", "cms")
_REPO = re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+")
_PATHS = ("content", "output", "templates")


def _read(path: Path) -> str:
    """The config file's text; DigestError naming the file (and the line of a bad byte) when it
    cannot be read or is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DigestError(failure(exc, path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DigestError(Problem(str(path), line, "is not UTF-8 text; save it as UTF-8")) from None


def load(path: Path | None = None, **overrides: object) -> Config:
    """Read the config file (if any), then apply non-None overrides; paths resolve against the file."""
    explicit = path is not None
    path = path or Path(CONFIG_NAME)
    values: dict[str, Any] = {}  # Any: each value is checked against its field's type below
    lines: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    root = path.parent
    if path.exists():
        data, lines = load_yaml(str(path), _read(path))
        if not isinstance(data, dict):
            raise DigestError(Problem(str(path), 1, "must be a mapping of 'key: value' lines"))
        known = [f.name for f in fields(Config)]
        for key, value in data.items():
            line = lines.get(str(key), (1, 1))[0]
            if key in SECTIONS:  # read and checked by its own command (see section()), not by the build
                continue
            if key not in known:
                problems.append(Problem(str(path), line, f"unknown setting '{key}'{did_you_mean(str(key), known)}"))
            elif key in _INTS and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                problems.append(Problem(str(path), line, f"{key} must be a positive whole number"))
            elif key in _BOOLS and not isinstance(value, bool):
                problems.append(Problem(str(path), line, f"{key} must be true or false"))
            elif key not in _INTS + _BOOLS and not isinstance(value, str):
                problems.append(Problem(str(path), line, f"{key} must be text"))
            else:
                values[key] = root / value if key in _PATHS else value
    elif explicit:
        raise DigestError(Problem(str(path), 0, "config file not found"))
    problems += _cms_problems(values, path, lines)
    values.update({k: v for k, v in overrides.items() if v is not None})
    base = str(values.get("base_url", Config.base_url))
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(Problem(str(path), 0, f"base_url '{base}' must be an absolute http(s) URL"))
    if problems:
        raise DigestError(problems)
    values["base_url"] = base if base.endswith("/") else base + "/"
    values.update({k: Path(values[k]) for k in _PATHS if k in values})
    return Config(**values)


def _cms_problems(values: dict[str, Any], path: Path, lines: dict[str, tuple[int, int]]) -> list[Problem]:
    """The editor's settings, checked when it is on: Decap would fail in the editor's browser,
    long after the build, on a repository or login address it cannot use."""
    problems: list[Problem] = []
    if not values.get("cms"):
        return problems
    repo = values.get("cms_repo", "")
    if not _REPO.fullmatch(repo):
        line = lines.get("cms_repo" if "cms_repo" in values else "cms", (1, 1))[0]
        problems.append(Problem(str(path), line, f"cms_repo '{quote(repo)}' must name the GitHub repository the "
                                                 "editor commits to, as owner/name (cms: true needs it)"))
    auth = values.get("cms_auth_url", "")
    if auth and (urlsplit(auth).scheme != "https" or not urlsplit(auth).netloc):
        problems.append(Problem(str(path), lines.get("cms_auth_url", (1, 1))[0],
                                f"cms_auth_url '{quote(auth)}' must be an absolute https URL"))
    return problems


@dataclass(frozen=True)
class Section:
    """One command's mapping of digest.yaml (empty when absent), with each key's line for messages."""

    path: Path
    values: dict[str, object]
    lines: dict[str, int]


def section(name: str, path: Path | None = None) -> Section:
    """The `name:` mapping of the config file (`path`, default ./digest.yaml); its keys are the
    command's to check."""
    path = path or Path(CONFIG_NAME)
    if not path.exists():
        return Section(path, {}, {})
    data, lines = load_yaml(str(path), _read(path))
    value = data.get(name) if isinstance(data, dict) else None
    if value is None:
        return Section(path, {}, {})
    if not isinstance(value, dict):
        raise DigestError(Problem(str(path), lines.get(name, (1, 1))[0],
                                  f"{name} must be a mapping of 'key: value' lines"))
    return Section(path, {str(k): v for k, v in value.items()},
                   {str(k): lines.get(f"{name}.{k}", (1, 1))[0] for k in value})
