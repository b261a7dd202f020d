"""`python -m bench.grade_vs_run [--shared DIR] [--rounds N]`: a grade of a 5-job project next
to `lakehouse run` of the same five jobs, on the shared data, in one process and one Spark
session; `python -m bench` runs it as one of its steps and records the figure.

WHY: a grade adds discovery, static reading, byte-for-byte landing, DuckDB counts, privacy
checks, graphs and screenshots around the same job runs; the target is <= 1.2x the run.
One untimed run first (JVM start, first-query compilation, Python workers: a cold first run
took 4x a warm one), then the two alternate, the order swapped each round (run, grade, grade,
run, ...), so that a burst of other load on the machine hits both; the figure is the ratio of
the medians.
The run is `python -m lakehouse run --no-validate` (jobs + count table) on a lake ingested
beforehand (ingest not timed); the grade lays its own landing files, and that is timed.
Prints one JSON object on stdout (progress and the run's table go to stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "stedi-udacity"
TARGET_RATIO = 1.2


def timed_run(shared: Path, profile: str, lake_dir: Path) -> float:
    """Seconds of `lakehouse run --no-validate` on a freshly ingested lake."""
    from lakehouse.cli import main as cli_main
    from localglue.lake import Lake
    from stedi.ingest import ingest

    ingest(shared, Lake(lake_dir))
    started = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        code = cli_main(["run", "--profile", profile, "--lake", str(lake_dir), "--no-validate"])
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"lakehouse run exited {code}")
    return seconds


def timed_grade(shared: Path, profile: str, work: Path, i: int) -> tuple[float, str]:
    from grading.grade import grade

    project = work / "project"
    if not project.is_dir():
        shutil.copytree(REPO / "studio_jobs" / profile, project / profile)
    started = time.perf_counter()
    doc = grade(project, shared, str(work / f"grade-lake-{i}"), work / f"report-{i}")
    return time.perf_counter() - started, doc["status"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.grade_vs_run")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--profile", default="rubric")
    parser.add_argument("--rounds", type=int, default=2, help="run+grade pairs, alternated")
    args = parser.parse_args(argv)

    from localglue.spark import get_spark

    work = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    runs, grades, statuses = [], [], []
    load_before = os.getloadavg()[0]
    try:
        get_spark().range(1).count()
        timed_run(args.shared, args.profile, work / "warm-up-lake")  # not counted
        for i in range(args.rounds):
            if i % 2 == 0:
                runs.append(timed_run(args.shared, args.profile, work / f"run-lake-{i}"))
            seconds, status = timed_grade(args.shared, args.profile, work, i)
            grades.append(seconds)
            statuses.append(status)
            if i % 2 == 1:
                runs.append(timed_run(args.shared, args.profile, work / f"run-lake-{i}"))
            print(f"round {i + 1}: run {runs[-1]:.1f} s, grade {seconds:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run_s, grade_s = statistics.median(runs), statistics.median(grades)
    out = {
        "profile": args.profile,
        "rounds": args.rounds,
        "run_seconds": [round(s, 1) for s in runs],
        "grade_seconds": [round(s, 1) for s in grades],
        "ratio": round(grade_s / run_s, 2),
        "target_ratio": TARGET_RATIO,
        "grade_status": "passed" if all(s == "passed" for s in statuses) else "failed",
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    print(json.dumps(out))
    return 0 if out["grade_status"] == "passed" else 1


if __name__ == "__main__":
    sys.exit(main())
