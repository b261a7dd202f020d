"""`lakehouse warm`: `lakehouse job` on a Spark runtime kept warm in the background
(lakehouse/cli/warm.py). Each job gets its own Spark session, the client's directory and
environment, its script and the modules next to it read afresh; `--stop` ends it and jobs run
cold again. One server for the module (it starts a JVM), in a private cache folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# One worker runs the module in file order: its tests share one server, the last one ends it.
pytestmark = pytest.mark.xdist_group("warm")

REPO = Path(__file__).resolve().parents[1]
WARM_NOTE = "running on the warm runtime"

HEADER = """\
import sys
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)
"""


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """run(script_text, *args, cwd=None, env=None) -> CompletedProcess of `lakehouse job`."""
    root = tmp_path_factory.mktemp("warm")
    env = dict(
        os.environ,
        XDG_CACHE_HOME=str(root / "cache"),  # this module's server only
        STEDI_CDS="0",  # no class archive written into the temp folder
        STEDI_WARM_IDLE="600",
        STEDI_WARM="1",  # conftest turns warm runtimes off for the rest of the suite
    )
    lake = root / "lake"
    landing = lake / "bucket" / "people" / "landing"
    landing.mkdir(parents=True)
    (landing / "people.json").write_text(
        "".join(json.dumps({"name": f"p{i}", "age": 20 + i}) + "\n" for i in range(5))
    )

    def lakehouse(*args, cwd=None, extra=None):
        return subprocess.run(
            [sys.executable, "-m", "lakehouse", *args],
            cwd=cwd or REPO,
            env={**env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )

    started = lakehouse("warm")
    assert started.returncode == 0, started.stderr

    def run(text: str, name: str = "probe.py", folder: Path | None = None, **kw):
        folder = folder or root / "scripts"
        folder.mkdir(exist_ok=True)
        script = folder / name
        script.write_text(HEADER + textwrap.dedent(text) + "\njob.commit()\n")
        return lakehouse("job", "--lake", str(lake), str(script), **kw)

    run.lake, run.root, run.lakehouse = lake, root, lakehouse
    yield run
    lakehouse("warm", "--stop")


def test_a_job_runs_on_the_warm_runtime_and_commits_its_table(warm):
    done = warm.lakehouse("warm", "--status")
    assert done.returncode == 0
    result = warm(
        """
        people = glueContext.create_dynamic_frame.from_options(connection_type="s3",
            format="json", connection_options={"paths": ["s3://bucket/people/landing/"]})
        glueContext.write_dynamic_frame.from_options(frame=people, connection_type="s3",
            format="glueparquet", connection_options={"path": "s3://bucket/people/trusted/"})
        """
    )
    assert result.returncode == 0, result.stderr
    assert WARM_NOTE in result.stderr
    assert "SUCCEEDED" in result.stdout + result.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(warm.lake / "bucket" / "people" / "trusted").num_rows == 5


def test_each_job_gets_a_new_spark_session(warm):
    """As each Glue job run does: no SQL conf or temporary view carries over."""
    first = warm(
        """
        spark.conf.set("spark.sql.shuffle.partitions", "7")
        spark.range(3).createOrReplaceTempView("left_behind")
        """,
        name="first.py",
    )
    assert first.returncode == 0, first.stderr
    second = warm(
        """
        print("partitions", spark.conf.get("spark.sql.shuffle.partitions"))
        print("views", [t.name for t in spark.catalog.listTables() if t.isTemporary])
        """,
        name="second.py",
    )
    assert second.returncode == 0, second.stderr
    assert WARM_NOTE in second.stderr
    partitions = os.environ.get("STEDI_SHUFFLE_PARTITIONS", "4")  # the server's setting
    assert f"partitions {partitions}\n" in second.stdout and "views []" in second.stdout


def test_the_clients_directory_environment_and_edited_modules_apply(warm, tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    probe = """
        import os, helper
        print("cwd", os.getcwd())
        print("probe", os.environ.get("STEDI_PROBE"))
        print("helper", helper.VALUE)
        """
    for value in (1, 2):  # the learner edits the module next to the script between runs
        (folder / "helper.py").write_text(f"VALUE = {value}\n")
        result = warm(probe, folder=folder, cwd=folder, extra={"STEDI_PROBE": f"run{value}"})
        assert result.returncode == 0, result.stderr
        assert WARM_NOTE in result.stderr
        assert f"cwd {folder}" in result.stdout
        assert f"probe run{value}" in result.stdout
        assert f"helper {value}" in result.stdout


def test_a_failing_job_exits_1_with_the_glue_summary(warm):
    result = warm('raise ValueError("planted failure")\n', name="broken.py")
    assert result.returncode == 1
    assert WARM_NOTE in result.stderr
    assert "failed" in result.stderr and "planted failure" in result.stderr


def test_stedi_warm_0_runs_the_job_in_its_own_process(warm):
    result = warm('print("pid", __import__("os").getpid())\n', extra={"STEDI_WARM": "0"})
    assert result.returncode == 0, result.stderr
    assert WARM_NOTE not in result.stderr and "pid" in result.stdout


def test_without_a_warm_runtime_submit_says_so_and_the_job_runs_cold(tmp_path, monkeypatch):
    from lakehouse.cli import warm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("STEDI_WARM", "1")
    assert warm.submit(["job", "x.py"]) is None  # lakehouse job then runs in its own process
    assert warm.stop_all() == 0


def test_settings_that_change_spark_or_the_code_select_another_runtime(tmp_path, monkeypatch):
    from lakehouse.cli import warm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    before = warm.key()
    monkeypatch.setenv("STEDI_DRIVER_MEMORY", "3g")
    assert warm.key() != before


def test_a_run_of_the_five_jobs_runs_and_validates_on_the_warm_runtime(warm, tmp_path):
    from stedi.generator import generate

    generate(tmp_path / "sample", 40, seed=5)
    lake = str(tmp_path / "lake")
    ingested = warm.lakehouse("ingest", str(tmp_path / "sample"), "--lake", lake)
    assert ingested.returncode == 0, ingested.stderr
    result = warm.lakehouse("run", "--lake", lake)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert WARM_NOTE in result.stderr
    assert "machine_learning_curated" in result.stdout and "PASSED" in result.stdout
    assert (tmp_path / "reports" / "rubric" / "report.json").is_file()


def test_a_request_from_a_folder_that_is_gone_fails_and_the_runtime_goes_on(
    warm, tmp_path, monkeypatch, capsys
):
    import socket

    from lakehouse.cli import warm as client

    monkeypatch.setenv("XDG_CACHE_HOME", str(warm.root / "cache"))  # the module's server
    monkeypatch.setenv("STEDI_CDS", "0")
    gone = tmp_path / "gone"
    request = {"argv": ["job", "probe.py"], "cwd": str(gone), "env": {}}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(client.socket_path()))
        conn.sendall(json.dumps(request).encode() + b"\n")
        assert client._relay(conn) == 1
    assert "FileNotFoundError" in capsys.readouterr().err
    assert warm.lakehouse("warm", "--status").returncode == 0


def test_a_job_that_stops_spark_ends_the_warm_runtime_and_says_so(warm):
    """Run last: the module's server ends here (a later job would run cold)."""
    result = warm("job.commit()\nspark.stop()\n", name="stopper.py")
    assert WARM_NOTE in result.stderr
    assert "the warm runtime with it" in result.stderr
    assert warm.lakehouse("warm", "--status").returncode == 1


def test_a_socket_path_too_long_for_unix_moves_to_a_private_temp_folder(tmp_path, monkeypatch):
    from lakehouse.cli import warm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ("deep" * 30)))
    path = warm.socket_path()
    assert len(str(path)) < warm.SOCKET_PATH_MAX
    assert path.parent.stat().st_mode & 0o777 == 0o700
