"""A progress bar for long-running commands, on the terminal only (stderr), gone when done."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import TaskID

Advance = Callable[[str, int, int], None]  # (step, items just done, items in the step)


@contextlib.contextmanager
def bar(shown: bool, labels: dict[str, str]) -> Iterator[Advance | None]:
    """One bar per step, labelled from `labels`; None when nobody watches. It redraws only when
    told of progress: a refresh thread would keep a build from forking its workers (parallel.py)."""
    if not shown:
        yield None
        return
    from rich.console import Console  # imported here: runs without a terminal never pay for rich
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), auto_refresh=False, transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(labels.get(step, step), total=total)
            progress.advance(tasks[step], done)
            progress.refresh()

        yield advance
