"""Editors' hints: what an editor already knows about an article (its address, publication day,
province, kab/kota, event date, election, stage), from command-line options for one input or
from a manifest (CSV or YAML) for a batch. A hint wins over the text and is never flagged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from digest.errors import DigestError, Problem, did_you_mean, quote
from digest.reference.refdata import Province, RefData, Regency

MANIFEST_KEYS = ("file", "url", "published", "province", "regency", "date", "election", "stage")


@dataclass(frozen=True)
class Hints:
    """What the editor says about one input; empty fields leave the text to decide."""

    published: dt.datetime | None = None
    url: str = ""
    province: Province | None = None
    regency: Regency | None = None
    date: dt.date | None = None
    election: str = ""
    stage: str = ""

    def given(self) -> list[str]:
        """Names of the fields this hint settles."""
        return [f.name for f in fields(self) if getattr(self, f.name)]

    def over(self, base: Hints) -> Hints:
        """These hints, with `base`'s where these give none (a manifest row over the options)."""
        return replace(base, **{name: getattr(self, name) for name in self.given()})


def parse(values: dict[str, Any], ref: RefData, path: str = "", line: int = 0) -> Hints:
    """Hints from written values ({"province": "Jabar", ...}); DigestError naming each bad one,
    as `--province: ...` for command-line options or `manifest.csv:3: province: ...` for a row."""
    problems: list[Problem] = []
    out: dict[str, Any] = {}

    def problem(key: str, message: str) -> Problem:
        return Problem(path, line, f"{key}: {message}") if path else Problem(f"--{key}", 0, message)

    for key, raw in values.items():
        if raw is None or str(raw).strip() == "" or key == "file":
            continue
        try:
            out[key] = _value(key, raw, ref, out)
        except ValueError as exc:
            problems.append(problem(key, str(exc)))
    if problems:
        raise DigestError(problems)
    regency: Regency | None = out.get("regency")
    province: Province | None = out.get("province")
    if regency and province and regency.province_code != province.code:
        raise DigestError(problem("regency", f"{regency.name} is not in {province.name}"))
    if regency and not province:
        out["province"] = ref.province_by_code[regency.province_code]
    return Hints(**out)


def _value(key: str, raw: Any, ref: RefData, so_far: dict[str, Any]) -> Any:  # noqa: PLR0911  one return per hint key
    """One hint value, checked; ValueError with a one-line reason."""
    text = str(raw).strip()
    if key == "published":
        return raw if isinstance(raw, dt.datetime) else published(text)
    if key == "date":
        return raw if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime) else event_date(text)
    if key == "url":
        return address(text)
    if key == "province":
        found = ref.province(text)
        if found is None:
            raise ValueError(f"'{quote(text)}' is not a province{did_you_mean(text, ref.province_choices())}")
        return found
    if key == "regency":
        return _regency(text, ref, so_far.get("province"))
    if key == "election":
        if text not in ref.elections:
            raise ValueError(f"'{quote(text)}' is not an election; one of: {', '.join(ref.elections)}")
        return text
    if key == "stage":
        if text not in ref.stages:
            raise ValueError(f"'{quote(text)}' is not a stage{did_you_mean(text, ref.stages)}; "
                             f"one of: {', '.join(ref.stages)}")
        return text
    raise ValueError(f"unknown hint; allowed: {', '.join(MANIFEST_KEYS)}")


def _regency(text: str, ref: RefData, province: Province | None) -> Regency:
    """A kab/kota by name ("Kota Serang", "Kabupaten Serang", "Batu"); a bare name two share is refused."""
    found = ref.regency(text, province) if province else ref.regency_anywhere(text)
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"'{quote(text)}' may be {' or '.join(r.name for r in found)}: write which")
    raise ValueError(f"'{quote(text)}' is not a kab/kota" + (f" of {province.name}" if province else ""))


def published(text: str) -> dt.datetime:
    """YYYY-MM-DD or YYYY-MM-DDTHH:MM (WIB when no zone is written)."""
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{quote(text)}' is not a date: write YYYY-MM-DD, e.g. 2023-10-16") from None


def event_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{quote(text)}' is not a date: write YYYY-MM-DD, e.g. 2023-10-16") from None


def address(text: str) -> str:
    """An absolute http(s) address, as the content schema requires of source.url (a real host,
    a port in range, no spaces)."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - reading it checks the port: http://x:99999 is no address
        host = parts.hostname
    except ValueError:
        host = None
    if not host or parts.scheme not in ("http", "https") or any(ch.isspace() for ch in text):
        raise ValueError(f"'{quote(text)}' must be an absolute http(s) address")
    return text


@dataclass(frozen=True)
class Row:
    """One manifest row: the file it names and its hints."""

    path: Path
    hints: Hints
    line: int


def manifest(path: Path, ref: RefData) -> list[Row]:
    """The rows of a CSV or YAML manifest; files are relative to the manifest's folder.
    DigestError with `manifest:line: message` for every bad row."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DigestError(Problem(str(path), 0, f"cannot be read: {getattr(exc, 'strerror', None) or exc}")) from None
    records = _yaml_rows(path, text) if path.suffix.lower() in (".yaml", ".yml") else _csv_rows(path, text)
    rows: list[Row] = []
    problems: list[Problem] = []
    for line, record in records:
        unknown = [k for k in record if k not in MANIFEST_KEYS]
        if unknown:
            problems.append(Problem(str(path), line, f"unknown column '{unknown[0]}'; allowed: "
                                                     f"{', '.join(MANIFEST_KEYS)}"))
            continue
        if not str(record.get("file") or "").strip():
            problems.append(Problem(str(path), line, "'file' is empty: name the saved article"))
            continue
        try:
            hints = parse(record, ref, str(path), line)
        except DigestError as exc:
            problems.extend(exc.problems)
            continue
        rows.append(Row(path.parent / str(record["file"]).strip(), hints, line))
    if problems:
        raise DigestError(problems)
    if not rows:
        raise DigestError(Problem(str(path), 0, "the manifest names no file"))
    return rows


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text.replace("\x00", "")))
    if not reader.fieldnames or "file" not in [f.strip() for f in reader.fieldnames]:
        raise DigestError(Problem(str(path), 1, f"the first line must name the columns, 'file' among them "
                                                f"({', '.join(MANIFEST_KEYS)})"))
    out = []
    try:
        for record in reader:
            if None in record:
                raise DigestError(Problem(str(path), reader.line_num, "more cells than columns"))
            out.append((reader.line_num, {k.strip(): v for k, v in record.items() if k}))
    except csv.Error as exc:
        raise DigestError(Problem(str(path), reader.line_num, f"is not valid CSV: {exc}")) from None
    return out


def _yaml_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    """A YAML list of mappings; each row's line is where its mapping starts."""
    try:  # one parse: the nodes give each row's line, and are built into its values
        loader = yaml.SafeLoader(text)  # reading checks the characters: a YAMLError too
        try:
            nodes = loader.get_single_node()
            data = loader.construct_document(nodes) if nodes is not None else None
        finally:
            loader.dispose()
    except RecursionError:
        raise DigestError(Problem(str(path), 0, "is nested too deeply to be a manifest")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DigestError(Problem(str(path), mark.line + 1 if mark else 0,
                                  f"is not valid YAML: {getattr(exc, 'problem', None) or exc}")) from None
    if nodes is None or not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise DigestError(Problem(str(path), 1, "must be a list of mappings, one per file "
                                                f"(keys: {', '.join(MANIFEST_KEYS)})"))
    return [(node.start_mark.line + 1, {str(k): v for k, v in record.items()})
            for node, record in zip(nodes.value, data, strict=True)]
