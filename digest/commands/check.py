"""`digest check`: validate content without building, for editors and pre-commit hooks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digest import config as config_mod
from digest.errors import escape
from digest.reference.refdata import load
from digest.site.checks import check


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("check", help="validate content files without building (errors and warnings)")
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: content/)")
    c.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    c.add_argument("--strict", action="store_true",
                   help="for what gets published: open review fields, a missing source.url or source.outlet, "
                        "and drafts are errors")


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [config_mod.load(args.config).content]
    result = check(paths, load(), strict=args.strict)
    if args.format == "json":
        json.dump({"files": result.files, "errors": result.errors, "warnings": result.warnings,
                   "problems": [{"path": escape(p.path), "line": max(p.line, 1), "col": max(p.col, 1),
                                 "severity": p.severity, "message": escape(p.message)} for p in result.problems]},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for p in result.problems:
            print(p.located())
        print(f"checked {result.files} files: {result.errors} errors, {result.warnings} warnings",
              file=sys.stderr)
    return 1 if result.errors else 0
