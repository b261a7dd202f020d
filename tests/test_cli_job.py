"""`python -m lakehouse job`: runner options before SCRIPT, Glue arguments after it, verbatim."""

import json
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


@pytest.fixture
def consenting_customers(lake):
    """A catalog table of camelCase JSON: one customer who consented, one who did not."""
    from localglue.catalog import Catalog, make_table_input

    folder = lake.root / "case-lake" / "customer" / "landing"
    folder.mkdir(parents=True)
    records = [{"email": "a@x", "shareWithResearchAsOfDate": 5}, {"email": "b@x"}]
    (folder / "a.json").write_text("".join(json.dumps(r) + "\n" for r in records))
    columns = [("email", "string"), ("sharewithresearchasofdate", "bigint")]
    table = make_table_input("customers", "s3://case-lake/customer/landing/", columns, "json")
    Catalog(lake).ensure_database("stedi")
    Catalog(lake).upsert_table("stedi", table)


@pytest.mark.parametrize(
    ("flag", "env", "rows"),
    [([], None, 0), (["--catalog-case", "lower"], None, 1), ([], "lower", 1)],
    ids=["data-by-default", "flag-lower", "env-lower"],
)
def test_cli_job_catalog_case_decides_what_a_lower_case_filter_keeps(
    spark, lake, consenting_customers, capsys, monkeypatch, flag, env, rows
):
    if env:
        monkeypatch.setenv("STEDI_CATALOG_CASE", env)
    script = str(SCRIPTS / "consent_filter_on_catalog.py")
    assert main(["job", "--lake", str(lake.root), *flag, script]) == 0
    out = capsys.readouterr().out.rstrip()
    assert out.startswith("job consent_filter_on_catalog: RUNNING") and out.endswith(
        f"s, rows written {rows}"
    ), out


def test_a_catalog_case_the_runtime_does_not_know_is_a_usage_error(lake, capsys, monkeypatch):
    monkeypatch.setenv("STEDI_CATALOG_CASE", "upper")
    assert main(["job", "--lake", str(lake.root), str(SCRIPTS / "raises.py")]) == 2
    err = capsys.readouterr().err
    assert "catalog case 'upper' is not one of data, lower" in err
