"""Run Glue Studio-exported scripts unchanged, one after another on one Spark context.

A script is executed as Glue executes it: as `__main__`, with `sys.argv = [script, *args]`,
`import awsglue...` resolving to this runtime (shim.py) and `s3://` paths mapping into the
current lake (lake.py). Each script gets a new Spark session (spark.job_session), as each Glue
job run gets its own cluster: conf, temp views and UDFs do not leak. What each job wrote is
collected from runtime events (events.py).

Each script runs in a job transaction (transaction.py): its purges, files and catalog
updates are staged and committed together at job.commit() and when the script ends
successfully; a failed or killed script leaves the lake's tables as they were.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from localglue import bookmarks, events, job_errors, transaction
from localglue.args import resolved as _global_args
from localglue.catalog_case import chosen as catalog_case_chosen
from localglue.lake import Lake, using
from localglue.shim import glue_shim

SUCCEEDED, FAILED = "SUCCEEDED", "FAILED"  # Glue JobRunState names


@dataclass
class JobResult:
    name: str
    script: str
    status: str
    seconds: float
    rows_written: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # one line: the cause (job_errors.py)
    traceback: str | None = None
    where: str | None = None  # <script>:<line> the error came through
    log: str | None = None  # the full trace, in the lake (like CloudWatch's error log)
    # EvaluateDataQuality results: [{"context": ..., "outcomes": [{"Rule", "Outcome", ...}]}]
    data_quality: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == SUCCEEDED

    def failure(self) -> str:
        """`job <name> failed at <script>:<line>: <cause>`, then where the full trace is."""
        at = f" at {self.where}" if self.where else ""
        text = f"job {self.name} failed{at}: {self.error}"
        return text + (f"\nfull trace: {self.log}" if self.log else "")

    @property
    def total_rows(self) -> int:
        return sum(self.rows_written.values())

    def to_dict(self) -> dict:
        return asdict(self)


def job_name_from_argv(script_path: str | Path, argv: list[str]) -> str:
    """--JOB_NAME as Glue would pass it, else the script's file stem."""
    for i, arg in enumerate(argv):
        if arg == "--JOB_NAME" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--JOB_NAME="):
            return arg.split("=", 1)[1]
    return Path(script_path).stem


def with_job_name(script_path: str | Path, argv: list[str]) -> list[str]:
    """Add `--JOB_NAME <stem>` when missing: Glue always supplies it."""
    if any(a == "--JOB_NAME" or a.startswith("--JOB_NAME=") for a in argv):
        return list(argv)
    return ["--JOB_NAME", Path(script_path).stem, *argv]


def _written(collected) -> dict[str, int]:
    rows: dict[str, int] = {}
    for event in collected:
        if event.kind != "write":
            continue
        target = event.get("table") or event.get("path") or "?"
        rows[target] = rows.get(target, 0) + int(event.get("rows") or 0)
    return rows


@contextlib.contextmanager
def _script_environment(script: Path, argv: list[str]):
    """sys.argv and sys.path as `python script.py args` would have them; restored after."""
    saved_argv, saved_path = sys.argv, list(sys.path)
    sys.argv = [str(script), *argv]
    sys.path.insert(0, str(script.parent))
    try:
        yield
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path


def run_script(
    script_path, argv: list[str], lake: Lake, spark=None, catalog_case: str | None = None
) -> JobResult:
    """Run one exported script unchanged; a raised error becomes a FAILED JobResult.

    `catalog_case` ("data" or "lower", localglue/catalog_case.py): how its catalog reads name
    fields; None: $STEDI_CATALOG_CASE, else "data"."""
    from localglue.spark import get_spark, job_session

    script = Path(script_path).resolve()
    argv = list(argv)
    name = job_name_from_argv(script, argv)
    spark = spark or get_spark()
    _global_args.clear()  # a fresh Glue job starts with no resolved arguments
    status, error, trace, where, log = SUCCEEDED, None, None, None, None
    started = time.perf_counter()
    with (
        using(lake),
        job_session(spark),  # Glue gives every job run its own session: conf, views, UDFs
        catalog_case_chosen(catalog_case),
        glue_shim(),
        events.collect() as collected,
        _script_environment(script, argv),
        transaction.job_transaction(lake) as txn,
    ):
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as exc:
            if exc.code not in (None, 0):
                status, error = FAILED, f"SystemExit: {exc.code}"
        except BaseException as exc:  # the script's own error, reported not raised
            if isinstance(exc, KeyboardInterrupt):
                raise
            status = FAILED
            described = job_errors.describe(exc, script)
            error, trace, where = described.cause, described.trace, described.where(script)
            log = str(
                job_errors.write_log(lake.root / "_logs", name, txn.run_id, script, described)
            )
        finally:
            bookmarks.end_run()
        if status == SUCCEEDED:  # what the script staged after its last job.commit()
            try:
                txn.apply()
            except OSError as exc:
                status, error = FAILED, f"commit of job run {txn.run_id} failed: {exc}"
                trace = traceback.format_exc()
    return JobResult(
        name=name,
        script=str(script),
        status=status,
        seconds=round(time.perf_counter() - started, 3),
        rows_written=_written(collected),
        error=error,
        traceback=trace,
        where=where,
        log=log,
        data_quality=[dict(e.data) for e in collected if e.kind == "data_quality"],
    )


def run_jobs(
    jobs: list[tuple[str | Path, list[str]]],
    lake: Lake,
    spark=None,
    display=None,
    stop_on_failure: bool = True,
    on_finish=None,
    catalog_case: str | None = None,
) -> list[JobResult]:
    """Run (script, argv) pairs in order (one JVM, a new session each), reporting to a progress display;
    `on_finish(result)` after each job (what it wrote is committed by then)."""
    from localglue.progress import JobProgress

    display = display or JobProgress([job_name_from_argv(s, a) for s, a in jobs])
    results = []
    with display:
        for script, argv in jobs:
            display.start(job_name_from_argv(script, argv))
            result = run_script(script, argv, lake, spark=spark, catalog_case=catalog_case)
            display.finish(result)
            if on_finish is not None:
                on_finish(result)
            results.append(result)
            if not result.ok and stop_on_failure:
                break
    return results
