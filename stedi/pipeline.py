"""The STEDI pipeline: a profile's five committed Glue Studio jobs, in dependency order.

Each job runs as Glue runs it (localglue.runner: the script unchanged, `--JOB_NAME <job>`
plus the job's defaultArguments from its .json), on one JVM, each in a new Spark session,
stopping at the first failure. Counting what landed is done here with pyarrow straight from
the files, not through Spark, so a count is evidence independent of the runtime that wrote
the data.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.expected import expected_counts
from stedi.tables import (
    JOBS,
    LANDING_TABLES,
    LOCATIONS,
    OUTPUT_OF_JOB,
    PROFILES,
    STUDIO_JOBS,
    TABLE_NAMES,
)

TABLES = TABLE_NAMES


def profile_dir(profile: str, jobs_dir: Path | None = None) -> Path:
    if profile not in PROFILES:
        raise LakehouseError(f"profile {profile!r} is not one of {', '.join(PROFILES)}")
    folder = (jobs_dir or STUDIO_JOBS) / profile
    missing = [j for j in JOBS if not (folder / f"{j}.py").is_file()]
    if missing:
        raise LakehouseError(f"{folder} lacks {', '.join(missing)}.py; restore studio_jobs/")
    return folder


def job_argv(job_file: Path) -> list[str]:
    """What Glue passes a job run: --JOB_NAME and the job's default arguments."""
    argv = ["--JOB_NAME", job_file.stem]
    if job_file.with_suffix(".json").is_file():
        doc = json.loads(job_file.with_suffix(".json").read_text())
        for key, value in (doc.get("defaultArguments") or {}).items():
            argv += [key, str(value)]
    return argv


def plan(profile: str, jobs_dir: Path | None = None) -> list[tuple[Path, list[str]]]:
    folder = profile_dir(profile, jobs_dir)
    return [(folder / f"{job}.py", job_argv(folder / f"{job}.py")) for job in JOBS]


def check_landing(lake: Lake) -> None:
    for table in LANDING_TABLES:
        folder = Path(lake.local_path(LOCATIONS[table]))
        if not any(folder.glob("*.json")):
            raise LakehouseError(
                f"{table} has no files at {folder}; run `python -m lakehouse ingest DIR "
                f"--lake {lake.root}` first"
            )


def hold(lake: Lake, command: str):
    """The lake lock for a run (one run per lake; re-entrant), see localglue/lock.py."""
    from localglue.lock import lake_lock

    return lake_lock(lake, run_id=uuid.uuid4().hex[:12], command=command)


def run_profile(profile: str, lake: Lake, spark=None, display=None, jobs_dir=None, on_final=None):
    """Run the profile's jobs in order (stop at the first failure); list of JobResult.

    Under the lake lock; first finishes or drops what a crashed run left (transaction.recover).
    `on_final(tables)` hears which tables no later job of the run will write: the landing
    tables before the first job, then each job's table once it succeeded (validation checks
    them while the later jobs run).
    """
    from localglue.runner import run_jobs
    from localglue.transaction import recover

    jobs = plan(profile, jobs_dir)
    check_landing(lake)
    with hold(lake, f"run --profile {profile}"):
        for line in recover(lake):
            print(f"recovered: {line}")
        on_finish = None
        if on_final is not None:
            on_final(list(LANDING_TABLES))

            def on_finish(result) -> None:
                if result.ok and result.name in OUTPUT_OF_JOB:
                    on_final([OUTPUT_OF_JOB[result.name]])

        return run_jobs(
            jobs, lake, spark=spark, display=display, stop_on_failure=True, on_finish=on_finish
        )


def count_rows(lake: Lake, table: str) -> int | None:
    """Rows of a table read from its files (JSON lines or Parquet); None if it has none."""
    folder = Path(lake.local_path(LOCATIONS[table]))
    if not folder.is_dir():
        return None
    if table in LANDING_TABLES:
        files = sorted(folder.glob("*.json"))
        if not files:
            return None
        return sum(sum(1 for line in f.open("rb") if line.strip()) for f in files)
    import pyarrow.parquet as pq  # footers only; pyarrow.dataset would import pandas

    files = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
    ]
    if not files:
        return None
    return sum(pq.read_metadata(p).num_rows for p in files)


def table_counts(lake: Lake) -> dict[str, int | None]:
    return {table: count_rows(lake, table) for table in TABLES}


def counts_table(lake: Lake, profile: str) -> tuple[list[tuple[str, int | None, int | None]], bool]:
    """[(table, expected, actual)] and whether every expected count matches."""
    expected = expected_counts(lake, profile).counts or {}
    actual = table_counts(lake)
    rows = [(t, expected.get(t), actual[t]) for t in TABLES]
    ok = bool(expected) and all(e == a for _, e, a in rows if e is not None)
    return rows, ok


def format_counts(rows) -> str:
    lines = [f"{'table':<26} {'expected':>9} {'actual':>9}"]
    for table, expected, actual in rows:
        mark = "" if expected is None else ("  ok" if expected == actual else "  MISMATCH")
        lines.append(
            f"{table:<26} {'' if expected is None else f'{expected:,}':>9} "
            f"{'-' if actual is None else f'{actual:,}':>9}{mark}"
        )
    return "\n".join(lines)
