"""No personal data where nobody asked for it: after a FAILING validation (offending rows are
exactly what a report would show), no email address or name of the lake appears in the
terminal, report.md, report.json, the GX Data Docs or the screenshot JSON, unless --show-rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localglue.lake import Lake
from tests import minilake
from tests.minilake import read_rows, rewrite
from validation.masking import mask, mask_emails
from validation.report import find_failure
from validation.run import main


def landing_customers(lake: Lake) -> list[dict]:
    path = next(minilake.folder(lake, "customer_landing").glob("*.json"))
    return [json.loads(line) for line in path.read_text().splitlines()]


def failing_lake(tmp_path: Path) -> Lake:
    """A rubric lake with offending rows of real-looking people in three checks."""
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, "rubric", traps=True)
    customers = landing_customers(lake)
    outsider = next(c for c in customers if "shareWithResearchAsOfDate" not in c)
    trusted = read_rows(lake, "customer_trusted")
    rewrite(lake, "customer_trusted", trusted + [{k: outsider.get(k) for k in trusted[0]}])
    accel = read_rows(lake, "accelerometer_trusted")
    rewrite(lake, "accelerometer_trusted", accel + [{**accel[0], "user": outsider["email"]}])
    path = next(minilake.folder(lake, "customer_landing").glob("*.json"))
    path.write_text(path.read_text() + json.dumps({**customers[0], "phone": "1"}) + "\n")
    return lake


def outputs(tmp_path: Path, out: str) -> dict[str, str]:
    reports = tmp_path / "reports"
    found = {"terminal": out}
    for path in sorted(reports.rglob("*")):
        if path.is_file() and path.suffix in {".json", ".md", ".html"}:
            found[str(path.relative_to(reports))] = path.read_text(errors="replace")
    return found


@pytest.fixture(scope="module")
def failed_runs(tmp_path_factory):
    """{show_rows: (people, outputs)} after one failing run each way."""
    import contextlib
    import io

    runs = {}
    for show_rows in (False, True):
        tmp_path = tmp_path_factory.mktemp(f"show-rows-{show_rows}")
        lake = failing_lake(tmp_path)
        people = [
            value for c in landing_customers(lake) for value in (c["email"], c["customerName"])
        ]
        args = ["--lake", str(lake.root), "--profile", "rubric", "--screenshots", "--data-docs"]
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            code = main(args + (["--show-rows"] if show_rows else []))
        assert code == 1
        runs[show_rows] = (people, outputs(tmp_path, buffer.getvalue()))
    return runs


def test_the_outputs_that_must_be_clean_are_all_there(failed_runs):
    _, found = failed_runs[False]
    names = set(found)
    assert "terminal" in names and "rubric/report.json" in names and "rubric/report.md" in names
    assert any(n.startswith("rubric/data_docs/") and n.endswith(".html") for n in names)
    assert any(n.startswith("screenshots/") and n.endswith(".json") for n in names)
    assert "screenshots/machine_learning_curated_sample.json" in names


def test_no_email_or_name_appears_in_any_output_by_default(failed_runs):
    people, found = failed_runs[False]
    leaks = {name: [p for p in people if p in text] for name, text in found.items()}
    assert {name: hits for name, hits in leaks.items() if hits} == {}


def test_masked_samples_still_show_the_shape_of_the_offending_row(failed_runs):
    _, found = failed_runs[False]
    report = json.loads(found["rubric/report.json"])
    failure = find_failure(report, "accelerometer_trusted:privacy.only_consenting_customers")
    assert failure["sample"][0]["user"] == "T***@test.com"
    assert "***@test.com" in found["terminal"]


def test_show_rows_opts_in_to_the_offending_rows(failed_runs):
    people, found = failed_runs[True]
    for output in ("terminal", "rubric/report.json", "rubric/report.md"):
        assert any(p in found[output] for p in people), output


def test_the_ml_sample_image_has_no_identifier_columns(failed_runs):
    _, found = failed_runs[True]
    shot = json.loads(found["screenshots/machine_learning_curated_sample.json"])
    columns = {c.lower() for c in shot["columns"]}
    assert columns and not columns & {"user", "email", "serialnumber", "customername", "phone"}


@pytest.mark.parametrize(
    ("value", "column", "masked"),
    [
        ("Anna.Smith@test.com", "email", "A***@test.com"),
        ("Anna.Smith@test.com", "USER", "A***@test.com"),
        ("rows of Anna.Smith@test.com and b@x.org", None, "rows of A***@test.com and b***@x.org"),
        (12, "x", 12),
    ],
)
def test_masking_keeps_the_domain_and_the_first_letter(value, column, masked):
    assert mask(value, column) == masked


@pytest.mark.parametrize("column", ["customerName", "phone", "birthDay", "serialNumber"])
def test_other_identifiers_are_hashed_consistently(column):
    first, again, other = (mask(v, column) for v in ("8015551212", "8015551212", "8015551213"))
    assert first.startswith("hash:") and "8015551212" not in first
    assert first == again != other


def test_an_already_masked_email_is_not_an_email_any_more():
    assert mask_emails("A***@test.com") == "A***@test.com"
