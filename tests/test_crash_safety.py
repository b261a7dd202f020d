"""A job SIGKILLed mid-write leaves the previous table readable; the next run recovers and
gives the right result. Two runs on one lake: the second fails at once naming the first.

The kill is placed deterministically by a test-only wrapper (tests/crash_points.py, which
runs `lakehouse` with the runtime's own functions wrapped; production code has no hook):
`staged` = Spark has written the new files into the staging folder, nothing committed;
`applying` = the commit journal is written and the first file has been moved into place.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from lakehouse.cli import main as cli_main
from localglue import transaction
from localglue.catalog import Catalog
from localglue.lake import Lake
from localglue.lock import lake_lock
from localglue.runner import run_script
from stedi.generator import generate
from stedi.ingest import ingest

REPO = Path(__file__).resolve().parents[1]
JOB = REPO / "studio_jobs" / "rubric" / "customer_landing_to_trusted.py"
CRASH_POINTS = Path(__file__).with_name("crash_points.py")
ARGS = ["--JOB_NAME", "customer_landing_to_trusted"]
TRUSTED = "s3://stedi-lake-house/customer/trusted/"


def _env(**extra) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "STEDI_DRIVER_MEMORY": "1g",
        "STEDI_SHUFFLE_PARTITIONS": "2",
        **extra,
    }


def trusted_rows(lake: Lake) -> list[tuple]:
    """The table as an outside reader sees it: DuckDB over the Parquet files."""
    folder = Path(lake.local_path(TRUSTED))
    return duckdb.sql(
        f"SELECT email, shareWithResearchAsOfDate FROM read_parquet('{folder}/*.parquet') "
        "ORDER BY ALL"
    ).fetchall()


def run_until_paused(lake: Lake, step: str) -> None:
    """`python -m lakehouse job` in its own process group, SIGKILLed at the pause point."""
    proc = subprocess.Popen(
        [sys.executable, str(CRASH_POINTS), step, "job", "--lake", str(lake.root), str(JOB)] + ARGS,
        cwd=REPO,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while not list(lake.staging_dir.glob(f"*/{step}.reached")):
            if proc.poll() is not None:
                pytest.fail(f"the job ended before {step}: {proc.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the job never reached {step}")
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the job and its Spark JVM, mid-write
        proc.wait(timeout=60)
        proc.stderr.close()


@pytest.fixture
def replaced(tmp_path, spark):
    """A lake whose customer_trusted was built from dataset A, with dataset B now in landing.

    Returns (lake, rows of the table from A, expected row count from B)."""
    lake = Lake(tmp_path / "lake")
    generate(tmp_path / "a", 150, seed=11)
    ingest(tmp_path / "a", lake)
    assert run_script(JOB, ARGS, lake, spark=spark).ok
    before = trusted_rows(lake)
    manifest = generate(tmp_path / "b", 400, seed=12)
    ingest(tmp_path / "b", lake)
    expected = manifest["expected_counts"]["rubric"]["customer_trusted"]
    assert len(before) != expected
    return lake, before, expected


def rerun(lake: Lake, capsys) -> str:
    """The next run, through the same command line (in this process: the test's session)."""
    capsys.readouterr()
    assert cli_main(["job", "--lake", str(lake.root), str(JOB), *ARGS]) == 0
    return capsys.readouterr().out


def test_a_job_killed_before_commit_leaves_the_previous_table(replaced, capsys, caplog):
    lake, before, expected = replaced
    catalog_before = Catalog(lake).get_table("stedi", "customer_trusted")
    run_until_paused(lake, "staged")

    assert trusted_rows(lake) == before, "the purge and the new files were never applied"
    assert Catalog(lake).get_table("stedi", "customer_trusted") == catalog_before
    assert any(lake.staging_dir.iterdir()), "the killed run left its staging folder"

    out = rerun(lake, capsys)  # takes over the dead run's lock, drops its staging, runs again
    assert "discarded the uncommitted writes of job run jr_" in out
    assert "taking over the stale lock" in caplog.text
    assert len(trusted_rows(lake)) == expected
    assert not any(lake.staging_dir.iterdir())


def test_a_job_killed_while_committing_is_rolled_forward(replaced, capsys):
    lake, before, expected = replaced
    run_until_paused(lake, "applying")

    [journal] = lake.staging_dir.glob(f"*/{transaction.JOURNAL}")
    moves = json.loads(journal.read_text())["moves"]
    assert moves and (lake.root / moves[0][1]).is_file(), "killed after the first rename"
    trusted_rows(lake)  # every file in place is a whole Parquet file: readable

    assert transaction.recover(lake)[0].startswith("rolled forward the commit of job run jr_")
    assert len(trusted_rows(lake)) == expected, "the commit finished: B's consenting customers"
    assert not any(lake.staging_dir.iterdir())
    rerun(lake, capsys)
    assert len(trusted_rows(lake)) == expected, "purge + write: a re-run replaces, not appends"


# -- one run per lake --------------------------------------------------------------------------
def test_a_second_run_on_a_locked_lake_fails_at_once_naming_the_first(tmp_path):
    lake = Lake(tmp_path / "lake")
    generate(tmp_path / "sample", 10, seed=3)
    ingest(tmp_path / "sample", lake)
    with lake_lock(lake, run_id="first-run", command="run --profile rubric"):
        # An unusable --master proves the lock is checked before Spark would start.
        out = subprocess.run(
            [sys.executable, "-m", "lakehouse", "run", "--lake", str(lake.root)]
            + ["--master", "no-such-master"],
            cwd=REPO,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        next(line for line in out.stderr.splitlines() if "is locked by run first-run" in line)
    ]
    assert "lake " in out.stderr and str(lake.root) in out.stderr
