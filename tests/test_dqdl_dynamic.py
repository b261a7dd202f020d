"""Dynamic rules compare a metric with its values in earlier runs (`last(k)`), as the DQDL
reference documents them; EvaluateDataQuality in a job keeps those values in the lake."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from localglue import dqdl

EARLIER_ROW_COUNTS = [3, 4, 6]  # oldest first; the current frame has 5 rows


@pytest.fixture(scope="module")
def five_rows(spark):
    return spark.sql("select id from range(5)")


@pytest.fixture
def history(tmp_path):
    history = dqdl.History(tmp_path / "ctx")
    for i, count in enumerate(EARLIER_ROW_COUNTS):
        history.record({"Dataset.*.RowCount": float(count)}, datetime(2024, 1, 1 + i))
    return history


@pytest.mark.parametrize(
    ("rule", "passes"),
    [
        ("RowCount > avg(last(3))", True),  # 5 > (6 + 4 + 3) / 3
        ("RowCount > avg(last(10))", True),  # fewer than k runs: all of them
        ("RowCount < max(last(2))", True),  # 5 < max(6, 4)
        ("RowCount between min(last(10)) and max(last(10))", True),  # 3 < 5 < 6
        ("RowCount > sum(last(2))", False),  # 5 > 10
        ("RowCount > median(last(3))", True),  # 5 > 4
        ("RowCount = index(last(3), 2) + 2", True),  # the third most recent is 3
        ("RowCount = index(last(3), 0) - 1", True),  # the most recent is 6
        ("RowCount < std(last(3)) + 3.6", False),  # population std 1.247 (sample: 1.53)
        ("RowCount = abs(index(last(3), 0) - 11)", True),
        ("RowCount > last()", False),  # last() is the most recent: 6
    ],
)
def test_dynamic_rule_reads_the_metric_of_earlier_runs_most_recent_first(
    five_rows, history, rule, passes
):
    [outcome] = dqdl.evaluate(five_rows, f"Rules = [ {rule} ]", history=history)
    assert outcome.passed == passes, outcome


def test_last_is_zero_when_no_earlier_run_exists(five_rows, tmp_path):
    empty = dqdl.History(tmp_path / "new")
    result = dqdl.evaluate(
        five_rows, "Rules = [ RowCount > last(), RowCount = avg(last(3)) ]", history=empty
    )
    assert [o.outcome for o in result] == ["Passed", "Failed"]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("RowCount > last(2)", "a single value is expected"),
        ("RowCount > index(last(3), 3)", "out of range"),
        ("RowCount > average(last(3))", "average\\(\\) is not a dynamic rule function"),
    ],
)
def test_dynamic_rules_that_cannot_resolve_are_errors(five_rows, history, rule, message):
    with pytest.raises(dqdl.DQDLError, match=message):
        dqdl.evaluate(five_rows, f"Rules = [ {rule} ]", history=history)


def test_dynamic_rules_without_a_history_are_refused(five_rows):
    with pytest.raises(dqdl.DQDLError, match=r"_dq/"):
        dqdl.evaluate(five_rows, "Rules = [ RowCount > avg(last(3)) ]")


def test_evaluations_record_their_metrics_and_a_where_clause_keeps_its_own(five_rows, tmp_path):
    history = dqdl.History(tmp_path / "ctx")
    ruleset = 'Rules = [ RowCount > 0, RowCount > 0 where "id < 2", Mean "id" > 0 ]'
    dqdl.evaluate(five_rows, ruleset, history=history)
    [run] = history.runs()
    assert run["metrics"] == {
        "Dataset.*.RowCount": 5.0,
        'Dataset.*.RowCount where "id < 2"': 2.0,
        "Column.id.Mean": 2.0,
    }
    [outcome] = dqdl.evaluate(
        five_rows, 'Rules = [ RowCount = last() where "id < 2" ]', history=history
    )
    assert outcome.passed, outcome  # compares with 2, not with 5


def test_evaluate_data_quality_in_a_job_keeps_metrics_per_context_in_the_lake(spark, tmp_path):
    from localglue import bookmarks
    from localglue.awsglue.context import GlueContext
    from localglue.awsglue.dynamicframe import DynamicFrame
    from localglue.awsgluedq.transforms import EvaluateDataQuality
    from localglue.lake import Lake, using

    glue = GlueContext(spark.sparkContext)

    def outcome(rows: int, ruleset: str, context: str) -> str:
        frame = DynamicFrame.fromDF(spark.sql(f"select id from range({rows})"), glue, "f")
        result = EvaluateDataQuality().process_rows(
            frame=frame,
            ruleset=ruleset,
            publishing_options={"dataQualityEvaluationContext": context},
        )
        [row] = result["ruleOutcomes"].toDF().collect()
        return row["Outcome"]

    lake = Lake(tmp_path / "lake")
    with using(lake):
        bookmarks.start_run("dq-job", {})
        try:
            assert outcome(4, "Rules = [ RowCount > last() ]", "node_a") == "Passed"  # 4 > 0.0
            assert outcome(3, "Rules = [ RowCount > last() ]", "node_a") == "Failed"  # 3 > 4
            assert outcome(3, "Rules = [ RowCount > last() ]", "node_b") == "Passed"  # new context
        finally:
            bookmarks.end_run()
    lines = (lake.root / "_dq" / "node_a" / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(line)["metrics"] for line in lines] == [
        {"Dataset.*.RowCount": 4.0},
        {"Dataset.*.RowCount": 3.0},
    ]


@pytest.mark.parametrize("context", ["..", "a/b", ".hidden"])
def test_a_context_name_never_leaves_the_lakes_dq_folder(tmp_path, context):
    history = dqdl.History.in_lake(tmp_path, context)
    assert history.path.parent.parent == tmp_path / "_dq"
