"""`python -m lakehouse job [--lake DIR] [--master URL] [--catalog-case data|lower] SCRIPT [GLUE_ARGS...]`.

Runner options go before SCRIPT; everything after it is the script's sys.argv[1:],
verbatim, as Glue passes job arguments (`--JOB_NAME x --job-bookmark-option ...`).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from lakehouse.cli import catalog_case
from localglue.errors import JobFailed, LakehouseError


def register(sub) -> None:
    parser = sub.add_parser(
        "job",
        help="run one Glue script unchanged against the local lake",
        description="Run one Glue Studio-exported script unchanged. Options for the runner "
        "come before SCRIPT; everything after SCRIPT is passed to the script as its Glue "
        "job arguments. --JOB_NAME defaults to the script's file name.",
    )
    parser.add_argument("--lake", help="lake root (default: $STEDI_LAKE, else ./lake)")
    parser.add_argument("--master", help="Spark master URL (default: local[2])")
    parser.add_argument(
        "--verbose", action="store_true", help="print the full Python trace of a failed job"
    )
    catalog_case.add_option(parser)
    parser.add_argument("script", metavar="SCRIPT", help="the exported Glue script (.py)")
    parser.add_argument(
        "glue_args",
        metavar="GLUE_ARGS",
        nargs=argparse.REMAINDER,
        help="job arguments, e.g. --JOB_NAME x --job-bookmark-option job-bookmark-enable",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from lakehouse.cli import warm

    options = (["--lake", args.lake] if args.lake else []) + (["--verbose"] if args.verbose else [])
    options += catalog_case.forwarded(args)
    code = warm.submit(["job", *options, args.script, *args.glue_args], args.master)
    if code is not None:  # ran on the warm runtime (lakehouse warm)
        return code
    from localglue.lake import Lake
    from localglue.runner import run_jobs, with_job_name
    from localglue.spark import get_spark
    from localglue.transaction import recover
    from stedi import pipeline

    script = Path(args.script)
    if not script.is_file():
        raise LakehouseError(f"script {script} does not exist; pass the path of a Glue .py script")
    lake = Lake(args.lake)
    with pipeline.hold(lake, f"job {script}"):  # before Spark starts: a busy lake fails at once
        for line in recover(lake):
            print(f"recovered: {line}")
        spark = get_spark(args.master)
        [result] = run_jobs(
            [(script, with_job_name(script, args.glue_args))],
            lake,
            spark=spark,
            catalog_case=args.catalog_case,
        )
    if not result.ok:
        raise_failure(result, args.verbose)
    return 0


def raise_failure(result, verbose: bool = False):
    """JobFailed with the short Glue-style summary; the full trace only with --verbose."""
    if verbose and result.traceback:
        print(result.traceback, file=sys.stderr, end="")
    first, *rest = result.failure().split("\n")
    hint = missing_table_hint(result.error)
    raise JobFailed("\n".join([first, *([f"hint: {hint}"] if hint else []), *rest]))


def missing_table_hint(error: str | None) -> str:
    """For a table the job's catalog lacks: the database and table, and how to make them.

    A learner's job reads their own database, so `ingest` (which makes stedi's landing
    tables) is not the fix: their DDL or a crawl of the table's folder is.
    """
    if not error or not ("EntityNotFoundException" in error or error.startswith("TableNotFound")):
        return ""
    found = re.search(r"register ([^\s.]+)\.(\S+) from", error) or re.search(
        r"table ([^\s.]+)\.(\S+?)[\s;:,]", error + " "
    )
    database, table = found.groups() if found else ("DATABASE", "TABLE")
    return (
        f"missing table {table} in database {database}: register it with `.venv/bin/python -m "
        f"lakehouse crawl YOUR_DDL.sql --database {database}` or crawl its files with "
        f"`.venv/bin/python -m lakehouse crawl s3://BUCKET/PREFIX/ --database {database} "
        f"--table {table}`"
    )
