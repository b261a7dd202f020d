"""Same-script groups (grading/similarity.py): submissions whose job scripts are the same once
what Glue Studio or the account chose is normalised are grouped; anything the learner built
differently keeps them apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grading.discover import find_scripts
from grading.similarity import groups, normalise, submission_keys
from tests.learner_class import PROJECTS, disguised_copy

SCRIPT = PROJECTS / "failing_job" / "customer_landing_to_trusted.py"

SAME = {  # what a copier (or Glue Studio, or another account) changes: the same script
    "node ids renumbered": lambda t: re.sub(r"_node(\d+)", lambda m: f"_node{int(m[1]) + 1}", t),
    "nodes renamed": lambda t: t.replace("CustomerLanding_node", "Landing_node"),
    "transformation_ctx renamed": lambda t: t.replace(
        'transformation_ctx = "SqlQuery_node1700000047139"', 'transformation_ctx = "my_sql"'
    ),
    "another bucket": lambda t: t.replace("s3://p5-bucket/", "s3://someone-elses-bucket/"),
    "another database": lambda t: t.replace('catalogDatabase="stedi"', 'catalogDatabase="d609"'),
    "comments and blank lines": lambda t: "# my project\n\n" + t.replace("\n\n", "\n\n\n# ok\n"),
    "quotes and spacing": lambda t: t.replace("['JOB_NAME']", '[ "JOB_NAME" ]'),
    "the SQL laid out again": lambda t: t.replace("select * from", "select *\n        from"),
}
DIFFERENT = {  # what the learner built: another script
    "another filter": lambda t: t.replace(
        "select * from customer_landing",
        "select * from customer_landing where sharewithresearchasofdate is not null",
    ),  # fmt: skip
    "another format": lambda t: t.replace('setFormat("json")', 'setFormat("glueparquet")'),
    "another table": lambda t: t.replace(
        'catalogTableName="customer_trusted"', 'catalogTableName="ct"'
    ),
}


@pytest.mark.parametrize("change", sorted(SAME))
def test_what_studio_or_the_account_chose_is_normalised_away(change):
    text = SCRIPT.read_text()
    changed = SAME[change](text)
    assert changed != text, "the change applies to this script"
    assert normalise(changed) == normalise(text)


@pytest.mark.parametrize("change", sorted(DIFFERENT))
def test_what_the_learner_built_differently_tells_scripts_apart(change):
    text = SCRIPT.read_text()
    changed = DIFFERENT[change](text)
    assert changed != text
    assert normalise(changed) != normalise(text)


def test_a_script_that_does_not_tokenize_is_still_compared_line_by_line():
    broken = SCRIPT.read_text() + "\nif (:\n"
    assert normalise(broken) == normalise(SAME["another bucket"](broken))
    assert normalise(broken) != normalise(DIFFERENT["another format"](broken))


def test_a_disguised_copy_of_a_project_has_the_same_scripts(tmp_path):
    source = PROJECTS / "studio_s3_json_spaces"
    copy = disguised_copy(source, tmp_path / "copy", "other-lake", "other_db")
    assert all(a.read_text() != b.read_text() for a, b in zip(find_scripts(source), find_scripts(copy), strict=True))  # fmt: skip
    assert submission_keys(find_scripts(copy)) == submission_keys(find_scripts(source))


def keys_of(name: str) -> list[str]:
    return submission_keys(find_scripts(PROJECTS / name))


def test_only_whole_sets_of_scripts_are_grouped():
    """failing_job and two_writers share a script, studio_s3_json_spaces and
    zero_rows_written another: sharing one script is what the starter steps do to
    everyone, so they are not grouped."""
    keys = {name: keys_of(name) for name in ("failing_job", "two_writers", "studio_s3_json_spaces",
                                            "zero_rows_written")}  # fmt: skip
    assert set(keys["failing_job"]) & set(keys["two_writers"])
    assert set(keys["studio_s3_json_spaces"]) & set(keys["zero_rows_written"])
    keys["carol"] = keys["failing_job"]
    keys["nobody"] = []  # no scripts: never a group of its own
    keys["nobody else"] = []
    assert groups(keys) == [["carol", "failing_job"]]


def test_groups_are_listed_in_order_each_sorted(tmp_path):
    keys = {"zed": ["b"], "amy": ["b"], "kim": ["a", "c"], "bo": ["a", "c"], "solo": ["d"]}
    assert groups(keys) == [["amy", "zed"], ["bo", "kim"]]


def test_a_copy_in_two_folders_counts_once(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "job.py").write_text(SCRIPT.read_text())
    (tmp_path / "old" / "job.py").write_text(SCRIPT.read_text())
    assert submission_keys(find_scripts(tmp_path)) == submission_keys([SCRIPT])


def test_the_normalised_text_keeps_the_sql_and_the_structure():
    text = normalise(SCRIPT.read_text())
    assert "select * from customer_landing" in text
    assert "p5-bucket" not in text and "node1700000046328" not in text and "stedi" not in text
    assert Path(SCRIPT).read_text().count("\n") > text.count("\n") > 10
