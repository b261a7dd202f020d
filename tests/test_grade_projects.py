"""`lakehouse grade` on learner-style projects (tests/learner_projects/, written for these
tests in the styles public learner repositories use), each with its expected result.

Between them the projects cover: different buckets and prefixes (two buckets in one project);
databases stedi, stedidb, stedi_p4 and the hyphenated stedi-lake-db; DDL present (all eight),
absent, partial and unparseable (RTF, a syntax error); catalog and S3 sources; from_catalog
writes into pre-created tables (and into one no DDL defines); JSON and Parquet outputs; file
names with spaces, hyphens and parentheses; a job that fails; two scripts writing one table.
The runs use a small generated sample, whose manifest gives the expected counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grading.report import terminal
from lakehouse.cli import main as cli_main
from stedi.tables import TABLE_NAMES

PROJECTS = Path(__file__).parent / "learner_projects"
ALL_OK = dict.fromkeys(TABLE_NAMES, "ok")
CREATED = "created for the grade: no DDL in the project"

EXPECTED = {
    "studio_s3_json_spaces": {"exit": 0, "tables": ALL_OK, "formats": {"customer_trusted": "json"}},
    "catalog_parquet_hyphen_db": {
        "exit": 0,
        "tables": ALL_OK,
        "formats": {"machine_learning_curated": "parquet"},
        "database": "stedi-lake-db",
    },
    "handwritten_no_ddl": {
        "exit": 0,
        "tables": ALL_OK,
        "formats": {"customer_curated": "parquet", "accelerometer_trusted": "json"},
        "catalog": {
            "stedidb.trainer_landing": "crawled",
            "stedidb.machine_learning_curated": CREATED,
        },  # fmt: skip
    },
    "partial_ddl_two_buckets": {
        "exit": 0,
        "tables": ALL_OK,
        "formats": {"step_trainer_trusted": "parquet"},
        "ddl_skipped": {"accelerometer_landing.rtf", "step_trainer_landing.sql"},
    },
    "failing_job": {
        "exit": 1,
        "jobs": ["SUCCEEDED", "FAILED", "SKIPPED"],
        "tables": {"customer_trusted": "differs", "customer_curated": "missing"},
        "privacy": "failed",
        "error_line": 34,  # the SQL node statement (sparkSqlQuery call)
    },
}


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> Path:
    from stedi.generator import generate

    folder = tmp_path_factory.mktemp("grade-sample")
    generate(folder, 40)
    return folder


def grade_cli(project: Path, sample: Path, tmp_path: Path, *extra: str, capsys=None):
    code = cli_main(
        [
            "grade",
            str(project),
            "--data",
            str(sample),
            "--lake",
            str(tmp_path / "lake"),
            "--report-dir",
            str(tmp_path / "report"),
            "--json",
            *extra,
        ]  # fmt: skip
    )
    return code, json.loads((tmp_path / "report" / "report.json").read_text())


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_learner_project_grades_as_expected(name, sample, tmp_path, capsys):
    want = EXPECTED[name]
    code, report = grade_cli(PROJECTS / name, sample, tmp_path)
    assert json.loads(capsys.readouterr().out) == report, "--json prints report.json"
    assert code == want["exit"], json.dumps(report["jobs"], indent=1)
    assert report["status"] == ("passed" if code == 0 else "failed")
    for table, status in want["tables"].items():
        assert report["tables"][table]["status"] == status, (table, report["tables"][table])
    for table, fmt in want.get("formats", {}).items():
        assert report["tables"][table]["format"] == fmt, table
    if "jobs" in want:
        assert [j["status"] for j in report["jobs"]] == want["jobs"]
    if "error_line" in want:
        [failed] = [j for j in report["jobs"] if j["status"] == "FAILED"]
        assert failed["line"] == want["error_line"] and "emailAddress" in failed["error"]
    assert report["privacy"]["status"] == want.get("privacy", "passed")
    made = {c["table"]: c["how"] for c in report["catalog"]}
    for table, how in want.get("catalog", {}).items():
        assert made[table] == how
    skipped = {Path(s["file"]).name for s in report["ddl_skipped"]}
    assert skipped == want.get("ddl_skipped", set())
    if "database" in want:
        assert report["database"] == want["database"]
    # One graph per job, one count screenshot per table found; no data rows anywhere.
    assert len(report["graphs"]) == len(report["jobs"])
    assert all(Path(p).is_file() for p in report["graphs"] + report["screenshots"])
    assert_no_data_rows(tmp_path / "report", terminal(report))


def assert_no_data_rows(report_dir: Path, terminal_text: str) -> None:
    """No email (every learner table's identifier) in any text the grade writes or prints."""
    texts = {p.name: p.read_text() for p in report_dir.iterdir() if p.suffix in (".json", ".md")}
    texts["terminal"] = terminal_text
    assert {"report.json", "report.md"} <= texts.keys()
    assert any(name.startswith("count_") for name in texts), "screenshot sidecars checked too"
    for name, text in texts.items():
        assert "@" not in text and "examples" not in text, name


@pytest.mark.e2e
def test_rows_of_non_consenting_customers_appear_only_with_the_rows_flag(sample, tmp_path, capsys):
    code, report = grade_cli(PROJECTS / "failing_job", sample, tmp_path, "--rows")
    leaked = [o for o in report["privacy"]["non_consenting_rows"] if o["rows"]]
    assert code == 1 and leaked
    for entry in leaked:
        assert 0 < len(entry["examples"]) <= min(entry["rows"], 5)
        assert all("@" in str(row) for row in entry["examples"]), "an email identifies the row"
    assert "examples" in (tmp_path / "report" / "report.md").read_text()


def test_two_scripts_writing_one_table_stop_the_grade_naming_both_and_the_order_flag(
    sample, tmp_path, capsys
):
    code = cli_main(["grade", str(PROJECTS / "two_writers"), "--data", str(sample),
                     "--lake", str(tmp_path / "lake"), "--report-dir", str(tmp_path / "r")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "customer_landing_to_trusted (draft).py" in err and "--order" in err
    assert not (tmp_path / "lake").exists(), "planning fails before the lake is touched"


@pytest.mark.e2e
def test_order_picks_the_submitted_script_of_two_writers(sample, tmp_path, capsys):
    order = ["jobs/customer_landing_to_trusted.py", "accelerometer_landing_to_trusted.py"]
    code, report = grade_cli(PROJECTS / "two_writers", sample, tmp_path, "--order", *order)
    assert [j["script"] for j in report["jobs"]] == ["jobs/" + Path(o).name for o in order]
    assert report["not_run"] == ["jobs/old/customer_landing_to_trusted (draft).py"]
    assert report["tables"]["customer_trusted"]["status"] == "ok"
    assert report["tables"]["accelerometer_trusted"]["status"] == "ok"
    assert code == 1, "three tables are missing, so the counts differ"


def test_a_grade_refuses_a_lake_it_did_not_make(sample, tmp_path, capsys):
    (tmp_path / "lake").mkdir()
    (tmp_path / "lake" / "mine.txt").write_text("keep me")
    code = cli_main(["grade", str(PROJECTS / "failing_job"), "--data", str(sample),
                     "--lake", str(tmp_path / "lake"), "--report-dir", str(tmp_path / "r")])  # fmt: skip
    assert code == 2 and "not empty" in capsys.readouterr().err
    assert (tmp_path / "lake" / "mine.txt").is_file()


@pytest.mark.e2e
@pytest.mark.parametrize("profile", ["rubric", "strict"])
def test_grading_the_projects_own_jobs_on_the_shared_data_gives_the_readme_counts(
    profile, shared_data, tmp_path, capsys
):
    import shutil

    from stedi.expected import COUNTS_FILE

    project = tmp_path / "project"
    shutil.copytree(
        Path(__file__).resolve().parents[1] / "studio_jobs" / profile, project / profile
    )
    code, report = grade_cli(project, shared_data, tmp_path)
    readme_counts = json.loads(COUNTS_FILE.read_text())["stedi-udacity"][profile]
    assert {t: v["rows"] for t, v in report["tables"].items()} == readme_counts
    assert report["counts_match"] == profile and code == 0
