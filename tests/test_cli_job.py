"""`python -m lakehouse job`: runner options before SCRIPT, Glue arguments after it, verbatim."""

from pathlib import Path

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
    assert "error: job raises failed: ValueError: column machineLearning missing" in err


def test_cli_job_missing_script_is_a_usage_error(lake, capsys):
    assert main(["job", "--lake", str(lake.root), "nope.py"]) == 2
    assert "nope.py does not exist" in capsys.readouterr().err
