"""Problems found in editors' files, reported as `path:line: message` rather than tracebacks."""

from __future__ import annotations

import difflib
import errno
import os
import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# What must never reach a terminal or a CI log raw: C0 and C1 controls (a newline starts a line CI
# reads as a workflow command, ESC starts a terminal escape), line and paragraph separators,
# bidirectional overrides that reorder what is shown, and noncharacters.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
QUOTE_LIMIT = 80  # characters of a quoted value shown in a message
_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxlist, _repr.maxdict, _repr.maxstring, _repr.maxother = 2, 4, 4, QUOTE_LIMIT, QUOTE_LIMIT


def escape(text: str) -> str:
    """`text` with every character unsafe for a terminal or log written as a visible escape."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """A content value as a message quotes it: escaped, on one line, at most `limit` characters
    (nested data is summarised, never expanded, however deep it goes)."""
    text = _repr.repr(value) if isinstance(value, (list, tuple, dict, set)) else str(value)
    text = escape(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at a place in a file; `line` and `col` are 1-based, 0 when unknown."""

    path: str
    line: int
    message: str
    col: int = 0
    severity: str = "error"

    def __str__(self) -> str:
        where = escape(self.path)
        if self.line:
            where += f":{self.line}"
        return f"{where}: {escape(self.message)}"

    def located(self) -> str:
        """The compiler-style form editors' tools jump to: `path:line:col: severity: message`."""
        return f"{escape(self.path)}:{max(self.line, 1)}:{max(self.col, 1)}: {self.severity}: {escape(self.message)}"


class DigestError(Exception):
    """A failure the user can fix; carries every problem found so one run reports them all."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", 0, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` hint for a mistyped value, or '' when nothing is close."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(str(value)[:QUOTE_LIMIT].lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


# What the operator can do about a failed system call, by errno (the rest: the system's own words).
_REMEDIES = {errno.ENOSPC: "the disk is full; free some space and run again",
             errno.EDQUOT: "the disk quota is used up; free some space and run again",
             errno.EROFS: "the file system is read-only; choose a writable folder",
             errno.EACCES: "permission denied; fix the permissions or choose another folder",
             errno.EPERM: "not permitted; fix the permissions or choose another folder",
             errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
             errno.ENOTDIR: "a part of the path is a file, not a folder; fix the path",
             errno.EISDIR: "is a folder, not a file; fix the path",
             errno.EEXIST: "is a file where a folder is needed; fix the path",
             errno.ELOOP: "symbolic links loop; fix the link"}


def failure(exc: OSError, where: Path | str | None = None) -> Problem:
    """One line for an environment failure (disk, permissions, paths): the path and what to do.
    `where` names the place when the system did not (a write that found the disk full)."""
    path = exc.filename if exc.filename is not None else where
    remedy = _REMEDIES.get(exc.errno or 0) or f"{(exc.strerror or str(exc)).lower()}; check the path and run again"
    return Problem(os.fsdecode(path) if path is not None else "digest", 0, remedy)
