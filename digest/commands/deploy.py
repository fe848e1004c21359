"""`digest deploy`: publish the built site to S3-compatible object storage."""

from __future__ import annotations

import argparse
from pathlib import Path

from digest import config as config_mod
from digest.output import deploy


def register(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("deploy", help="upload the built site to S3-compatible storage (only what changed)")
    d.add_argument("--output", type=Path, help="the built site to publish (default from config: site/)")
    d.add_argument("--endpoint", help="S3 endpoint URL for storage other than AWS (deploy.endpoint)")
    d.add_argument("--bucket", help="bucket name (deploy.bucket)")
    d.add_argument("--prefix", help="folder inside the bucket the site lives in (deploy.prefix; default: the top)")
    d.add_argument("--region", help="region of the bucket (deploy.region; default from the AWS environment)")
    d.add_argument("--dry-run", action="store_true", help="list what would be uploaded and deleted; change nothing")
    d.add_argument("--force", action="store_true", help="delete more files than deploy.max_deletes allows")


def run(args: argparse.Namespace) -> int:
    cfg = config_mod.load(args.config, output=args.output)
    target = deploy.settings(config_mod.section("deploy", args.config), bucket=args.bucket,
                             endpoint=args.endpoint, prefix=args.prefix, region=args.region)
    report = deploy.deploy(cfg.output, target, dry_run=args.dry_run, force=args.force)
    changed = f"{report.uploaded} files ({report.new} new, {report.uploaded - report.new} changed)"
    if args.dry_run:
        print(f"dry run: would upload {changed}, delete {report.deleted}, leave {report.unchanged} unchanged "
              f"at {report.where}; nothing was changed")
    else:
        print(f"deployed {cfg.output}/ to {report.where}: uploaded {changed}, deleted {report.deleted}, "
              f"{report.unchanged} unchanged, in {report.seconds:.2f} s")
    return 0
