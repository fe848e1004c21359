"""Command line: `digest build` (more subcommands arrive with later features)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from digest import __version__
from digest import config as config_mod
from digest.build import build
from digest.errors import DigestError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Static site for the Pemilu & Pilkada 2024 "
                                                                "election-security digest.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.add_argument("--config", type=Path, help="config file (default: ./digest.yaml if present)")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="render content/ into a static site")
    b.add_argument("--content", type=Path, help="content folder (default from config: content/)")
    b.add_argument("--output", type=Path, help="output folder (default from config: site/)")
    b.add_argument("--base-url", help="absolute URL the site is published at")
    b.add_argument("--drafts", action="store_true", help="include entries marked draft: true")
    b.add_argument("--quiet", action="store_true", help="print nothing on success")
    return parser


def _build(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, content=args.content, output=args.output, base_url=args.base_url)
    try:
        report = build(cfg, drafts=args.drafts, config_path=args.config or Path(config_mod.CONFIG_NAME))
    except DigestError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        n = len(exc.problems)
        print(f"build failed: {n} problem{'s' if n != 1 else ''}; {cfg.output} was left unchanged", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"built {report.entries} entries into {cfg.output}/: {report.pages} pages, "
              f"{report.feeds} feeds, {report.files} files in {report.seconds:.2f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"build": _build}[args.command](args)
    except DigestError as exc:  # problems outside a build, e.g. in digest.yaml
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the trace for developers
        if os.environ.get("DIGEST_DEBUG"):
            raise
        print(f"digest: internal error: {exc!r} (set DIGEST_DEBUG=1 to see the traceback)", file=sys.stderr)
        return 2
