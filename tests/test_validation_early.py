"""Tables checked early (validation.run.Validation.check), as `lakehouse run` does while the
later jobs run: the same report as one pass, a table waits for the tables its suite queries,
and a planted violation is caught in the early pass that checks its table."""

from __future__ import annotations

import json

import pytest
from test_validation_run import PLANTS, build

from stedi.tables import JOBS, LANDING_TABLES, OUTPUT_OF_JOB
from validation.report import failed_check_names, find_failure
from validation.run import Validation, validate

# What `lakehouse run` announces final: the landing tables, then each job's table.
ANNOUNCED = [list(LANDING_TABLES), *([OUTPUT_OF_JOB[job]] for job in JOBS)]
SAME = ("status", "exit_code", "max_severity_failure", "summary", "tables", "privacy")


def early(lake, profile: str, report_dir, data_docs: bool = False) -> Validation:
    v = Validation(lake=lake, profile=profile, report_dir=report_dir, data_docs=data_docs)
    for tables in ANNOUNCED:
        v.check(tables)
    return v


@pytest.mark.parametrize("profile", ["rubric", "strict"])
def test_tables_checked_as_they_become_final_give_the_report_of_one_pass(tmp_path, profile):
    lake = build(tmp_path, profile)
    once = validate(lake=lake, profile=profile, report_dir=tmp_path / "once", data_docs=False)
    v = early(lake, profile, tmp_path / "early", data_docs=True)
    assert sorted(v.entries) == sorted(t["table"] for t in once["tables"])  # all before finish
    report = v.finish()
    assert {k: report.get(k) for k in SAME} == {k: once.get(k) for k in SAME}
    assert report["timings"]["early_passes"] == len(ANNOUNCED)
    validations = tmp_path / "early" / "data_docs" / "validations"
    pages = [p.relative_to(validations).parts for p in validations.rglob("*.html")]
    assert sorted(parts[0] for parts in pages) == sorted(t["table"] for t in once["tables"])
    assert len({parts[3] for parts in pages}) == 1  # every pass under one run id


def test_early_passes_leave_the_last_reports_until_the_validation_finishes(tmp_path):
    """A run that fails after its early passes (a later job failed) loses no earlier report."""
    lake = build(tmp_path, "rubric")
    old_docs = tmp_path / "r" / "data_docs"
    old_docs.mkdir(parents=True)
    (old_docs / "index.html").write_text("the last run's site")
    v = Validation(lake=lake, profile="rubric", report_dir=tmp_path / "r")
    v.check(list(LANDING_TABLES))
    assert (old_docs / "index.html").read_text() == "the last run's site"
    v.finish()
    assert "the last run's site" not in (old_docs / "index.html").read_text()


def test_a_table_waits_until_the_tables_its_suite_queries_are_final(tmp_path):
    lake = build(tmp_path, "rubric")
    v = Validation(lake=lake, profile="rubric", report_dir=tmp_path / "r", data_docs=False)
    v.check(["customer_trusted"])  # its privacy check reads customer_landing
    assert v.entries == {}
    v.check(["customer_landing"])
    assert list(v.entries) == ["customer_landing", "customer_trusted"]


@pytest.mark.parametrize(("profile", "plant", "check"), PLANTS)
def test_a_planted_violation_is_caught_in_the_early_pass_of_its_table(
    tmp_path, profile, plant, check
):
    lake = build(tmp_path, profile)
    plant(lake)
    v = early(lake, profile, tmp_path / "r")
    table = check.split(":")[0]
    assert check in [f"{table}:{f['name']}" for f in v.entries[table]["failures"]]
    report = v.finish()
    assert report["exit_code"] == 1
    assert check in failed_check_names(report)
    assert find_failure(report, check)["severity"] == "critical"
    saved = json.loads((tmp_path / "r" / "report.json").read_text())
    assert check in failed_check_names(saved)
