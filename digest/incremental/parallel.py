"""Run a build step's independent jobs on every core, in forked worker processes.

Workers are forked after the parent has loaded what they need (entries, the site model, compiled
templates), so a job is just an index and only its small result travels back. Each job computes
the same bytes wherever it runs, so a parallel build is byte-identical to a serial one. Jobs run
in this process instead when there are too few to pay for the fork, when fork is unavailable,
or when other threads are running (`digest serve`): forking a threaded process can deadlock.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from digest.errors import DigestError, Problem

R = TypeVar("R")

MIN_JOBS = 64  # below this, starting processes costs more than it saves
CHUNKS_PER_WORKER = 16  # small chunks balance jobs of uneven cost

# The job of the pool being run: workers inherit it through fork, so it is never pickled.
_forked: list[Callable[[int], object]] = []


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run_chunk(bounds: tuple[int, int]) -> tuple[list[object], list[Problem]]:
    """In a worker: run jobs [start, stop); DigestError travels back as its problems."""
    job = _forked[0]
    try:
        return [job(i) for i in range(*bounds)], []
    except DigestError as exc:
        return [], exc.problems


def run(job: Callable[[int], R], count: int, jobs: int, progress: Callable[[int], None] | None = None) -> list[R]:
    """[job(0), ..., job(count - 1)], spread over `jobs` processes when it pays; `progress(n)` is
    told of every n jobs done, a chunk at a time (a progress bar, never a result, depends on it)."""
    step = max(1, count // (max(jobs, 1) * CHUNKS_PER_WORKER))
    bounds = [(start, min(start + step, count)) for start in range(0, count, step)]
    if jobs < 2 or count < MIN_JOBS or threading.active_count() > 1 or not hasattr(os, "fork"):
        results: list[R] = []
        for start, stop in bounds:
            results += [job(i) for i in range(start, stop)]
            if progress:
                progress(stop - start)
        return results
    import multiprocessing  # here: most incremental builds have too few jobs to need it
    _forked[:] = [job]
    gc.freeze()  # keep the collector from touching (and so copying) the parent's objects in workers
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            chunks = []
            for (start, stop), chunk in zip(bounds, pool.imap(_run_chunk, bounds, chunksize=1), strict=True):
                chunks.append(chunk)
                if progress:
                    progress(stop - start)
    finally:
        gc.unfreeze()
        _forked.clear()
    problems = [p for _, found in chunks for p in found]
    if problems:
        raise DigestError(problems)
    return [r for results, _ in chunks for r in results]  # type: ignore[misc]
