"""Time digest against Hugo and Pelican on the same generated corpus, and write a Markdown table.

    python -m benchmarks.run --sizes 10000,50000,100000 [--search-max 10000]

For each size: a cold build (`digest build --clean`; digest builds with --no-search, since
Hugo and Pelican build no search index), a no-op rebuild and a one-entry edit (title
and a paragraph of one entry changed), each timed as a whole process (the real interpreter, not a
shim), median of --runs (edits: at least 3, since the first after a cold build also keeps the
site model), with its CPU time and the peak resident memory of the process and its workers (wait4).
Hugo builds the same files with equivalent templates (benchmarks/hugo_site/) for all three
measures; Pelican (benchmarks/pelican_site/) only cold, and only up to --pelican-max entries
because it takes minutes beyond. Up to --search-max entries digest is also timed with its search
index, against Hugo followed by Pagefind over Hugo's articles. The corpus is kept in --work and
reused by later runs. The per-entry table divides each figure by the size, so a step that grows
faster than linearly shows as a growing cost per entry.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shlex
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
    cpu: list[float] = field(default_factory=list)  # user + system seconds of the process and its workers
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
    into.cpu.append(usage.ru_utime + usage.ru_stime)
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


def corpus(n: int, work: Path, pelican: bool) -> Path:
    """work/<n>/ with the corpus as digest, Hugo and (if `pelican`) Pelican projects (generated once,
    then reused)."""
    folder = work / str(n)
    marker = folder / "generated"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        items = generate.write(n, folder / "digest" / "content")
        others.hugo_project(items, folder / "hugo")
        marker.write_text(str(n))
    if pelican and not (folder / "pelican").exists():
        others.pelican_project([generate.item(i, folder / "digest" / "content") for i in range(n)],
                               folder / "pelican")
    (folder / "digest" / "digest.yaml").write_text(
        f"title: Digest Keamanan Pemilu\nbase_url: https://digest.example.id/\nitems_per_page: 20\nfeed_size: 50\n"
        f"content: content\noutput: site\ntemplates: {ROOT / 'templates'}\n", encoding="utf-8")
    return folder


@dataclass(frozen=True)
class Plan:
    """What one run measures: how often, and up to which size each slower tool and search run."""

    work: Path
    runs: int
    pelican_max: int
    hugo_max: int
    search_max: int


def pagefind_command(hugo: list[str], project: Path) -> list[str]:
    """Hugo, then Pagefind over Hugo's articles (what digest's search indexes), as one timed process."""
    import pagefind_bin  # noqa: PLC0415  only the search runs need it

    pagefind = [str(pagefind_bin.get_executable()), "--site", str(project / "public"), "--glob", "berita/**/*.html",
                "--output-path", str(project / "pagefind"), "--silent"]
    return ["sh", "-c", f"{shlex.join(hugo)} && {shlex.join(pagefind)}"]


@dataclass(frozen=True)
class Edits:
    """The entry a tool's edit runs change, and the revision number its first edit writes."""

    target: Path
    first: int

    def __call__(self, i: int) -> None:
        edit(self.target, self.first + i)


def digest_tool(name: str, folder: Path, edits: Edits, runs: int, *, search: bool) -> Tool:
    """digest's cold build, no-op rebuild and one-entry edits, with or without its search index."""
    command = [sys.executable, "-m", "digest", "build", "--quiet", "--clean"] + ([] if search else ["--no-search"])
    tool = Tool(name, command, folder, dict(os.environ, PYTHONPATH=str(ROOT)))
    tool.measure("cold", runs)
    tool.command.remove("--clean")
    tool.measure("noop", runs)
    tool.measure("edit", max(runs, 3), edits)
    return tool


def hugo_tool(name: str, command: list[str], folder: Path, edits: Edits, runs: int) -> Tool:
    """Hugo's build (it has no incremental mode: each measure is a full build) after each change."""
    tool = Tool(name, command, folder)
    for label in ("cold", "noop"):
        tool.measure(label, runs)
    tool.measure("edit", runs, edits)
    return tool


def bench(n: int, plan: Plan, tools: dict[str, Tool], measured: Callable[[], None]) -> None:
    """Time every tool at size n into `tools`, telling `measured` after each (a long run's table
    is written as it goes)."""
    folder = corpus(n, plan.work, n <= plan.pelican_max)
    target = folder / "digest" / "content" / f"{generate.entry(n // 2)[0]['id']}.md"  # Hugo's copy is a hard link
    revision = int(time.time())
    tools["digest"] = digest_tool("digest", folder / "digest", Edits(target, revision), plan.runs, search=False)
    measured()
    hugo = others.hugo_command(folder / "hugo")
    if hugo and n <= plan.hugo_max:
        tools["hugo"] = hugo_tool("hugo", hugo, folder / "hugo", Edits(target, revision + 100), plan.runs)
        measured()
    pelican = others.pelican_command(folder / "pelican")
    if pelican and n <= plan.pelican_max:
        tools["pelican"] = Tool("pelican", pelican, folder / "pelican")
        tools["pelican"].measure("cold", plan.runs)
        measured()
    if n <= plan.search_max:
        tools["digest + search"] = digest_tool("digest + search", folder / "digest", Edits(target, revision + 200),
                                               plan.runs, search=True)
        measured()
        if hugo:
            tools["hugo + pagefind"] = hugo_tool("hugo + pagefind", pagefind_command(hugo, folder / "hugo"),
                                                 folder / "hugo", Edits(target, revision + 300), plan.runs)
            measured()


def _cell(tools: dict[str, Tool], tool: str, label: str) -> str:
    t = tools.get(tool)
    return f"{t.results[label].median:.2f} s" if t and label in t.results else "—"


def _ratio(tools: dict[str, Tool], a: str, la: str, b: str, lb: str) -> str:
    if a not in tools or b not in tools or la not in tools[a].results or lb not in tools[b].results:
        return "—"
    return f"{tools[a].results[la].median / tools[b].results[lb].median:.2f}x"


def _peak_ratio(tools: dict[str, Tool], a: str, b: str) -> str:
    return f"{tools[a].peak_mib / tools[b].peak_mib:.2f}x" if a in tools and b in tools else "—"


def _per_entry(n: int, tool: Tool, label: str) -> str:
    timing = tool.results.get(label)
    if not timing:
        return "—"
    return f"{timing.median / n * 1e6:.0f} µs ({statistics.median(timing.cpu) / n * 1e6:.0f} µs CPU)"


def table(results: dict[int, dict[str, Tool]], runs: int) -> str:
    rows = [f"Medians of {runs} whole-process runs (digest's edits: of at least 3); peak = largest resident set of "
            "the process or any worker.", "",
            "| entries | tool | cold build | no-op rebuild | one entry edited | peak memory |",
            "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for n, tools in results.items():
        for name, tool in tools.items():
            rows.append(f"| {n:,} | {name} | {_cell(tools, name, 'cold')} | {_cell(tools, name, 'noop')} | "
                        f"{_cell(tools, name, 'edit')} | {tool.peak_mib:.0f} MiB |")
    rows += ["", "| entries | compared | cold | no-op | edit | peak memory |",
             "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for n, tools in results.items():
        for a, b in (("digest", "hugo"), ("digest + search", "hugo + pagefind"), ("pelican", "digest")):
            if a in tools and b in tools:
                ratios = [_ratio(tools, a, label, b, label) for label in ("cold", "noop", "edit")]
                rows.append(f"| {n:,} | {a} ÷ {b} | {' | '.join(ratios)} | {_peak_ratio(tools, a, b)} |")
    rows += ["", "Per entry (wall time, and CPU time of the process and its workers, divided by the entries):", "",
             "| entries | tool | cold build | no-op rebuild | one entry edited | peak memory |",
             "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for n, tools in results.items():
        for name, tool in tools.items():
            cells = [_per_entry(n, tool, label) for label in ("cold", "noop", "edit")]
            rows.append(f"| {n:,} | {name} | {' | '.join(cells)} | {tool.peak_mib * 1024 / n:.1f} KiB |")
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
    parser.add_argument("--sizes", default="10000,50000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/digest-bench"), help="corpora and outputs")
    parser.add_argument("--pelican-max", type=int, default=10000, help="largest size Pelican is timed at")
    parser.add_argument("--hugo-max", type=int, default=100000, help="largest size Hugo is timed at")
    parser.add_argument("--search-max", type=int, default=10000,
                        help="largest size digest is also timed with search (and Hugo with Pagefind)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results.md")
    args = parser.parse_args()
    plan = Plan(args.work, args.runs, args.pelican_max, args.hugo_max, args.search_max)
    # Timed as installed: an installed digest has its modules' bytecode, but with
    # PYTHONDONTWRITEBYTECODE set (as on this machine) a source checkout compiles every module it
    # changed since the last compile in every run, which would count in every timing.
    compileall.compile_dir(ROOT / "digest", quiet=1)
    results: dict[int, dict[str, Tool]] = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        results[n] = {}
        bench(n, plan, results[n], lambda: args.out.write_text(table(results, args.runs), encoding="utf-8"))
        print(table({n: results[n]}, args.runs), flush=True)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
