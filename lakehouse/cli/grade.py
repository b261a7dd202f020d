"""`python -m lakehouse grade PROJECT_DIR [--data DIR] [--lake DIR] [--keep-lake]
[--report-dir DIR] [--order SCRIPT ...] [--job-arg KEY=VALUE ...] [--rows] [--json]
[--job-timeout S] [--memory-limit SIZE] [--catalog-case data|lower]`: run a learner's own Glue
scripts, in a child process walled off from the grader, and grade them.

Whatever the project holds, the command ends with exit 0, 1 or 2, one-line messages and a
report.json: a grade that cannot finish writes {"status": "error", "error": "..."} there
(an internal error also its trace, in logs/internal-error.log)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lakehouse.cli import catalog_case
from localglue.errors import LakehouseError


def size(text: str) -> int:
    from grading.execute import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def register(sub) -> None:
    parser = sub.add_parser(
        "grade",
        help="grade a STEDI project: run its own Glue scripts unchanged, count, check privacy",
        description="Find the Glue job scripts and Athena DDL under PROJECT_DIR, rebuild the "
        "learner's AWS account in a fresh lake (landing files under their bucket, their "
        "tables), run the jobs unchanged in dependency order, count the eight rubric tables "
        "with DuckDB and check consent. Exit 0 pass, 1 a job fails / a count differs / a "
        "privacy check fails, 2 usage or setup error. See docs/grade.md.",
    )
    parser.add_argument("project", metavar="PROJECT_DIR")
    parser.add_argument(
        "--data",
        help="landing folder in the shared data's layout (<source>/landing/*.json); default: "
        "the generated sample, with its manifest's expected counts",
    )
    parser.add_argument(
        "--lake",
        help="an empty folder for the fresh lake, kept (default: a temporary folder, removed "
        "after the grade)",
    )
    parser.add_argument(
        "--keep-lake",
        action="store_true",
        help="keep the temporary lake and print where it is (to query it with `sql --lake`)",
    )
    parser.add_argument(
        "--report-dir",
        help="where report.json/md and images go (default: reports/grade/<project folder name>)",
    )
    parser.add_argument(
        "--order", nargs="+", metavar="SCRIPT", help="run only these scripts, in this order"
    )
    parser.add_argument(
        "--job-arg",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a job parameter the Glue console passed (--KEY VALUE to every job), for scripts "
        "that ask getResolvedOptions for it; repeatable",
    )
    catalog_case.add_option(parser)
    parser.add_argument(
        "--rows", action="store_true", help="show example rows of privacy violations"
    )
    parser.add_argument("--json", action="store_true", help="print report.json to stdout")
    parser.add_argument("--master", help="Spark master URL (default: local[2])")
    parser.add_argument(
        "--job-timeout",
        type=seconds,
        default=600,
        metavar="SECONDS",
        help="a job running longer is stopped and FAILED; the next jobs still run (default 600)",
    )
    parser.add_argument(
        "--memory-limit",
        type=size,
        metavar="SIZE",
        help="resident memory of the jobs' processes (JVM included, e.g. 6g); over it the "
        "job is stopped and FAILED (default: the driver heap STEDI_DRIVER_MEMORY + 4g)",
    )
    parser.set_defaults(func=run)


def job_args(pairs: list[str]) -> dict[str, str]:
    parsed = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().removeprefix("--")
        if not sep or not key:
            raise LakehouseError(
                f"--job-arg {pair!r}: write KEY=VALUE, e.g. --job-arg S3_SOURCE=s3://bucket/"
            )
        parsed[key] = value
    return parsed


def run(args) -> int:
    from grading.execute import Limits, default_memory
    from grading.grade import default_report_dir, error_report, grade
    from grading.report import PASSED, terminal
    from localglue.catalog_case import current

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    folder = Path(args.report_dir or default_report_dir(args.project))
    try:
        doc = grade(
            args.project,
            data=args.data,
            lake_dir=args.lake,
            report_dir=folder,
            order=args.order,
            rows=args.rows,
            master=args.master,
            progress=progress,
            keep_lake=args.keep_lake,
            job_args=job_args(args.job_arg),
            limits=Limits(args.job_timeout, args.memory_limit or default_memory()),
            catalog_case=args.catalog_case or current(),  # the child does not see $STEDI_*
        )
    except LakehouseError as exc:
        doc = error_report(args.project, _first_line(exc, str(exc)), folder)
        print(f"error: {doc['error']}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - never a traceback: a report saying what broke
        message = "internal error: " + _first_line(exc, f"{type(exc).__name__}: {exc}")
        doc = error_report(args.project, message, folder, exc)
        print(f"error: {message} (trace: {doc.get('trace', 'not written')})", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        print(terminal(doc))
        folder = args.report_dir or default_report_dir(args.project)
        print(f"\nreport: {Path(folder) / 'report.md'}")
        if args.keep_lake and not args.lake:
            print(f"lake kept: {doc['lake']}")
    return 0 if doc["status"] == PASSED else 1


def _first_line(exc: BaseException, text: str) -> str:
    return (text.strip().splitlines() or [type(exc).__name__])[0]
