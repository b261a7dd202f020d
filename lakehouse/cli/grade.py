"""`python -m lakehouse grade PROJECT_DIR [--data DIR] [--lake DIR] [--keep-lake]
[--report-dir DIR] [--order SCRIPT ...] [--job-arg KEY=VALUE ...] [--rows] [--json]
[--job-timeout S] [--memory-limit SIZE] [--catalog-case data|lower]`: run a learner's own Glue
scripts, in a child process walled off from the grader, and grade them.

`grade SUBMISSION... | --class DIR [--jobs N] [--force] [--submission-timeout S]` grades a
class: every folder, .zip, .tar.gz/.tgz or git bundle, side by side, each in a grade process
of its own (grading/classroom.py), then writes the class summary (grading/summary.py).

Whatever the project holds, the command ends with exit 0, 1 or 2, one-line messages and a
report.json: a grade that cannot finish writes {"status": "error", "error": "..."} there
(an internal error also its trace, in logs/internal-error.log)."""

from __future__ import annotations

import argparse
import json
import signal
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


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return value


def register(sub) -> None:
    parser = sub.add_parser(
        "grade",
        help="grade a STEDI project: run its own Glue scripts unchanged, count, check privacy",
        description="Find the Glue job scripts and Athena DDL under PROJECT_DIR, rebuild the "
        "learner's AWS account in a fresh lake (landing files under their bucket, their "
        "tables), run the jobs unchanged in dependency order, count the eight rubric tables "
        "with DuckDB and check consent. Exit 0 pass, 1 a job fails / a count differs / a "
        "privacy check fails, 2 usage or setup error. Several submissions (folders, .zip, "
        ".tar.gz/.tgz, git bundles) or --class DIR grade a class side by side and write "
        "summary.csv/json/md/html beside one report folder per submission. See docs/grade.md.",
    )
    parser.add_argument(
        "submissions",
        nargs="*",
        metavar="SUBMISSION",
        help="a project folder; several folders or archives (.zip, .tar.gz/.tgz, git bundle) "
        "grade a class",
    )
    parser.add_argument(
        "--class",
        dest="class_dir",
        metavar="DIR",
        help="grade every sub-folder, .zip, .tar.gz/.tgz and git bundle in DIR as a class",
    )
    parser.add_argument(
        "--jobs",
        type=count,
        metavar="N",
        help="class: submissions graded side by side (default: one per core, as many as the "
        "memory holds at each grade's --memory-limit)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="class: grade again submissions already graded with the same files, data, grader "
        "and options (default: skipped, so an interrupted class run resumes)",
    )
    parser.add_argument(
        "--submission-timeout",
        type=seconds,
        default=1800,
        metavar="SECONDS",
        help="class: a submission's whole grade running longer is stopped, its row an error; "
        "the others go on (default 1800)",
    )
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
        help="where report.json/md and images go (default: reports/grade/<project folder "
        "name>; a class: reports/grade/<class folder name>, one sub-folder per submission)",
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


class Terminated(BaseException):
    """SIGTERM: raised where the grade is, so its child is ended and its lake removed."""


def _terminate(signum, frame) -> None:
    raise Terminated()


def run(args) -> int:
    from grading.archives import kind

    if args.class_dir or len(args.submissions) != 1 or kind(Path(args.submissions[0])):
        return run_class(args)  # an archive alone is a class of one: it is unpacked first
    signal.signal(signal.SIGTERM, _terminate)
    from grading.classroom import follow_parent

    follow_parent()
    return run_one(args, args.submissions[0])


def run_one(args, project: str) -> int:
    from grading.execute import Limits, default_memory
    from grading.grade import default_report_dir, error_report, grade
    from grading.report import PASSED, terminal
    from localglue.catalog_case import current

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    folder = Path(args.report_dir or default_report_dir(project))
    try:
        doc = grade(
            project,
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
        doc = error_report(project, _first_line(exc, str(exc)), folder)
        print(f"error: {doc['error']}", file=sys.stderr)
        return exc.exit_code
    except Terminated:
        error_report(project, "the grade was stopped (SIGTERM) before it finished", folder)
        print("error: stopped (SIGTERM)", file=sys.stderr)
        return 143
    except Exception as exc:  # noqa: BLE001 - never a traceback: a report saying what broke
        message = "internal error: " + _first_line(exc, f"{type(exc).__name__}: {exc}")
        doc = error_report(project, message, folder, exc)
        print(f"error: {message} (trace: {doc.get('trace', 'not written')})", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        print(terminal(doc))
        print(f"\nreport: {folder / 'report.md'}")
        if args.keep_lake and not args.lake:
            print(f"lake kept: {doc['lake']}")
    return 0 if doc["status"] == PASSED else 1


SINGLE_ONLY = {"lake": "--lake", "keep_lake": "--keep-lake", "order": "--order"}


def run_class(args) -> int:
    from grading import classroom, progress
    from grading.execute import default_memory

    if args.class_dir and args.submissions:
        raise LakehouseError("pass submissions or --class DIR, not both")
    if not args.class_dir and not args.submissions:
        raise LakehouseError("pass a project folder, several submissions, or --class DIR")
    for dest, flag in SINGLE_ONLY.items():
        if getattr(args, dest):
            raise LakehouseError(f"{flag} is for one project; grade that submission alone")
    if args.class_dir:
        subs, ignored = classroom.find_submissions(Path(args.class_dir))
        name = Path(args.class_dir).resolve().name
        if not subs:
            raise LakehouseError(f"--class {args.class_dir} holds no sub-folder, .zip, "
                                 ".tar.gz/.tgz or git bundle")  # fmt: skip
    else:
        paths = [Path(p) for p in args.submissions]
        subs, ignored, name = classroom.name_submissions(paths), [], classroom.class_name(paths)
    memory = args.memory_limit or default_memory()
    grade_args = ["--job-timeout", f"{args.job_timeout:g}", "--memory-limit", str(memory)]
    grade_args += [f"--job-arg={pair}" for pair in args.job_arg]
    grade_args += ["--rows"] * args.rows + (["--master", args.master] if args.master else [])
    job_args(args.job_arg)  # a malformed pair is a usage error now, not in every grade
    options = classroom.Options(
        report_dir=Path(args.report_dir or Path("reports") / "grade" / name),
        data=Path(args.data) if args.data else None,
        jobs=args.jobs,
        force=args.force,
        submission_timeout=args.submission_timeout,
        grade_args=grade_args,
        memory_limit=memory,
    )
    display = progress.for_terminal(len(subs))
    if ignored:
        display.note(f"not submissions (left out): {', '.join(ignored)}")
    signal.signal(signal.SIGTERM, _terminate)
    try:
        doc = classroom.ClassRun(name, subs, options, display).run()
    except (KeyboardInterrupt, Terminated):
        print(f"error: interrupted; what was graded is kept in {options.report_dir}: run the "
              "same command again to resume", file=sys.stderr)  # fmt: skip
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        print(class_table(doc))
        print(f"\nsummary: {options.report_dir / 'summary.html'} (and summary.md, .csv, .json)")
    return 0 if doc["totals"]["passed"] == doc["totals"]["submissions"] else 1


def class_table(doc: dict) -> str:
    t = doc["totals"]
    lines = [f"class {doc['class']}: {t['submissions']} submissions, {t['passed']} passed, "
             f"{t['failed']} failed, {t['error']} not graded"]  # fmt: skip
    width = max([len(r["submission"]) for r in doc["submissions"]] + [10])
    for r in doc["submissions"]:
        group = f" [same scripts: {r['copy_group']}]" if r["copy_group"] else ""
        why = "" if r["verdict"] == "passed" else f"  {r['why']}"
        lines.append(f"  {r['submission']:<{width}}  {r['verdict'].upper():<6}{group}{why}")
    return "\n".join(lines)


def _first_line(exc: BaseException, text: str) -> str:
    return (text.strip().splitlines() or [type(exc).__name__])[0]
