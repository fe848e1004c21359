"""The search page on a cheap phone: how long /cari/ takes to become usable and to answer, and what it fetches.

    python -m benchmarks.phone_search [--size 10000] [--shards 1,8,16] [--runs 3]

Builds a generated corpus with its search index (reused from --work on later runs), then, for each
shard count asked for other than the build's own, a copy of the site (hard links) indexed again by
digest's own indexer in that many shards, so the variants differ in their index alone. Each is
served from a local static server to headless Chromium emulating a cheap phone: a 360x800
screen, the CPU slowed down by --cpu (DevTools' CPU throttling) and a slow network (DevTools'
network conditions: latency added to every request, bandwidth capped). Every run is a fresh
browser context (nothing cached) that opens /cari/, waits for the search form to be usable (the
index loaded), then submits a query and waits for the result count.

Times are taken in the page (performance.now()): to the form being usable, and from pressing
Enter to the first result painted (the frame after it is added); their sum is what a reader waits
in all, since Pagefind may load part of the index at the first search rather than at once. Bytes
are the encoded sizes of every response, the search worker's fetches included (Chromium reports
the worker's own script as 0 bytes). Each step has its own deadline, and a step that misses it is
reported as such with the page's status line, never as a silent hang.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from benchmarks.run import ROOT, corpus
from digest import urls
from digest.output import search
from digest.output.writer import Output, WorkTree
from tests.conftest import CHROMIUM
from tests.sitetools import relative, static_server


@dataclass(frozen=True)
class Network:
    """A mobile link as DevTools emulates it."""

    latency_ms: int
    down_kbit: int
    up_kbit: int

    def conditions(self) -> dict[str, object]:
        return {"offline": False, "latency": self.latency_ms, "downloadThroughput": self.down_kbit * 1000 / 8,
                "uploadThroughput": self.up_kbit * 1000 / 8}


@dataclass(frozen=True)
class Phone:
    """The emulated phone: its link and how many times slower its CPU is than this machine's."""

    network: Network
    cpu: float


NETWORKS = {"slow 4G": Network(150, 1600, 750), "3G": Network(400, 400, 400)}
QUERIES = {"common word": "pengamanan", "rare word": "sumedang", "two words": "kotak suara"}
STEP_TIMEOUT_MS = 180_000  # per step: generous on a throttled, shared machine, and reported when missed

# Records, in page time, when the form becomes usable (its filters shown and no "Memuat" in its
# status line: the index loaded), when Enter is pressed in the search box and when the first result
# after it is painted.
PROBE = """
window.__phone = {};
addEventListener("keydown", (e) => { if (e.key === "Enter") { window.__phone.enter = performance.now(); } }, true);
new MutationObserver(() => {
  const p = window.__phone;
  const filters = document.querySelector("details.filters");
  const status = document.querySelector(".search-status");
  if (p.ready === undefined && filters && !filters.hidden && !status.textContent.startsWith("Memuat")) {
    p.ready = performance.now();
  }
  if (p.enter !== undefined && p.painted === undefined && document.querySelector(".search-results li")) {
    p.painted = -1;
    requestAnimationFrame(() => requestAnimationFrame(() => { p.painted = performance.now(); }));
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""


@dataclass
class Sample:
    """One variant, network and query: each run's figures."""

    ready_s: list[float] = field(default_factory=list)
    answer_s: list[float] = field(default_factory=list)
    kib: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def built_site(size: int, work: Path) -> Path:
    """The corpus's site with its search index, built (or brought up to date) by the current code."""
    folder = corpus(size, work, pelican=False) / "digest"
    subprocess.run([sys.executable, "-m", "digest", "build", "--quiet"], cwd=folder, check=True,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return folder / "site"


def shard_count(site: Path) -> int:
    return len((site / search.SHARDS).read_text(encoding="utf-8").split(","))


def with_shards(site: Path, count: int, dest: Path) -> Path:
    """`site`, or a copy of it (hard links) whose search index digest's indexer made again in
    `count` shards: the same pages, so only the index differs."""
    if count == shard_count(site):
        return site  # the build's own index
    pages = {p.relative_to(site).as_posix(): None for p in site.rglob("*.html")}
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(site, dest, copy_function=os.link,
                    ignore=lambda folder, _: [search.FOLDER] if Path(folder) == site else [])
    with mock.patch.object(search, "MAX_SHARDS", count), mock.patch.object(search, "SHARD_PAGES", 1):
        search.index(WorkTree(dest, {}), pages, Output(dest, None, None))
    return dest


def measure(browser, base: str, phone: Phone, query: str, into: Sample) -> None:
    """One cold visit of /cari/ on the emulated phone: usable, then one query answered."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sizes: list[int] = []

        def fetched(request) -> None:  # sizes() asks the browser: once per request
            size = request.sizes()
            sizes.append(size["responseBodySize"] + size["responseHeadersSize"])

        context.on("requestfinished", fetched)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", phone.network.conditions())
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": phone.cpu})
        page.add_init_script(PROBE)
        step = "opening /cari/"
        try:
            page.goto(base + relative(urls.SEARCH), wait_until="commit", timeout=STEP_TIMEOUT_MS)
            step = "waiting for the form to be usable"
            page.wait_for_function("window.__phone.ready !== undefined", timeout=STEP_TIMEOUT_MS, polling=100)
            step = "typing the query"
            page.fill("#kata", query, timeout=STEP_TIMEOUT_MS)
            page.press("#kata", "Enter", timeout=STEP_TIMEOUT_MS)
            step = "waiting for the first result"
            page.wait_for_function("window.__phone.painted > 0", timeout=STEP_TIMEOUT_MS, polling=100)
            page.wait_for_function("/\\d|Tidak ada/.test(document.querySelector('.search-status').textContent)",
                                   timeout=STEP_TIMEOUT_MS, polling=100)
        except Exception as exc:  # noqa: BLE001  a missed step is a result, with what the page said
            status = page.locator(".search-status").inner_text(timeout=5000) if not page.is_closed() else ""
            into.failures.append(f"{step}: {type(exc).__name__} (status: {status!r})")
            return
        marks = page.evaluate("window.__phone")
        into.ready_s.append(marks["ready"] / 1000)
        into.answer_s.append((marks["painted"] - marks["enter"]) / 1000)
        time.sleep(0.2)  # the last responses' sizes arrive just after the result shows
        into.kib.append(sum(sizes) / 1024)
        into.requests.append(len(sizes))
    finally:
        context.close()


def _median(values: list[float], digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f}" if values else "-"


def table(results: dict[tuple[str, str, str], Sample], runs: int, cpu: float) -> str:
    lines = [f"CPU {cpu:g}x slower, 360x800, medians of {runs} cold visits", "",
             "| index | network | query | usable (s) | Enter to first result (s) | both (s) | fetched (KiB) "
             "| requests |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for (variant, network, label), s in results.items():
        failed = f" ({len(s.failures)} missed: {s.failures[0]})" if s.failures else ""
        both = [ready + answer for ready, answer in zip(s.ready_s, s.answer_s, strict=True)]
        lines.append(f"| {variant} | {network} | {label} \"{QUERIES[label]}\" | {_median(s.ready_s)} | "
                     f"{_median(s.answer_s)} | {_median(both)} | {_median(s.kib, 0)} | "
                     f"{_median(s.requests, 0)}{failed} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--shards", default="1,8,16", help="comma-separated shard counts to compare")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu", type=float, default=4.0, help="CPU slowdown (DevTools throttling rate)")
    parser.add_argument("--networks", default=",".join(NETWORKS), help=f"of {', '.join(NETWORKS)}")
    parser.add_argument("--work", type=Path, default=Path("/tmp/digest-phone"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  only this benchmark needs it

    site = built_site(args.size, args.work)
    variants = {}
    for count in (int(c) for c in args.shards.split(",")):
        folder = with_shards(site, count, args.work / f"site-{count}")
        variants[f"{shard_count(folder)} shard(s)"] = folder
    results: dict[tuple[str, str, str], Sample] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for _ in range(args.runs):  # interleaved, so a busy spell of the machine hits every variant
                for network in args.networks.split(","):
                    for label, query in QUERIES.items():
                        for variant, folder in variants.items():
                            with static_server(folder) as base:
                                sample = results.setdefault((variant, network, label), Sample())
                                measure(browser, base, Phone(NETWORKS[network], args.cpu), query, sample)
                            print(variant, network, label, sample, flush=True, file=sys.stderr)
        finally:
            browser.close()
    order = list(variants)
    print(table(dict(sorted(results.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1:]))), args.runs, args.cpu))
    print(f"\nload average {os.getloadavg()[0]:.1f}; {site}")


if __name__ == "__main__":
    main()
