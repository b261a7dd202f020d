"""`python -m bench.grade_vs_run [--shared DIR]`: a grade of a 5-job project next to
`lakehouse run` of the same five jobs, on the shared data, in one process and one Spark session.

WHY: a grade adds discovery, static reading, byte-for-byte landing, DuckDB counts, privacy
checks, graphs and screenshots around the same job runs; the target is <= 1.2x the run.
Order: the run goes first (it pays the JVM start), so the grade's figure is not flattered by
a cold start (the grade runs warm, like the run's later jobs).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "stedi-udacity"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.grade_vs_run")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--profile", default="rubric")
    args = parser.parse_args(argv)

    from localglue.lake import Lake
    from localglue.spark import get_spark
    from stedi import pipeline
    from stedi.ingest import ingest
    from validation.grade.grade import grade

    work = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    try:
        spark = get_spark()
        spark.range(1).count()  # JVM up before either measurement
        lake = Lake(work / "run-lake")
        ingest(args.shared, lake)
        started = time.perf_counter()
        results = pipeline.run_profile(args.profile, lake, spark=spark)
        run_s = time.perf_counter() - started
        assert all(r.ok for r in results), [r.error for r in results]
        project = work / "project"
        shutil.copytree(REPO / "studio_jobs" / args.profile, project / args.profile)
        started = time.perf_counter()
        doc = grade(project, args.shared, str(work / "grade-lake"), work / "report")
        grade_s = time.perf_counter() - started
        out = {
            "profile": args.profile,
            "run_seconds": round(run_s, 1),
            "grade_seconds": round(grade_s, 1),
            "ratio": round(grade_s / run_s, 2),
            "grade_status": doc["status"],
        }
        print(json.dumps(out))
        return 0 if doc["status"] == "passed" else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
