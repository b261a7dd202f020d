"""Rules across datasets (ReferentialIntegrity, DatasetMatch, AggregateMatch, RowCountMatch,
SchemaMatch, CustomSql on an alias), each against DuckDB over the same rows; and
EvaluateDataQuality's additional_data_sources, as a multi-input Glue Studio node passes them."""

from __future__ import annotations

import math

import pytest

from localglue import dqdl
from tests.dqdl_frames import duck_tables, spark_frame

ORDERS = [  # order_id, customer, city, state, amount
    (1, 10, "Austin", "TX", 5.0),
    (2, 11, "Boston", "MA", 7.5),
    (3, 12, "Austin", "CA", 2.5),
    (4, 99, "Dallas", "TX", 10.0),
    (5, None, "Boston", "MA", 1.0),
]
CUSTOMERS = [(10, "Austin", "TX"), (11, "Boston", "MA"), (12, "Reno", "NV")]
COPY = [(1, 10, "Austin", "TX", 5.0), (2, 11, "Boston", "MA", 8.0), (3, 12, "Austin", "CA", 2.5)]
ORDER_COLS = "order_id bigint, customer bigint, city string, state string, amount double"
CUSTOMER_COLS = "id bigint, ref_city string, ref_state string"


@pytest.fixture(scope="module")
def frames(spark):
    return {
        "orders": spark_frame(spark, ORDERS, ORDER_COLS),
        "customers": spark_frame(spark, CUSTOMERS, CUSTOMER_COLS),
        "copy": spark_frame(spark, COPY, ORDER_COLS),
    }


@pytest.fixture(scope="module")
def duck():
    return duck_tables(
        orders=(ORDERS, ORDER_COLS), customers=(CUSTOMERS, CUSTOMER_COLS), copy=(COPY, ORDER_COLS)
    )


def evaluate(frames, rules: list[str]) -> list[dqdl.Outcome]:
    sources = {"reference": frames["customers"], "copy": frames["copy"]}
    return dqdl.evaluate(frames["orders"], "Rules = [ " + ", ".join(rules) + " ]", sources=sources)


RI_ONE = """select count(*) filter (where exists (select 1 from customers c where c.id = o.customer))
            * 1.0 / count(*) from orders o"""
RI_TWO = """select count(*) filter (where exists (select 1 from customers c
            where c.ref_city = o.city and c.ref_state = o.state)) * 1.0 / count(*) from orders o"""
MATCH = """select count(*) filter (where exists (select 1 from copy c where c.order_id = o.order_id
           and c.amount is not distinct from o.amount)) * 1.0 / count(*) from orders o"""
MATCH_ALL = """select count(*) filter (where exists (select 1 from copy c where c.order_id = o.order_id
               and c.customer is not distinct from o.customer and c.city is not distinct from o.city
               and c.state is not distinct from o.state and c.amount is not distinct from o.amount))
               * 1.0 / count(*) from orders o"""


@pytest.mark.parametrize(
    ("rule", "metric", "sql"),
    [
        ('ReferentialIntegrity "customer" "reference.id"', "Column.reference.ReferentialIntegrity", RI_ONE),
        ('ReferentialIntegrity "city,state" "reference.{ref_city,ref_state}"', "Column.reference.ReferentialIntegrity", RI_TWO),
        ('DatasetMatch "copy" "order_id" "amount"', "Dataset.copy.DatasetMatch", MATCH),
        ('DatasetMatch "copy" "order_id->order_id"', "Dataset.copy.DatasetMatch", MATCH_ALL),
        ('AggregateMatch "sum(amount)" "sum(copy.amount)"', "Column.amount.AggregateMatch",
         "select (select sum(amount) from orders) / (select sum(amount) from copy)"),
        ('AggregateMatch "avg(amount)" "avg(reference.id)"', "Column.amount,id.AggregateMatch",
         "select (select avg(amount) from orders) / (select avg(id) from customers)"),
        ('RowCountMatch "reference"', "Dataset.reference.RowCountMatch",
         "select (select count(*) from orders) * 1.0 / (select count(*) from customers)"),
    ],
)  # fmt: skip
def test_ratio_equals_an_independent_duckdb_computation(frames, duck, rule, metric, sql):
    expected = duck.execute(sql).fetchone()[0]
    inside, above = evaluate(
        frames, [f"{rule} between {expected - 1e-6} and {expected + 1e-6}", f"{rule} > {expected}"]
    )
    assert inside.outcome == "Passed", inside
    assert math.isclose(inside.metrics[metric], expected, rel_tol=1e-9)
    assert above.outcome == "Failed"
    assert above.failure_reason.endswith("does not meet the constraint requirement!")


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ('SchemaMatch "copy" = 1.0', None),
        ('SchemaMatch "reference" = 1.0', "Column counts do not match"),
        (
            'ReferentialIntegrity "customer" "nowhere.id" > 0',
            "nowhere not found in additional sources",
        ),
        ('DatasetMatch "copy" "city" > 0', "Provided key map not suitable for given data frames"),
        (
            'AggregateMatch "max(amount)" "sum(copy.amount)" > 0',
            "Rule (or nested rule) not supported",
        ),
    ],
)
def test_reference_rule_failures_say_why(frames, rule, reason):
    [outcome] = evaluate(frames, [rule])
    assert outcome.passed == (reason is None)
    if reason:
        assert outcome.failure_reason.startswith(reason)


def test_schema_match_compares_names_and_types_in_any_order(spark, frames):
    shuffled = frames["orders"].select("amount", "state", "city", "customer", "order_id")
    retyped = frames["orders"].withColumn("amount", frames["orders"]["amount"].cast("string"))
    result = dqdl.evaluate(
        frames["orders"],
        'Rules = [ SchemaMatch "shuffled" = 1.0, SchemaMatch "retyped" = 1.0 ]',
        sources={"shuffled": shuffled, "retyped": retyped},
    )
    assert [(o.outcome, o.failure_reason) for o in result] == [
        ("Passed", None),
        ("Failed", "80.00% of columns passed the threshold"),
    ]


def test_custom_sql_reads_reference_datasets_by_alias(frames, duck):
    expected = duck.execute(
        "select count(*) from orders o join customers c on o.customer = c.id"
    ).fetchone()[0]
    [outcome] = evaluate(
        frames,
        [
            f'CustomSql "select count(*) from primary p join reference r on p.customer = r.id" = {expected}'
        ],
    )
    assert outcome.outcome == "Passed", outcome


def test_evaluate_data_quality_takes_additional_data_sources_as_glue_studio_passes_them(
    spark, frames
):
    from localglue.awsglue.context import GlueContext
    from localglue.awsglue.dynamicframe import DynamicFrame
    from localglue.awsgluedq.transforms import EvaluateDataQuality

    glue = GlueContext(spark.sparkContext)
    orders = DynamicFrame.fromDF(frames["orders"], glue, "orders")
    customers = DynamicFrame.fromDF(frames["customers"], glue, "customers")
    result = EvaluateDataQuality().process_rows(
        frame=orders,
        additional_data_sources={"reference": customers},
        ruleset='Rules = [ ReferentialIntegrity "customer" "reference.id" = 0.6 ]',
        publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1"},
        additional_options={"performanceTuning.caching": "CACHE_NOTHING"},
    )
    [row] = result["ruleOutcomes"].toDF().collect()
    assert (row["Outcome"], row["EvaluatedMetrics"]) == (
        "Passed",
        {"Column.reference.ReferentialIntegrity": 0.6},
    )
