"""`digest serve`: preview with drafts, rebuilt on every save, pages reloaded in the browser."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from digest import config as config_mod
from digest.serve.devserver import Preview, serve, stderr_log

PREVIEW_DIR = ".digest-preview"
MAX_PORT = 65535


def register(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("serve", help="preview the site on 127.0.0.1, rebuilding and reloading on every save")
    s.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0 picks a free one; default 8000)")
    s.add_argument("--content", type=Path, help="content folder (default from config: content/)")
    s.add_argument("--output", type=Path,
                   help=f"where the preview is built (default: {PREVIEW_DIR}/ beside the config, so drafts "
                        "never land in the published site/)")
    s.add_argument("--search", action="store_true",
                   help="also build the search index on every save (off: Pagefind re-reads every article each "
                        "time, about 19 s at 10,000 entries)")


def run(args: argparse.Namespace) -> int:
    def load() -> config_mod.Config:
        """The config as the preview uses it: without the search index unless --search."""
        cfg = config_mod.load(args.config, content=args.content)
        return replace(cfg, search=cfg.search and args.search)

    if not 0 <= args.port <= MAX_PORT:
        stderr_log(f"digest serve: --port {args.port} is not a port; choose one from 1 to {MAX_PORT} "
                   "(0 picks a free one)")
        return 1
    cfg = load()
    config_path = args.config or Path(config_mod.CONFIG_NAME)
    output = args.output or config_path.absolute().parent / PREVIEW_DIR
    cfg = replace(cfg, output=output)
    try:
        serve(Preview(cfg, config_path, load, stderr_log), args.port)
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        stderr_log(f"digest serve: cannot listen on 127.0.0.1:{args.port}: {(exc.strerror or str(exc)).lower()}; "
                   "choose another --port (0 picks a free one)")
        return 1
    return 0
