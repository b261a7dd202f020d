"""validation.run end to end on a small finished lake (tests.minilake): a clean lake
passes, and each planted violation makes the run exit 1 and NAME the failed check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localglue.catalog import Catalog, table_columns
from localglue.lake import Lake
from tests import minilake
from tests.minilake import folder, read_rows, rewrite
from validation.report import failed_check_names, find_failure
from validation.run import main


def build(tmp_path: Path, profile: str) -> Lake:
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, profile)
    return lake


def run(lake: Lake, profile: str, *extra: str, docs: bool = False) -> tuple[int, dict]:
    """validation.run on the lake; without GX and its Data Docs unless docs=True: only the
    tests of the report's shape and of a clean lake look at them."""
    report_dir = lake.root.parent / "reports" / profile
    skip = ["--data-docs"] if docs else ["--no-data-docs"]
    code = main(["--lake", str(lake.root), "--profile", profile, "--quiet", *skip, *extra])
    report = json.loads((report_dir / "report.json").read_text())
    return code, report


def landing_customer(lake: Lake, consenting: bool) -> dict:
    rows = [
        json.loads(line)
        for line in next(folder(lake, "customer_landing").glob("*.json")).read_text().splitlines()
    ]
    return next(r for r in rows if ("shareWithResearchAsOfDate" in r) == consenting)


# -- the plants ------------------------------------------------------------------------------


def plant_non_consenting_customer(lake):
    rows = read_rows(lake, "customer_trusted")
    outsider = landing_customer(lake, consenting=False)
    rows.append({k: outsider.get(k) for k in rows[0]})
    rewrite(lake, "customer_trusted", rows)


def plant_unknown_accelerometer_user(lake):
    rows = read_rows(lake, "accelerometer_trusted")
    rows.append({**rows[0], "user": "Nobody.Known@test.com"})
    rewrite(lake, "accelerometer_trusted", rows)


def plant_email_column_in_ml(lake):
    rows = read_rows(lake, "machine_learning_curated")
    rows = [{**r, "email": "Test0.Person@test.com"} for r in rows]
    columns = [
        (k, "double" if k in "xyz" else ("string" if k == "email" else "bigint")) for k in rows[0]
    ]
    rewrite(lake, "machine_learning_curated", rows, columns)


def plant_pre_consent_reading(lake):
    rows = read_rows(lake, "accelerometer_trusted")
    consent = min(c["shareWithResearchAsOfDate"] for c in read_rows(lake, "customer_trusted"))
    rows.append({**rows[0], "timestamp": consent - 60_000, "x": 0.125})
    rewrite(lake, "accelerometer_trusted", rows)


def plant_duplicated_row(lake):
    rows = read_rows(lake, "step_trainer_trusted")
    rewrite(lake, "step_trainer_trusted", rows + rows[:1])


def plant_missing_column(lake):
    rows = [
        {k: v for k, v in r.items() if k != "z"} for r in read_rows(lake, "accelerometer_trusted")
    ]
    doc = Catalog(lake).get_table("stedi", "accelerometer_trusted")
    rewrite(lake, "accelerometer_trusted", rows, [c for c in table_columns(doc) if c[0] != "z"])


def plant_step_reading_of_unknown_device(lake):
    rows = read_rows(lake, "step_trainer_trusted")
    rows.append({**rows[0], "serialNumber": "ffffffff-0000-4000-8000-000000000000"})
    rewrite(lake, "step_trainer_trusted", rows)


PLANTS = [
    pytest.param(
        "rubric",
        plant_non_consenting_customer,
        "customer_trusted:privacy.only_consenting_customers",
        id="non-consenting-customer-in-customer_trusted",
    ),
    pytest.param(
        "rubric",
        plant_unknown_accelerometer_user,
        "accelerometer_trusted:integrity.user_is_trusted_customer",
        id="accelerometer-row-of-unknown-user",
    ),
    pytest.param(
        "strict",
        plant_email_column_in_ml,
        "machine_learning_curated:privacy.no_identifier_columns",
        id="email-column-in-strict-ml-table",
    ),
    pytest.param(
        "strict",
        plant_pre_consent_reading,
        "accelerometer_trusted:strict.no_reading_before_consent",
        id="pre-consent-reading-in-strict",
    ),
    pytest.param(
        "rubric",
        plant_duplicated_row,
        "step_trainer_trusted:keys.reading_unique",
        id="duplicated-row",
    ),
    pytest.param(
        "rubric", plant_missing_column, "accelerometer_trusted:schema.columns", id="missing-column"
    ),
    pytest.param(
        "rubric",
        plant_step_reading_of_unknown_device,
        "step_trainer_trusted:integrity.serial_is_curated_customer",
        id="step-reading-of-unknown-device",
    ),
]


@pytest.mark.parametrize("profile", ["rubric", "strict"])
def test_a_finished_lake_passes_every_check(tmp_path, profile):
    lake = build(tmp_path, profile)
    code, report = run(lake, profile, docs=True)
    assert code == 0, failed_check_names(report)
    assert report["status"] == "passed" and report["max_severity_failure"] is None
    assert {t["count_check"]["status"] for t in report["tables"]} == {"passed"}
    assert [t["table"] for t in report["tables"]] == list(minilake.LOCATIONS)


@pytest.mark.parametrize(("profile", "plant", "check"), PLANTS)
def test_a_planted_violation_fails_the_run_and_names_the_check(
    tmp_path, capsys, profile, plant, check
):
    lake = build(tmp_path, profile)
    plant(lake)
    code = main(["--lake", str(lake.root), "--profile", profile, "--no-data-docs"])
    out = capsys.readouterr().out
    report = json.loads((tmp_path / "reports" / profile / "report.json").read_text())
    assert code == 1
    assert check in failed_check_names(report)
    table, name = check.split(":")
    assert name in out  # the terminal table names it too
    assert name in (tmp_path / "reports" / profile / "report.md").read_text()
    assert find_failure(report, check)["severity"] == "critical"


def test_the_strict_pre_consent_check_is_not_part_of_the_rubric_profile(tmp_path):
    """Rubric jobs keep readings taken before the consent date: only strict forbids them."""
    lake = build(tmp_path, "rubric")
    plant_pre_consent_reading(lake)
    code, report = run(lake, "rubric")
    assert "accelerometer_trusted:strict.no_reading_before_consent" not in failed_check_names(
        report
    )


def test_a_sample_of_offending_rows_is_reported(tmp_path):
    lake = build(tmp_path, "rubric")
    plant_unknown_accelerometer_user(lake)
    _, report = run(lake, "rubric", "--show-rows")
    table = next(t for t in report["tables"] if t["table"] == "accelerometer_trusted")
    failure = next(
        f for f in table["failures"] if f["name"] == "integrity.user_is_trusted_customer"
    )
    assert failure["observed"] == 1
    assert failure["sample"] == [{**failure["sample"][0], "user": "Nobody.Known@test.com"}]


def test_a_warning_is_reported_but_does_not_fail_the_run(tmp_path):
    """Severity gates the run (get_max_severity_failure), not ValidationResult.success."""
    lake = build(tmp_path, "rubric")
    path = next(folder(lake, "customer_landing").glob("*.json"))
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    outsider = next(r for r in rows if "shareWithResearchAsOfDate" not in r)
    outsider["email"] = rows[0]["email"]  # a duplicated e-mail in landing: a warning there
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, report = run(lake, "rubric")
    assert code == 0
    assert report["max_severity_failure"] == "warning"
    assert failed_check_names(report) == {"customer_landing:keys.email_unique"}
    landing = next(t for t in report["tables"] if t["table"] == "customer_landing")
    assert landing["status"] == "warning"


def test_a_row_count_different_from_the_expected_count_fails(tmp_path):
    lake = build(tmp_path, "rubric")
    info = json.loads((lake.root / "_dataset.json").read_text())
    info["expected_counts"]["rubric"]["customer_trusted"] += 1
    (lake.root / "_dataset.json").write_text(json.dumps(info))
    code, report = run(lake, "rubric")
    assert code == 1
    assert failed_check_names(report) == {"customer_trusted:count.expected_rows"}


def test_without_expected_counts_the_count_check_reports_no_expectation(tmp_path):
    lake = build(tmp_path, "rubric")
    (lake.root / "_dataset.json").unlink()
    code, report = run(lake, "rubric")
    assert code == 0
    assert {t["count_check"]["status"] for t in report["tables"]} == {"no expectation"}
    assert report["summary"]["counts_without_expectation"] == 8
    assert report["expected_counts_source"] is None


@pytest.mark.parametrize("how", ["--dataset", "_dataset.json name"])
def test_counts_json_of_a_named_dataset_wins_over_the_lake_counts(tmp_path, how):
    """expectations/counts.json[dataset][profile] is used when --dataset names the dataset,
    or when the lake's _dataset.json names one found there."""
    import shutil

    from validation.suites import expectations_dir

    lake = build(tmp_path, "rubric")
    expectations = tmp_path / "expectations"
    shutil.copytree(expectations_dir(), expectations)
    counts = minilake.build(lake, "rubric", name="mini")
    wrong = {**counts, "machine_learning_curated": counts["machine_learning_curated"] + 7}
    (expectations / "counts.json").write_text(json.dumps({"mini": {"rubric": wrong}}))
    extra = ["--dataset", "mini"] if how == "--dataset" else []
    code, report = run(lake, "rubric", *extra, "--expectations", str(expectations))
    assert code == 1
    assert failed_check_names(report) == {"machine_learning_curated:count.expected_rows"}
    assert report["dataset"] == "mini"
    assert "counts.json[mini][rubric]" in report["expected_counts_source"]


def test_report_json_has_a_stable_documented_shape(tmp_path):
    lake = build(tmp_path, "rubric")
    _, report = run(lake, "rubric", "--tables", "customer_trusted", docs=True)
    assert report["schema_version"] == 1
    assert set(report) >= {
        "schema_version",
        "generated_at",
        "lake",
        "engine",
        "profile",
        "dataset",
        "expected_counts_source",
        "status",
        "exit_code",
        "max_severity_failure",
        "summary",
        "data_docs",
        "tables",
    }
    (table,) = report["tables"]
    assert set(table) >= {
        "zone",
        "table",
        "suite",
        "suite_files",
        "expected_rows",
        "actual_rows",
        "count_check",
        "expectations",
        "status",
        "failures",
    }
    assert table["suite_files"] == ["expectations/trusted/customer_trusted.json"]
    assert Path(report["data_docs"]).is_file()  # real GX Data Docs
    assert "customer_trusted" in Path(report["data_docs"]).read_text()


def test_no_data_docs_skips_the_html_site_and_says_so_in_the_report(tmp_path):
    lake = build(tmp_path, "rubric")
    _, with_docs = run(lake, "rubric", "--tables", "customer_trusted", docs=True)
    code, report = run(lake, "rubric", "--tables", "customer_trusted")
    assert code == 0 and report["data_docs"] is None
    assert not Path(with_docs["data_docs"]).exists()  # no stale site from the earlier run
    assert "data_docs_s" not in report["timings"]


USAGE_ERRORS = [
    pytest.param(
        lambda lake: ["--lake", str(lake.root.parent / "nowhere")],
        "lake not found",
        id="lake-not-found",
    ),
    pytest.param(
        lambda lake: ["--lake", str(lake.root), "--tables", "customers"],
        "unknown table",
        id="unknown-table",
    ),
    pytest.param(
        lambda lake: ["--lake", str(lake.root), "--dataset", "nope"],
        "dataset 'nope'",
        id="unknown-dataset",
    ),
    pytest.param(
        lambda lake: ["--lake", str(lake.root), "--profile", "lax"],
        "invalid choice",
        id="unknown-profile",
    ),
    pytest.param(
        lambda lake: (
            Catalog(lake).delete_table("stedi", "customer_curated"),
            ["--lake", str(lake.root)],
        )[1],
        "customer_curated not in the local catalog",
        id="table-not-in-catalog",
    ),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS)
def test_usage_and_configuration_errors_exit_2_and_name_what_is_missing(
    tmp_path, capsys, args, message
):
    lake = build(tmp_path, "rubric")
    code = main(args(lake))
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.e2e
@pytest.mark.parametrize("profile", ["rubric", "strict"])
def test_the_pipeline_output_on_the_shared_data_passes_with_the_graders_counts(
    shared_lake, profile
):
    """The real STEDI data through the real jobs: every critical check passes and the counts
    are expectations/counts.json's, found through the lake's _dataset.json name."""
    lake = shared_lake(profile)
    code, report = run(lake, profile)
    assert code == 0, failed_check_names(report)
    assert report["dataset"] == "stedi-udacity"
    assert "counts.json[stedi-udacity]" in report["expected_counts_source"]
    assert {t["count_check"]["status"] for t in report["tables"]} == {"passed"}


def test_importing_the_cli_modules_does_not_import_great_expectations(tmp_path):
    """GX costs seconds to import: only a run that validates may pay for it."""
    import subprocess
    import sys

    script = tmp_path / "imports.py"
    script.write_text(
        "import sys\n"
        "import validation.run, validation.dqdl, validation.report, lakehouse.cli.sql\n"
        "print('great_expectations' in sys.modules)\n"
    )
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=repo,
        env={**__import__("os").environ, "PYTHONPATH": str(repo)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("extra", "imports_gx"),
    [([], False), (["--no-data-docs"], False), (["--data-docs"], True)],
    ids=["default", "no-data-docs", "data-docs"],
)
def test_a_validation_run_imports_great_expectations_only_when_asked(tmp_path, extra, imports_gx):
    """The verdict needs no GX (5-6 s of imports): a run imports it only for --data-docs, and
    both give the same verdict on a planted violation."""
    import os
    import subprocess
    import sys

    lake = build(tmp_path, "rubric")
    plant_duplicated_row(lake)
    script = tmp_path / "validate.py"
    script.write_text(
        "import sys\n"
        "from validation.run import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'great_expectations' in sys.modules)\n"
    )
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, str(script), "--lake", str(lake.root), "--quiet", *extra],
        capture_output=True,
        text=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", str(imports_gx)]


def test_python_m_validation_run_is_the_same_command_line(tmp_path):
    """`python -m validation.run` in a fresh interpreter: exit status and terminal report."""
    import os
    import subprocess
    import sys

    lake = build(tmp_path, "rubric")
    plant_duplicated_row(lake)
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "validation.run", "--lake", str(lake.root)],
        capture_output=True,
        text=True,
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo), "COLUMNS": "200"},
        timeout=300,
    )
    assert out.returncode == 1, out.stderr
    assert "keys.reading_unique" in out.stdout and "FAILED" in out.stdout
    assert (tmp_path / "reports" / "rubric" / "report.json").is_file()


@pytest.mark.parametrize(
    ("lakes", "expected"),
    [
        (["lake"], ["reports/rubric"]),
        (["lake", "lake-strict"], ["reports/rubric", "reports/lake-strict/rubric"]),
        (["mine", "theirs"], ["reports/mine/rubric", "reports/theirs/rubric"]),
    ],
)
def test_each_lake_in_one_folder_gets_its_own_reports_folder(tmp_path, lakes, expected):
    from validation.run import default_report_dir

    dirs = [default_report_dir(Lake(tmp_path / name), "rubric") for name in lakes]
    assert [d.relative_to(tmp_path).as_posix() for d in dirs] == expected
