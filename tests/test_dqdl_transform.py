"""awsgluedq EvaluateDataQuality in both call styles Glue Studio generates."""

import pytest

from localglue import events
from localglue.awsglue.context import GlueContext
from localglue.awsglue.dynamicframe import DynamicFrame
from localglue.awsgluedq.transforms import EvaluateDataQuality

RULESET = """
    Rules = [
        RowCount > 0,
        IsComplete "serialNumber",
        ColumnValues "distanceFromObject" between 0 and 300
    ]
"""


@pytest.fixture(scope="module")
def readings(spark):
    ctx = GlueContext(spark.sparkContext)
    df = spark.createDataFrame(
        [("a", 10), ("b", 350), (None, 20)], "serialNumber string, distanceFromObject long"
    )
    return DynamicFrame.fromDF(df, ctx, "readings")


def test_process_rows_returns_rule_and_row_outcomes_and_the_original_data(readings):
    with events.collect("data_quality") as seen:
        result = EvaluateDataQuality().process_rows(
            frame=readings,
            ruleset=RULESET,
            publishing_options={
                "dataQualityEvaluationContext": "EvaluateDataQuality_node1",
                "enableDataQualityResultsPublishing": True,
            },
            additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT"},
        )
    assert sorted(result.keys()) == ["originalData", "rowLevelOutcomes", "ruleOutcomes"]
    assert result["originalData"] is readings
    rules = {r["Rule"]: r["Outcome"] for r in result["ruleOutcomes"].toDF().collect()}
    assert rules == {
        "RowCount > 0": "Passed",
        'IsComplete "serialNumber"': "Failed",
        'ColumnValues "distanceFromObject" between 0 and 300': "Failed",
    }
    rows = {
        r["distanceFromObject"]: r["DataQualityEvaluationResult"]
        for r in result["rowLevelOutcomes"].toDF().collect()
    }
    assert rows == {10: "Passed", 350: "Failed", 20: "Failed"}
    [event] = seen
    assert event["context"] == "EvaluateDataQuality_node1"


def test_glue_studio_fail_job_assert_sees_failed_rules(readings):
    """Studio's 'fail job on ruleset failure' is this exact assert on the outcomes frame."""
    result = EvaluateDataQuality().process_rows(frame=readings, ruleset=RULESET)
    failed = (
        result[EvaluateDataQuality.DATA_QUALITY_RULE_OUTCOMES_KEY]
        .filter(lambda x: x["Outcome"] == "Failed")
        .count()
    )
    assert failed == 2


def test_apply_returns_the_rule_outcomes_frame(readings):
    outcomes = EvaluateDataQuality.apply(
        frame=readings,
        ruleset="Rules = [ ColumnCount = 2 ]",
        publishing_options={"dataQualityEvaluationContext": "x"},
    )
    assert isinstance(outcomes, DynamicFrame)
    assert outcomes.toDF().columns == ["Rule", "Outcome", "FailureReason", "EvaluatedMetrics"]
    [row] = outcomes.toDF().collect()
    assert (row["Outcome"], row["EvaluatedMetrics"]) == ("Passed", {"Dataset.*.ColumnCount": 2.0})


def test_unreproduced_rule_fails_loudly(readings):
    with pytest.raises(Exception, match="DetectAnomalies is not reproduced locally"):
        EvaluateDataQuality().process_rows(
            frame=readings, ruleset='Rules = [ DetectAnomalies "RowCount" ]'
        )
