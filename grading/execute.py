"""Run the learner's jobs unchanged, in plan order, in one Spark session.

Each script runs as Glue runs it (localglue.runner: `--JOB_NAME <file stem>`). A job that
fails is reported with its script line and a one-line cause; a job that reads what a failed
job writes is skipped (it would only repeat the failure); the others still run.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading import setup
from grading.plan import Plan
from localglue.lake import Lake

SUCCEEDED, FAILED, SKIPPED = "SUCCEEDED", "FAILED", "SKIPPED"


@dataclass
class JobRun:
    script: str  # relative to the project
    name: str
    status: str
    seconds: float = 0.0
    error: str | None = None
    line: int | None = None
    rows_written: dict[str, int] = field(default_factory=dict)
    catalog: list[tuple[str, str]] = field(default_factory=list)  # (db.table, how) made for it
    traceback: str | None = None

    def to_dict(self) -> dict:
        return {
            "script": self.script,
            "name": self.name,
            "status": self.status,
            "seconds": self.seconds,
            "error": self.error,
            "line": self.line,
            "rows_written": self.rows_written,
        }


def script_line(traceback_text: str | None, script: Path) -> int | None:
    """The script's own failing line in a traceback: the deepest frame in the script, except
    inside Glue Studio's sparkSqlQuery helper, where the SQL node's statement is meant."""
    if not traceback_text:
        return None
    found = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', traceback_text)
    lines = [
        int(n) for f, n, func in found
        if Path(f).resolve() == script.resolve() and func != "sparkSqlQuery"
    ]  # fmt: skip
    return lines[-1] if lines else None


def one_line(error: str | None) -> str | None:
    if not error:
        return error
    first = error.strip().splitlines()[0]
    return first if len(first) <= 300 else first[:297] + "..."


def run_plan(plan: Plan, lake: Lake, spark, display=None) -> list[JobRun]:
    from localglue.runner import run_script

    runs: list[JobRun] = []
    bad: set[str] = set()
    for job in plan.jobs:
        rel = job.path.relative_to(plan.project).as_posix()
        if display:
            display(f"job {rel}")
        if job.error:
            runs.append(JobRun(rel, job.name, FAILED, error=one_line(job.error)))
            bad.add(job.name)
            continue
        blocked = [a for a in job.after if a in bad]
        if blocked:
            cause = f"not run: it reads what {', '.join(blocked)} writes, and that job failed"
            runs.append(JobRun(rel, job.name, SKIPPED, error=cause))
            bad.add(job.name)
            continue
        started = time.perf_counter()
        made = setup.before_job(lake, job, plan)
        argv = ["--JOB_NAME", job.name, *plan.argv]
        result = run_script(job.path, argv, lake, spark=spark, catalog_case=plan.catalog_case)
        if result.ok:
            setup.after_job(lake, job, plan)
        run = JobRun(
            rel,
            job.name,
            SUCCEEDED if result.ok else FAILED,
            round(time.perf_counter() - started, 2),
            one_line(result.error),
            script_line(result.traceback, job.path),
            dict(result.rows_written),
            made,
            result.traceback,
        )
        if not result.ok:
            bad.add(job.name)
        runs.append(run)
    return runs
