"""Gaps that public Glue Studio exports found in the local runtime, each pinned by the
behaviour Glue Studio's generated code relies on (the exports themselves are not kept here:
see docs/fidelity.md for the repositories and commits)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def glue(spark):
    from localglue.awsglue.context import GlueContext

    return GlueContext(spark.sparkContext)


def test_change_schema_keeps_a_nested_column_glue_studio_types_as_array(spark, glue):
    """Change Schema writes ("tasks", "array", "right_tasks", "array") for an array column;
    the column keeps its element type (jignesh-kachhad/Whitecube-Solutions' export)."""
    from localglue.awsglue.dynamicframe import DynamicFrame

    df = spark.sql(
        "select 'c1' as id, array(named_struct('task', 't1', 'reward', 10)) as tasks, "
        "named_struct('a', 1) as meta"
    )
    frame = DynamicFrame.fromDF(df, glue, "campaigns")
    mapped = frame.apply_mapping(
        [
            ("id", "string", "right_id", "string"),
            ("tasks", "array", "right_tasks", "array"),
            ("meta", "struct", "right_meta", "struct"),
            ("gone", "array", "right_gone", "array"),
        ]
    ).toDF()
    assert mapped.schema["right_tasks"].dataType == df.schema["tasks"].dataType
    assert mapped.schema["right_meta"].dataType == df.schema["meta"].dataType
    [row] = mapped.collect()
    assert (row["right_tasks"][0]["reward"], row["right_meta"]["a"], row["right_gone"]) == (
        10,
        1,
        None,
    )


def test_identifier_node_imports_gs_sequence_id_as_glue_studio_writes_it(spark, glue):
    """`import gs_sequence_id` then `.gs_sequence_id(colName=..., unique=True)`
    (HakeemSalaudeen/salesproject-batch-processing-on-AWS' export)."""
    from pyspark.sql import types as T

    from localglue.awsglue.dynamicframe import DynamicFrame
    from localglue.shim import glue_shim

    frame = DynamicFrame.fromDF(spark.sql("select id from range(20)"), glue, "sales")
    with glue_shim():
        import gs_sequence_id  # noqa: F401

        out = frame.gs_sequence_id(colName="transaction_id", unique=True).toDF()
    values = [r["transaction_id"] for r in out.collect()]
    assert len(set(values)) == 20
    assert isinstance(out.schema["transaction_id"].dataType, T.DecimalType)
