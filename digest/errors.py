"""Problems found in editors' files, reported as `path:line: message` rather than tracebacks."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at a place in a file; `line` and `col` are 1-based, 0 when unknown."""

    path: str
    line: int
    message: str
    col: int = 0
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
        return f"{where}: {self.message}"

    def located(self) -> str:
        """The compiler-style form editors' tools jump to: `path:line:col: severity: message`."""
        return f"{self.path}:{max(self.line, 1)}:{max(self.col, 1)}: {self.severity}: {self.message}"


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
    close = difflib.get_close_matches(str(value).lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""
