"""The runner executes Glue scripts unchanged, as Glue does: `__main__`, sys.argv, one session."""

import io
import sys
from pathlib import Path

import pytest
from rich.console import Console

from localglue import events
from localglue.progress import JobProgress
from localglue.runner import FAILED, SUCCEEDED, run_jobs, run_script, with_job_name

SCRIPTS = Path(__file__).parent / "fixtures" / "runner"


def test_rows_written_are_collected_from_write_events(spark, lake):
    result = run_script(SCRIPTS / "reports_rows.py", ["--JOB_NAME", "evens", "--rows", "10"], lake)
    assert result.status == SUCCEEDED, result.traceback
    assert result.name == "evens"
    assert result.rows_written == {"stedi.evens": 5, "s3://b/all/": 10}
    assert result.total_rows == 15


def test_script_runs_as_main_with_glue_style_argv_and_shared_spark_context(spark, lake):
    script = SCRIPTS / "echoes_argv.py"
    with events.collect() as seen:
        result = run_script(script, ["--JOB_NAME", "j", "--x=1"], lake)
    assert result.ok, result.traceback
    [event] = [e for e in seen if e.kind == "argv"]
    assert event["argv"] == [str(script.resolve()), "--JOB_NAME", "j", "--x=1"]
    assert event["name"] == "__main__"
    assert event["same_context"] is True


def test_process_state_is_restored_after_a_script(spark, lake):
    argv_before, path_before = list(sys.argv), list(sys.path)
    run_script(SCRIPTS / "reports_rows.py", ["--JOB_NAME", "j", "--rows", "3"], lake)
    assert sys.argv == argv_before
    assert sys.path == path_before
    assert "awsglue" not in sys.modules
    # Glue gives each job a fresh session: temp views must not leak into the next job.
    assert "mydatasource" not in {t.name.lower() for t in spark.catalog.listTables()}


def test_a_raising_script_is_a_failed_job_with_its_error(spark, lake):
    result = run_script(SCRIPTS / "raises.py", ["--JOB_NAME", "broken"], lake)
    assert result.status == FAILED
    assert result.error == "ValueError: column machineLearning missing in job broken"
    assert "raises.py" in result.traceback


@pytest.mark.parametrize(("code", "status"), [("0", SUCCEEDED), ("3", FAILED)])
def test_sys_exit_zero_is_success_and_nonzero_is_failure(spark, lake, code, status):
    result = run_script(SCRIPTS / "exits.py", ["--JOB_NAME", "e", "--code", code], lake)
    assert result.status == status


def test_jobs_run_in_order_in_one_session_and_stop_at_the_first_failure(spark, lake):
    jobs = [
        (SCRIPTS / "reports_rows.py", ["--JOB_NAME", "first", "--rows", "4"]),
        (SCRIPTS / "raises.py", ["--JOB_NAME", "second"]),
        (SCRIPTS / "reports_rows.py", ["--JOB_NAME", "third", "--rows", "4"]),
    ]
    display = JobProgress(console=Console(file=io.StringIO()))
    results = run_jobs(jobs, lake, display=display)
    assert [(r.name, r.status) for r in results] == [("first", SUCCEEDED), ("second", FAILED)]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["--JOB_NAME", "my_job"]),
        (["--x", "1"], ["--JOB_NAME", "my_job", "--x", "1"]),
        (["--JOB_NAME", "given"], ["--JOB_NAME", "given"]),
        (["--JOB_NAME=given"], ["--JOB_NAME=given"]),
    ],
)
def test_job_name_is_supplied_when_missing_as_glue_would(argv, expected):
    assert with_job_name("studio_jobs/my_job.py", argv) == expected


def test_progress_is_plain_lines_when_not_a_terminal(spark, lake):
    out = io.StringIO()
    display = JobProgress(console=Console(file=out, force_terminal=False))
    run_jobs(
        [(SCRIPTS / "reports_rows.py", ["--JOB_NAME", "p", "--rows", "2"])], lake, display=display
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "job p: RUNNING"
    assert lines[1].startswith("job p: SUCCEEDED in ")
    assert lines[1].endswith("rows written stedi.evens=1, s3://b/all/=2")
    assert "\x1b[" not in out.getvalue()


def test_progress_renders_a_live_table_on_a_terminal(spark, lake):
    out = io.StringIO()
    display = JobProgress(console=Console(file=out, force_terminal=True, width=100))
    run_jobs([(SCRIPTS / "raises.py", ["--JOB_NAME", "t"])], lake, display=display)
    text = out.getvalue()
    assert "Glue jobs" in text and "FAILED" in text


def test_each_job_of_a_run_gets_its_own_spark_session_so_conf_views_and_udfs_do_not_leak(
    spark, lake
):
    """Glue runs each job on its own cluster: what job 1 sets in its session (a SQL conf, a
    temp view, a UDF) is not seen by job 2, nor left in the runner's session."""
    script = SCRIPTS / "session_state.py"
    default = spark.conf.get("spark.sql.shuffle.partitions")
    with events.collect() as seen:
        results = run_jobs(
            [(script, ["--JOB_NAME", "first"]), (script, ["--JOB_NAME", "second"])],
            lake,
            spark=spark,
            display=JobProgress(console=Console(file=io.StringIO())),
        )
    assert [r.status for r in results] == [SUCCEEDED, SUCCEEDED], results[0].traceback
    first, second = [dict(e.data) for e in seen if e.kind == "session"]
    clean = {"conf": default, "views": [], "functions": [], "same_session": True}
    assert first == clean
    assert second == clean
    assert spark.conf.get("spark.sql.shuffle.partitions") == default
    assert "leaky_view" not in {t.name for t in spark.catalog.listTables()}
