"""One measured pipeline run in a fresh process: ingest, the profile's five jobs, validation.

Run by bench/__main__.py as a subprocess so that its peak memory (Python + the Spark JVM)
and its wall time include everything a user pays, JVM start included. Writes a JSON
result to --out:

  {"phases": {"startup", "ingest", "run", "validate"} (validate: the wait for the preloaded
   validation child, as in `lakehouse run`), "jobs": [{"name", "seconds",
   "rows_written", "input_rows", "max_intermediate_rows", "status"}], "counts": {...},
   "expected": {...}, "validation_exit": int | null}

`max_intermediate_rows` is the largest "number of output rows" of any Spark plan node the
job executed (joins included), read from Spark's SQL status store: the number that shows
whether a join multiplied rows.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

T0 = time.perf_counter()


def _metric_int(text: str) -> int | None:
    digits = ""
    for ch in str(text).strip():
        if ch.isdigit():
            digits += ch
        elif ch == ",":
            continue
        else:
            break
    return int(digits) if digits else None


class ExecutionWatcher:
    """Reads Spark's SQL executions (plan-node row counts) since the last mark."""

    def __init__(self, spark):
        self.store = spark._jsparkSession.sharedState().statusStore()
        self.seen: set[int] = self._ids()

    def _executions(self):
        it = self.store.executionsList().iterator()
        while it.hasNext():
            yield it.next()

    def _ids(self) -> set[int]:
        return {e.executionId() for e in self._executions()}

    def max_rows_since_mark(self) -> int:
        best = 0
        for execution in self._executions():
            eid = execution.executionId()
            if eid in self.seen:
                continue
            self.seen.add(eid)
            wanted = set()
            metrics = execution.metrics().iterator()
            while metrics.hasNext():
                m = metrics.next()
                if m.name() == "number of output rows":
                    wanted.add(m.accumulatorId())
            values = self.store.executionMetrics(eid).iterator()
            while values.hasNext():
                pair = values.next()
                if pair._1() in wanted:
                    best = max(best, _metric_int(pair._2()) or 0)
        return best


class MeasuringDisplay:
    """A runner progress display that records plan-node row counts per job."""

    def __init__(self, watcher: ExecutionWatcher):
        self.watcher, self.max_rows = watcher, {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def start(self, name: str) -> None:
        self.watcher.max_rows_since_mark()

    def finish(self, result) -> None:
        self.max_rows[result.name] = self.watcher.max_rows_since_mark()


def job_inputs(profile: str) -> dict[str, list[str]]:
    """{job: [tables it reads]} from the committed scripts (bench/jobsql.py)."""
    from bench import jobsql

    def sources(frame) -> list[str]:
        if isinstance(frame, jobsql.Source):
            return [frame.table]
        return [t for _, inner in frame.mapping for t in sources(inner)]

    try:
        return {job.name: sorted(set(sources(job.frame))) for job in jobsql.read_profile(profile)}
    except (jobsql.UnsupportedJob, FileNotFoundError):
        return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--lake", required=True, type=Path)
    parser.add_argument("--profile", default="rubric")
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)

    from lakehouse.cli.run import preload_validation

    # As `lakehouse run` does: the validation child imports GX while Spark starts.
    with preload_validation(args.validate) as preloaded:
        return _measured_run(args, preloaded)


def _measured_run(args, preloaded) -> int:
    from lakehouse.cli.run import early_validation, validate
    from localglue.lake import Lake
    from localglue.spark import get_spark
    from stedi import pipeline
    from stedi.ingest import ingest

    lake = Lake(args.lake)
    phases: dict[str, float] = {}
    spark = get_spark()
    watcher = ExecutionWatcher(spark)
    phases["startup"] = time.perf_counter() - T0

    t = time.perf_counter()
    ingest(args.source, lake)
    phases["ingest"] = time.perf_counter() - t

    display = MeasuringDisplay(watcher)
    t = time.perf_counter()
    results = pipeline.run_profile(
        args.profile,
        lake,
        spark=spark,
        display=display,
        on_final=early_validation(lake, args.profile, preloaded),
    )
    phases["run"] = time.perf_counter() - t

    validation_exit = None
    if args.validate:
        t = time.perf_counter()
        validation_exit = validate(lake, args.profile, preloaded)
        phases["validate"] = time.perf_counter() - t

    counts = pipeline.table_counts(lake)
    inputs = job_inputs(args.profile)
    jobs = []
    for r in results:
        read = inputs.get(r.name, [])
        jobs.append(
            {
                "name": r.name,
                "status": r.status,
                "seconds": r.seconds,
                "rows_written": r.total_rows,
                "inputs": read,
                "input_rows": sum(counts.get(table) or 0 for table in read),
                "max_input_table_rows": max((counts.get(t) or 0 for t in read), default=0),
                "max_intermediate_rows": display.max_rows.get(r.name),
                "error": r.error,
            }
        )
    result = {
        "profile": args.profile,
        "source": str(args.source),
        "phases": phases,
        "jobs": jobs,
        "counts": counts,
        "expected": pipeline.expected_counts(lake, args.profile).counts or {},
        "validation_exit": validation_exit,
        "worker_seconds": time.perf_counter() - T0,
    }
    args.out.write_text(json.dumps(result, indent=2))
    return 0 if all(r.ok for r in results) and len(results) == len(pipeline.JOBS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
