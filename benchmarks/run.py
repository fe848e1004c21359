"""Time digest against Hugo and Pelican on the same generated corpus, and write a Markdown table.

    python -m benchmarks.run --sizes 1000,10000,50000

For each size: a cold build (`digest build --clean`; all digest builds with --no-search, since
Hugo and Pelican build no search index), a no-op rebuild and a one-entry edit (title
and a paragraph of one entry changed), each timed as a whole process (the real interpreter, not a
shim), median of --runs, with the peak resident memory of the process and its workers (wait4).
Hugo builds the same files with equivalent templates (benchmarks/hugo_site/) for all three
measures; Pelican (benchmarks/pelican_site/) only cold, and only up to --pelican-max entries
because it takes minutes beyond. The corpus is kept in --work and reused by later runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import generate, others

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    peak_mib: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def timed(command: list[str], cwd: Path, into: Timing, env: dict[str, str] | None = None) -> None:
    """Run `command` to completion; add its wall time and peak RSS (itself or any worker) to `into`."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    into.seconds.append(time.perf_counter() - start)
    into.peak_mib = max(into.peak_mib, usage.ru_maxrss / 1024)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr.read().decode() if proc.stderr else ''}")


def edit(path: Path, revision: int) -> None:
    """An editor's correction: a new title and one more paragraph."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: (.*?)(?: \(rev \d+\))?$", lambda m: f"title: {m.group(1)} (rev {revision})", text,
                  count=1, flags=re.M)
    path.write_text(text + f"\nKoreksi redaksi nomor {revision}.\n", encoding="utf-8")


@dataclass
class Tool:
    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str] | None = None
    results: dict[str, Timing] = field(default_factory=dict)

    @property
    def peak_mib(self) -> float:
        return max(t.peak_mib for t in self.results.values())

    def measure(self, label: str, runs: int, before_each: Callable[[int], None] | None = None) -> None:
        timing = self.results.setdefault(label, Timing())
        for i in range(runs):
            if before_each:
                before_each(i)
            timed(self.command, self.cwd, timing, self.env)


def corpus(n: int, work: Path) -> Path:
    """work/<n>/ with the corpus as digest, Hugo and Pelican projects (generated once, then reused)."""
    folder = work / str(n)
    marker = folder / "generated"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        items = generate.write(n, folder / "digest" / "content")
        others.hugo_project(items, folder / "hugo")
        others.pelican_project(items, folder / "pelican")
        marker.write_text(str(n))
    (folder / "digest" / "digest.yaml").write_text(
        f"title: Digest Keamanan Pemilu\nbase_url: https://digest.example.id/\nitems_per_page: 20\nfeed_size: 50\n"
        f"content: content\noutput: site\ntemplates: {ROOT / 'templates'}\n", encoding="utf-8")
    return folder


def bench(n: int, work: Path, runs: int, pelican_max: int, hugo_max: int) -> dict[str, Tool]:
    folder = corpus(n, work)
    target = folder / "digest" / "content" / f"{generate.entry(n // 2)[0]['id']}.md"  # Hugo's copy is a hard link
    revision = int(time.time())
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    digest = Tool("digest", [sys.executable, "-m", "digest", "build", "--quiet", "--no-search", "--clean"],
                  folder / "digest", env)
    digest.measure("cold", runs)
    digest.command.remove("--clean")
    digest.measure("noop", runs)
    digest.measure("edit", runs, lambda i: edit(target, revision + i))
    tools = {"digest": digest}
    hugo = others.hugo_command(folder / "hugo")
    if hugo and n <= hugo_max:
        tools["hugo"] = Tool("hugo", hugo, folder / "hugo")
        for label in ("cold", "noop"):
            tools["hugo"].measure(label, runs)
        tools["hugo"].measure("edit", runs, lambda i: edit(target, revision + runs + i))
    pelican = others.pelican_command(folder / "pelican")
    if pelican and n <= pelican_max:
        tools["pelican"] = Tool("pelican", pelican, folder / "pelican")
        tools["pelican"].measure("cold", runs)
    return tools


def _cell(tools: dict[str, Tool], tool: str, label: str) -> str:
    t = tools.get(tool)
    return f"{t.results[label].median:.2f} s" if t and label in t.results else "—"


def _ratio(tools: dict[str, Tool], a: str, la: str, b: str, lb: str) -> str:
    if a not in tools or b not in tools or la not in tools[a].results or lb not in tools[b].results:
        return "—"
    return f"{tools[a].results[la].median / tools[b].results[lb].median:.2f}x"


def table(results: dict[int, dict[str, Tool]], runs: int) -> str:
    rows = [f"Medians of {runs} whole-process runs; peak = largest resident set of the process or any worker.", "",
            "| entries | tool | cold build | no-op rebuild | one entry edited | peak memory |",
            "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for n, tools in results.items():
        for name, tool in tools.items():
            rows.append(f"| {n:,} | {name} | {_cell(tools, name, 'cold')} | {_cell(tools, name, 'noop')} | "
                        f"{_cell(tools, name, 'edit')} | {tool.peak_mib:.0f} MiB |")
    rows += ["", "| entries | cold ÷ Hugo cold | Pelican cold ÷ cold | no-op ÷ Hugo no-op | edit ÷ Hugo edit "
             "| peak ÷ Hugo peak |", "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n, tools in results.items():
        peak = f"{tools['digest'].peak_mib / tools['hugo'].peak_mib:.2f}x" if "hugo" in tools else "—"
        ratios = [_ratio(tools, "digest", "cold", "hugo", "cold"), _ratio(tools, "pelican", "cold", "digest", "cold"),
                  _ratio(tools, "digest", "noop", "hugo", "noop"), _ratio(tools, "digest", "edit", "hugo", "edit")]
        rows.append(f"| {n:,} | {' | '.join(ratios)} | {peak} |")
    rows += ["", "Every run, in order (digest's first edit after a cold build also keeps the site model that "
             "makes the later edits quick):", ""]
    for n, tools in results.items():
        for name, tool in tools.items():
            runs_text = "; ".join(f"{label} " + ", ".join(f"{s:.2f}" for s in timing.seconds)
                                  for label, timing in tool.results.items())
            rows.append(f"- {n:,} {name}: {runs_text} s")
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/digest-bench"), help="corpora and outputs")
    parser.add_argument("--pelican-max", type=int, default=10000, help="largest size Pelican is timed at")
    parser.add_argument("--hugo-max", type=int, default=50000, help="largest size Hugo is timed at")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.md")
    args = parser.parse_args()
    results = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        results[n] = bench(n, args.work, args.runs, args.pelican_max, args.hugo_max)
        args.out.write_text(table(results, args.runs), encoding="utf-8")
        print(table({n: results[n]}, args.runs), flush=True)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
