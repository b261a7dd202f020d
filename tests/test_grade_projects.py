"""`lakehouse grade` on learner-style projects (tests/learner_projects/, written for these
tests in the styles public learner repositories use), each with its expected result.

Between them the projects cover: different buckets and prefixes (two buckets in one project);
databases stedi, stedidb, stedi_p4, stedi_p8 and the hyphenated stedi-lake-db and stedi-db
(unquoted in the DDL, as Athena's editor runs it); DDL present (all eight), absent, partial,
unparseable (a syntax error) and saved as RTF; catalog and S3 sources; from_catalog writes
into pre-created tables (and into ones no DDL defines, read back from S3 by the next job);
JSON, CSV and Parquet outputs in every codec a Studio target offers (snappy, lz4, bzip2,
gzip, zstd); file names with spaces, hyphens and parentheses; a bucket written as a CI
secret placeholder; paths built from a job parameter (`--job-arg`); a job that fails; jobs
that all succeed and write 0 rows; a folder read by one job and written by none that is not
landing; two scripts writing one table; Glue Studio jobs keyed by the catalog's lower-case
column names, graded under both `--catalog-case` models. The runs use a small generated
sample, whose manifest gives the expected counts.
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
TRUSTED_AND_CURATED = [t for t in TABLE_NAMES if not t.endswith("_landing")]
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
        "ddl_skipped": {"step_trainer_landing.sql"},
        "notes": ["accelerometer_landing.rtf: DDL read from an RTF document"],
    },
    "placeholder_bucket_rtf_ddl": {
        "exit": 0,
        "tables": ALL_OK,
        "database": "stedi-db",
        "compression": dict.fromkeys(TRUSTED_AND_CURATED, "snappy"),
        "notes": [
            "customer_landing.rtf: DDL read from an RTF document",
            "bucket '${{ secrets.BUCKET }}' is a placeholder",
        ],  # fmt: skip
    },
    "job_args_catalog_target": {
        "args": ["--job-arg", "LAKE=s3://p8-lake"],
        "exit": 0,
        "tables": ALL_OK,
        "formats": {"customer_curated": "csv", "machine_learning_curated": "parquet"},
        "compression": {
            "customer_trusted": "lz4",
            "accelerometer_trusted": "bzip2",
            "customer_curated": "gzip",
            "machine_learning_curated": "zstd",
        },  # fmt: skip
        "catalog": {"stedi_p8.step_trainer_trusted": CREATED},
    },
    "zero_rows_written": {
        "exit": 1,
        "jobs": ["SUCCEEDED"] * 5,
        "tables": dict.fromkeys(TRUSTED_AND_CURATED, "empty"),
        "reasons": {
            "customer_trusted": "0 rows written by scripts/Customer Trusted.py",
            "machine_learning_curated": "0 rows written by scripts/Machine Learning Curated.py",
        },  # fmt: skip
    },
    "curated_folder_not_landing": {
        "exit": 1,
        "jobs": ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED"],
        "tables": {"customer_curated": "ok", "step_trainer_trusted": "missing"},
        "notes": [
            "reads s3://p10-lakehouse/customer/curated/, which no job in the project "
            "writes and whose name says curated, not landing"
        ],  # fmt: skip
    },
    "two_writers": {
        "exit": 1,
        "jobs": ["SUCCEEDED"] * 3,
        "order": [
            "jobs/old/customer_landing_to_trusted (draft).py",
            "jobs/customer_landing_to_trusted.py",
            "jobs/accelerometer_landing_to_trusted.py",
        ],  # fmt: skip
        "tables": {"customer_trusted": "differs", "customer_curated": "missing"},
        "privacy": "failed",  # the draft wrote every customer; running both, Glue keeps both
        "notes": [
            "jobs/old/customer_landing_to_trusted (draft).py and "
            "jobs/customer_landing_to_trusted.py all write table customer_trusted"
        ],  # fmt: skip
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
    code, report = grade_cli(PROJECTS / name, sample, tmp_path, *want.get("args", []))
    assert json.loads(capsys.readouterr().out) == report, "--json prints report.json"
    assert code == want["exit"], json.dumps(report["jobs"], indent=1)
    assert report["status"] == ("passed" if code == 0 else "failed")
    for table, status in want["tables"].items():
        assert report["tables"][table]["status"] == status, (table, report["tables"][table])
    for table, fmt in want.get("formats", {}).items():
        assert report["tables"][table]["format"] == fmt, table
    for table, codec in want.get("compression", {}).items():
        assert report["tables"][table]["compression"] == codec, table
    for table, reason in want.get("reasons", {}).items():
        assert report["tables"][table]["reason"] == reason, table
    for note in want.get("notes", []):
        assert any(note in n for n in report["notes"]), (note, report["notes"])
    if "jobs" in want:
        assert [j["status"] for j in report["jobs"]] == want["jobs"]
    if "order" in want:
        assert [j["script"] for j in report["jobs"]] == want["order"]
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
@pytest.mark.parametrize("case", ["data", "lower"])
def test_studio_jobs_keyed_by_the_catalogs_lower_case_names_grade_as_the_catalog_case_says(
    case, sample, tmp_path, capsys
):
    """Studio writes the catalog's `sharewithresearchasofdate` and `serialnumber` into Filter,
    Join and DropFields nodes. On the files' own names (the default) the Filter drops every
    customer and the step trainer Join has no key; `--catalog-case lower` grades the project
    as runs on AWS that lower-cased catalog frames would have gone (docs/fidelity.md)."""
    args = ["--catalog-case", case] if case == "lower" else []
    code, report = grade_cli(PROJECTS / "catalog_lower_case_keys", sample, tmp_path, *args)
    assert report["catalog_case"] == case
    said, lower = "catalog reads: lower (field names lower-cased", case == "lower"
    markdown = (tmp_path / "report" / "report.md").read_text()
    assert (said in terminal(report), said.capitalize() in markdown) == (lower, lower)
    if lower:
        assert code == 0 and report["status"] == "passed"
        assert {t["status"] for t in report["tables"].values()} == {"ok"}
        return
    assert code == 1
    assert [j["status"] for j in report["jobs"]] == ["SUCCEEDED"] * 3 + ["FAILED", "SKIPPED"]
    [failed] = [j for j in report["jobs"] if j["status"] == "FAILED"]
    assert "keys1 'serialnumber' is not a field of the frame" in failed["error"]
    assert report["tables"]["customer_trusted"]["status"] == "empty"


@pytest.mark.e2e
def test_rows_of_non_consenting_customers_appear_only_with_the_rows_flag(sample, tmp_path, capsys):
    code, report = grade_cli(PROJECTS / "failing_job", sample, tmp_path, "--rows")
    leaked = [o for o in report["privacy"]["non_consenting_rows"] if o["rows"]]
    assert code == 1 and leaked
    for entry in leaked:
        assert 0 < len(entry["examples"]) <= min(entry["rows"], 5)
        assert all("@" in str(row) for row in entry["examples"]), "an email identifies the row"
    assert "examples" in (tmp_path / "report" / "report.md").read_text()


@pytest.mark.e2e
def test_a_missing_job_argument_fails_the_job_naming_the_flag_that_fixes_it(
    sample, tmp_path, capsys
):
    code, report = grade_cli(PROJECTS / "job_args_catalog_target", sample, tmp_path)
    assert code == 1
    first, *rest = report["jobs"]
    assert first["status"] == "FAILED"
    assert "--LAKE" in first["error"] and "--job-arg LAKE=VALUE" in first["error"]
    assert {j["status"] for j in rest} <= {"FAILED", "SKIPPED"}
    assert report["job_args"] == []


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
