"""One module per subcommand; each defines `register(subparsers)` and `run(args) -> int`.

Keeping commands apart lets each grow (ingest, check, serve...) without touching the others.
"""

COMMANDS = ("build", "check", "new", "stats", "serve", "ingest", "deploy")
