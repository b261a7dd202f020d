"""report.md of a grade reads in ten seconds and shows its pictures wherever it is opened.

A failing grade (tests/learner_projects/failing_job, copied under file names with spaces, as
Glue Studio names downloads) is rendered to HTML with markdown-it-py, a CommonMark renderer
as GitHub's: every image it references must exist beside report.md and open as a PNG. The
rendering of statuses is generic: a status the grade adds later shows with its reason.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from grading import report as grade_report
from lakehouse.cli import main as cli_main

PROJECTS = Path(__file__).parent / "learner_projects"
SPACED = {  # failing_job's scripts under the names a console download gives them
    "customer_landing_to_trusted.py": "Customer Landing to Trusted.py",
    "accelerometer_landing_to_trusted.py": "Accelerometer Landing to Trusted.py",
    "customer_trusted_to_curated.py": "Customer Trusted to Curated.py",
}


@pytest.fixture(scope="module")
def failing_grade(tmp_path_factory, spark) -> tuple[Path, dict, str]:
    """(report folder, report.json, terminal output) of failing_job's grade."""
    from stedi.generator import generate

    base = tmp_path_factory.mktemp("failing grade")
    sample = base / "sample"
    generate(sample, 40)
    project = base / "failing project"
    project.mkdir()
    for name, spaced in SPACED.items():
        shutil.copyfile(PROJECTS / "failing_job" / name, project / spaced)
    out, cwd = io.StringIO(), os.getcwd()
    os.chdir(base)  # no --report-dir: reports/grade/<project folder name>/ in the current folder
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            assert cli_main(["grade", str(project), "--data", str(sample)]) == 1
    finally:
        os.chdir(cwd)
    folder = base / "reports" / "grade" / "failing project"
    assert f"report: {Path('reports/grade/failing project/report.md')}" in out.getvalue()
    return folder, json.loads((folder / "report.json").read_text()), out.getvalue()


def html_images(markdown_text: str) -> list[str]:
    """The image targets of the Markdown, as a CommonMark renderer resolves them."""
    from markdown_it import MarkdownIt

    found = []

    def walk(tokens):
        for token in tokens:
            if token.type == "image":
                found.append(token.attrs["src"])
            walk(token.children or [])

    md = MarkdownIt("commonmark").enable("table")
    walk(md.parse(markdown_text))
    html = md.render(markdown_text)
    assert html.count("<img ") == len(found)
    return found


@pytest.mark.e2e
def test_every_image_of_a_failing_grades_report_exists_and_loads(failing_grade):
    from urllib.parse import unquote

    from PIL import Image

    folder, report, _ = failing_grade
    images = html_images((folder / "report.md").read_text())
    graphs = [i for i in images if i.startswith("graphs/")]
    counts = [i for i in images if i.startswith("count_")]
    assert len(graphs) == len(report["graphs"]) == 3
    assert any(" " in unquote(g) for g in graphs), "the names with spaces are the point"
    assert len(counts) == sum(t["rows"] is not None for t in report["tables"].values())
    for src in images:
        path = folder / unquote(src)
        assert path.is_file(), src
        with Image.open(path) as image:
            image.verify()
            assert image.format == "PNG"


@pytest.mark.e2e
def test_the_grades_temporary_lake_is_removed(failing_grade):
    _, report, _ = failing_grade
    assert report["lake"] and not Path(report["lake"]).exists()


@pytest.mark.parametrize("keep", [False, True])
def test_keep_lake_keeps_the_temporary_lake_and_only_that(monkeypatch, keep):
    """The removal's wiring, without a grade's run: a named --lake is never removed."""
    from grading import grade

    made = []
    monkeypatch.setattr(grade, "_grade", lambda project, data, lake, *rest: made.append(lake))
    grade.grade(PROJECTS / "failing_job", keep_lake=keep)
    assert made[0].root.exists() == keep
    shutil.rmtree(made[0].root, ignore_errors=True)


@pytest.mark.e2e
def test_a_failing_grade_says_first_which_script_broke_which_rule(failing_grade):
    folder, report, terminal = failing_grade
    lines = (folder / "report.md").read_text().splitlines()
    assert lines[0] == "# Grade: FAILED"
    why = lines[2]
    assert why.startswith("**Why:** job `Accelerometer Landing to Trusted.py` failed at line 34")
    assert "emailAddress" in why and "(rule: every job runs to its end)" in why
    assert "let through by `Customer Landing to Trusted.py`" in "\n".join(lines)
    assert "why: job Accelerometer Landing to Trusted.py failed at line 34" in terminal


@pytest.mark.e2e
def test_the_privacy_section_is_a_table_naming_the_script_of_each_leak(failing_grade):
    folder, report, terminal = failing_grade
    text = (folder / "report.md").read_text()
    privacy = text.split("## Privacy: failed", 1)[1].split("\n## ", 1)[0]
    leaked = [o for o in report["privacy"]["non_consenting_rows"] if o["rows"]]
    assert leaked and "{" not in privacy, "a table, not a JSON dump"
    for o in leaked:
        script = report["tables"][o["table"]]["produced_by"]
        assert f"| {o['table']} | **{o['rows']:,}** | `{script}` |" in privacy
        assert f"{o['table']}: {o['rows']:,} rows of non-consenting customers, let through by " \
            f"{script}" in terminal  # fmt: skip


# -- rendering, on report documents made here -----------------------------------------------
def a_report(**changes) -> dict:
    tables = {
        name: {"rows": 10, "expected": 10, "expected_strict": 10, "status": "ok",
               "location": f"s3://b/{name}/", "produced_by": None, "found_by": "landing",
               "database": "stedi"}
        for name in ("customer_landing", "customer_trusted")
    }  # fmt: skip
    doc = {
        "status": "passed", "counts_match": "rubric", "project": "/p", "lake": "/l",
        "data": {"path": "/d", "dataset": "sample"}, "jobs": [], "not_run": [],
        "tables": tables, "catalog": [], "ddl_skipped": [], "graphs": [], "screenshots": [],
        "privacy": {"status": "passed", "non_consenting_rows": [],
                    "readings_before_consent": {"rows": 12345},
                    "cross_customer_pairs": {"rows": 0}, "identifier_columns": []},
    }  # fmt: skip
    doc.update(changes)
    return doc


def test_a_status_the_report_does_not_know_shows_with_its_reason():
    doc = a_report(status="failed", counts_match=None)
    doc["tables"]["customer_trusted"].update(
        status="unreadable", reason="0 rows written by jobs/trusted.py", rows=None
    )
    text = grade_report.markdown(doc)
    assert "**Why:** `customer_trusted` is unreadable: 0 rows written by jobs/trusted.py" in text
    assert "| unreadable: 0 rows written by jobs/trusted.py |" in text
    assert "customer_trusted" in grade_report.terminal(doc).splitlines()[1]


def test_a_field_the_report_does_not_know_shows_as_it_is():
    text = grade_report.markdown(a_report(isolation={"process": "child", "memory": "2 GiB"}))
    assert "Isolation: process: child, memory: 2 GiB" in text


def test_no_empty_section_headings():
    text = grade_report.markdown(a_report())
    for heading in ("## Catalog", "## DDL skipped", "## Job graphs", "## Count images"):
        assert heading not in text


def test_numbers_have_thousands_separators_everywhere():
    text = grade_report.markdown(a_report())
    assert "accelerometer readings before consent: 12,345" in text and "12345" not in text


@pytest.mark.parametrize(
    ("target", "link"),
    [("graphs/a b.png", "![a b](<graphs/a b.png>)"), ("graphs/ab.png", "![ab](graphs/ab.png)")],
)
def test_image_targets_with_spaces_go_in_angle_brackets(tmp_path, target, link):
    doc = a_report(graphs=[str(tmp_path / target)])
    assert link in grade_report.markdown(doc, tmp_path)


def test_count_images_are_marked_with_their_tables_status(tmp_path):
    doc = a_report(status="failed", counts_match=None, database="stedi")
    doc["tables"]["customer_trusted"].update(rows=12345, status="differs")
    shots = grade_report.count_screenshots(doc, tmp_path, "sample")
    sidecars = {p.stem: json.loads(p.with_suffix(".json").read_text()) for p in shots}
    assert sidecars["count_customer_trusted"]["note"] == "DIFFERS: rubric expects 10, strict 10"
    assert sidecars["count_customer_landing"]["note"].startswith("OK: ")
    assert all(s["grouped"] for s in sidecars.values()), "12,345 as the note writes numbers"
