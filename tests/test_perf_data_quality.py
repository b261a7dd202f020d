"""Structural performance of EvaluateDataQuality: Spark jobs it costs (status tracker counts).

Glue evaluates every rule when process_rows runs; the outcome frames it returns are plans
over those outcomes and cost nothing until a script uses them.
"""

from __future__ import annotations

import pytest

from localglue import events
from localglue.awsglue.context import GlueContext
from localglue.awsglue.dynamicframe import DynamicFrame
from localglue.awsgluedq.transforms import EvaluateDataQuality


def jobs_run(spark, action) -> int:
    tracker = spark.sparkContext.statusTracker()
    before = set(tracker.getJobIdsForGroup())
    action()
    return len(set(tracker.getJobIdsForGroup()) - before)


@pytest.fixture(scope="module")
def frame(spark):
    df = spark.createDataFrame([("a", 1), ("b", None)], "serialNumber string, distance long")
    return DynamicFrame.fromDF(df, GlueContext(spark.sparkContext), "readings")


@pytest.mark.parametrize(
    ("ruleset", "reads_data"),
    [
        ("Rules = [ ColumnCount > 0 ]", False),  # Glue Studio's default ruleset: schema only
        ('Rules = [ ColumnExists "distance" ]', False),
        ("Rules = [ RowCount > 0 ]", True),
    ],
)
def test_process_rows_runs_only_the_jobs_its_rules_need(spark, frame, ruleset, reads_data):
    results = []
    with events.collect("data_quality") as seen:
        spent = jobs_run(
            spark, lambda: results.append(EvaluateDataQuality().process_rows(frame, ruleset))
        )
    assert (spent > 0) == reads_data
    assert [o["Outcome"] for o in seen[0]["outcomes"]] == ["Passed"]
    outcomes = results[0][EvaluateDataQuality.DATA_QUALITY_RULE_OUTCOMES_KEY].toDF().collect()
    assert [r["Outcome"] for r in outcomes] == ["Passed"]
    rows = results[0][EvaluateDataQuality.DATA_QUALITY_ROW_LEVEL_OUTCOMES_KEY].toDF()
    assert rows.count() == 2
