"""Command line entry point: `digest <command>`; each command lives in digest/commands/."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import NoReturn, Protocol

from digest import __version__
from digest.commands import COMMANDS
from digest.errors import DigestError, failure


class _Command(Protocol):
    """What each module of digest/commands/ provides."""

    def register(self, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def _parser(argv: list[str]) -> tuple[argparse.ArgumentParser, dict[str, _Command]]:
    """The parser with every command, or only the one `argv` names: `digest build` then never
    imports what ingest or serve need, which every rebuild would pay for."""
    parser = argparse.ArgumentParser(prog="digest", description="Static site for the Pemilu & Pilkada 2024 "
                                                                "election-security digest.")
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    parser.add_argument("--config", type=Path, help="config file (default: ./digest.yaml if present)")
    sub = parser.add_subparsers(dest="command", required=True)
    named = [name for name in COMMANDS if name in argv][:1]
    modules: dict[str, _Command] = {name: importlib.import_module(f"digest.commands.{name}")
                                    for name in named or COMMANDS}
    for module in modules.values():
        module.register(sub)
    for command in sub.choices.values():  # `digest build --config x.yaml` works as well
        command.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="config file")
    return parser, modules


def run() -> NoReturn:
    """The command line's entry point (console script and `python -m digest`): main(), then
    leave at once. A build holds tens of thousands of objects; freeing them one by one at exit
    can take longer than rebuilding the edited entry, and the operating system frees them
    anyway. Everything the command writes is closed (files are
    written and renamed into place) before main() returns; only stdout and stderr need flushing."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # reader gone or stream closed: nothing more to say
            code = code or 141
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser, modules = _parser(argv)
    args = parser.parse_args(argv)
    try:
        return modules[args.command].run(args)
    except DigestError as exc:  # problems outside a build, e.g. in digest.yaml
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # the environment, not the input: a full disk, a read-only folder
        if isinstance(exc, BrokenPipeError):  # output piped into `head` and the like: stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141
        print(failure(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not bad input: say so plainly, keep the trace for developers
        if os.environ.get("DIGEST_DEBUG"):
            raise
        print(f"digest: internal error: {exc!r} (set DIGEST_DEBUG=1 to see the traceback)", file=sys.stderr)
        return 2
