"""`digest stats`: where coverage is thin and what still waits for review, in the terminal."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from digest import config as config_mod
from digest.content.loader import load_all
from digest.content.stats import coverage
from digest.reference.refdata import load


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("stats", help="entries per province x stage, empty provinces, open reviews")
    s.add_argument("--content", type=Path, help="content folder (default from config: content/)")


def run(args: argparse.Namespace) -> int:
    ref = load()
    content = args.content or config_mod.load(args.config).content
    cov = coverage(load_all(content, ref), ref)
    stages = list(ref.stages.values())
    table = Table(title=f"Berita per provinsi × tahapan ({cov.total})", show_footer=True)
    table.add_column("Provinsi", footer="Jumlah")
    for s in stages:
        table.add_column(s.short, justify="right", footer=str(cov.column_total(s.slug)))
    table.add_column("Jumlah", justify="right", footer=str(cov.total))
    for p in cov.rows:
        cells = [str(cov.counts[(p.slug, s.slug)] or "·") for s in stages]
        table.add_row(p.name, *cells, str(cov.row_total(p)))
    console = Console(width=max(Console().width, 130))
    console.print(table)
    console.print(f"Provinsi tanpa berita ({len(cov.empty)}): " + (", ".join(p.name for p in cov.empty) or "-"),
                  highlight=False)
    console.print(f"Menunggu pemeriksaan (review): {cov.waiting_review} berita · draf: {cov.drafts}", highlight=False)
    return 0
