"""Beyond one machine: the same jobs on a Spark cluster (`--master`), the lake as a URI.

`local-cluster[N,cores,MB]` is Spark's own multi-JVM mode: a master and N workers whose
executors are separate JVMs with their own Python workers, so a job that relied on
driver-local state (a Python global, a driver-side file handle) would fail or count wrong.
It needs its own JVM, hence a subprocess (the suite's shared session is local[2]).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lakehouse.cli import main as cli_main
from localglue.lake import Lake
from stedi import pipeline
from stedi.generator import generate
from stedi.ingest import ingest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.e2e
def test_the_rubric_profile_runs_on_a_local_cluster_of_separate_executor_jvms(tmp_path):
    manifest = generate(tmp_path / "sample", 20, seed=4)
    lake = Lake(tmp_path / "lake")
    ingest(tmp_path / "sample", lake)
    env = {k: v for k, v in os.environ.items() if k != "SPARK_HOME"}
    env |= {
        "PYTHONPATH": str(REPO),
        "PYSPARK_PYTHON": sys.executable,  # executors' Python workers: the venv
        "XDG_CACHE_HOME": str(tmp_path / "cache"),  # the cluster's Spark home (and work/ logs)
        "STEDI_CDS": "0",
        "STEDI_DRIVER_MEMORY": "1g",
    }
    out = subprocess.run(
        [sys.executable, "-m", "lakehouse", "run", "--lake", lake.uri, "--no-validate"]
        + ["--master", "local-cluster[2,1,1024]"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert pipeline.table_counts(lake) == manifest["expected_counts"]["rubric"]
    # The tasks really ran in two executor JVMs (each logs under work/<app>/<executor id>/).
    busy = {
        log.parent.name
        for log in (tmp_path / "cache" / "stedi-lakehouse" / "spark-home" / "work").glob(
            "app-*/*/stderr"
        )
        if "Finished task" in log.read_text(errors="replace")
    }
    assert len(busy) >= 2, busy


@pytest.mark.parametrize(
    "spelling",
    [lambda p: p.as_uri(), lambda p: "file://localhost" + str(p), str],
    ids=["file:///abs", "file://localhost/abs", "plain path"],
)
def test_a_lake_root_may_be_a_file_uri(tmp_path, spelling):
    assert Lake(spelling(tmp_path / "my lake")).root == (tmp_path / "my lake").resolve()


@pytest.mark.parametrize("uri", ["s3a://bucket/lake", "hdfs://namenode/lake", "file://host/x"])
def test_other_lake_uris_are_one_clear_error(tmp_path, capsys, uri):
    assert cli_main(["ingest", str(tmp_path), "--lake", uri]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert uri in line and ("not supported" in line or "file:///" in line)


def test_ingest_and_a_job_work_on_a_file_uri_lake(tmp_path, spark, capsys):
    manifest = generate(tmp_path / "sample", 20, seed=4)
    uri = (tmp_path / "lake").as_uri()
    assert cli_main(["ingest", str(tmp_path / "sample"), "--lake", uri]) == 0
    job = REPO / "studio_jobs" / "rubric" / "customer_landing_to_trusted.py"
    assert cli_main(["job", "--lake", uri, str(job)]) == 0
    lake = Lake(tmp_path / "lake")
    expected = manifest["expected_counts"]["rubric"]
    assert pipeline.count_rows(lake, "customer_trusted") == expected["customer_trusted"]
    assert pipeline.count_rows(lake, "customer_landing") == expected["customer_landing"]
