"""The `lakehouse` command line: one module per subcommand, each with `register(subparsers)`.

A subcommand module adds its parser and sets `func=run(args) -> int`. Failures
the user can fix raise LakehouseError; main() prints them as one line.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from localglue.errors import JobFailed, LakehouseError
from localglue.extras import missing_extra

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

# The pip extra each command needs beyond the runtime (run and demo validate; see pyproject).
EXTRA = {"demo": "validation", "run": "validation", "grade": "grade", "aws": "aws"}


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
        try:
            return int(args.func(args) or 0)
        except ModuleNotFoundError as exc:  # an optional part of the install
            error = missing_extra(exc, f"lakehouse {args.command}", EXTRA.get(args.command))
            if error is None:
                raise
            raise error from exc
    except LakehouseError as exc:
        # A failed job's summary starts with "job <name> failed at ..." (Glue's own wording).
        prefix = "" if isinstance(exc, JobFailed) else "error: "
        print(f"{prefix}{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
