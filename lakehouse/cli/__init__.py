"""The `lakehouse` command line: one module per subcommand, each with `register(subparsers)`.

A subcommand module adds its parser and sets `func=run(args) -> int`. Failures
the user can fix raise LakehouseError; main() prints them as one line.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from localglue.errors import JobFailed, LakehouseError

# Order here is the order in `--help`.
SUBCOMMANDS = [
    "demo",
    "generate",
    "ingest",
    "run",
    "job",
    "warm",
    "grade",
    "crawl",
    "sql",
    "aws",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lakehouse",
        description="Run Glue Studio-exported STEDI jobs unchanged on a local lake.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        importlib.import_module(f"lakehouse.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except LakehouseError as exc:
        # A failed job's summary starts with "job <name> failed at ..." (Glue's own wording).
        prefix = "" if isinstance(exc, JobFailed) else "error: "
        print(f"{prefix}{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
