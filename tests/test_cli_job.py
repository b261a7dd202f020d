"""`python -m lakehouse job`: runner options before SCRIPT, Glue arguments after it, verbatim."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lakehouse.cli import main

SCRIPTS = Path(__file__).parent / "fixtures" / "runner"


def test_cli_job_passes_everything_after_the_script_verbatim(spark, lake, capsys):
    """`--lake` after SCRIPT belongs to the script (ignored by getResolvedOptions), not the runner."""
    script = str(SCRIPTS / "reports_rows.py")
    code = main(["job", "--lake", str(lake.root), script, "--rows", "6", "--lake", "elsewhere"])
    assert code == 0
    # JOB_NAME defaulted to the script's stem; 6 rows, 3 of them even.
    out = capsys.readouterr().out
    assert "job reports_rows: SUCCEEDED" in out
    assert "rows written stedi.evens=3, s3://b/all/=6" in out


def test_cli_job_exits_1_with_the_scripts_error(spark, lake, capsys):
    code = main(["job", "--lake", str(lake.root), str(SCRIPTS / "raises.py")])
    assert code == 1
    err = capsys.readouterr().err
    assert "job raises failed at raises.py:" in err
    assert ": ValueError: column machineLearning missing" in err


def test_a_failed_jobs_error_text_is_printed_once(spark, lake, capsys):
    """The progress line says FAILED; the cause is in the summary line only."""
    assert main(["job", "--lake", str(lake.root), str(SCRIPTS / "raises.py")]) == 1
    captured = capsys.readouterr()
    both = captured.out + captured.err
    assert "job raises: FAILED" in both
    assert both.count("column machineLearning missing") == 1, both


@pytest.mark.slow  # a `lakehouse job` process: its own JVM
def test_job_error_is_glue_style_short_first_line_names_script_line_and_column(lake):
    """Like Glue's error summary (Failed Line Number, Spark Error Class): at most 5 stderr
    lines without --verbose, no logical plan, no Spark start-up chatter; the full trace goes to
    a log file in the lake (CloudWatch's /aws-glue/jobs/error). A fresh process: the JVM's own
    stderr counts too."""
    script = SCRIPTS / "unknown_column.py"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, "-m", "lakehouse", "job", "--lake", str(lake.root), str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert 1 <= len(lines) <= 5, done.stderr
    first = lines[0]
    assert first.startswith("job unknown_column failed at unknown_column.py:17: AnalysisException")
    assert "[UNRESOLVED_COLUMN.WITH_SUGGESTION]" in first and "`serialnumbr`" in first
    assert "Did you mean" in first
    assert "Project" not in done.stderr and "Setting default log level" not in done.stderr
    [log] = [ln.split(": ", 1)[1] for ln in lines if ln.startswith("full trace: ")]
    assert Path(log).is_relative_to(lake.root)
    text = Path(log).read_text()
    assert "Failed Line Number: 17; Spark Error Class: UNRESOLVED_COLUMN.WITH_SUGGESTION" in text
    assert "Traceback" in text


def test_cli_job_missing_script_is_a_usage_error(lake, capsys):
    assert main(["job", "--lake", str(lake.root), "nope.py"]) == 2
    assert "nope.py does not exist" in capsys.readouterr().err
