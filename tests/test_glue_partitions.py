"""Partitions as the Glue Data Catalog has them.

Pinned Glue behaviour (AWS Glue developer guide):
- "Creating tables, updating the schema, and adding new partitions in the Data Catalog from
  AWS Glue ETL jobs": a sink with `enableUpdateCatalog` and `partitionKeys` adds the partitions
  it wrote; without `enableUpdateCatalog` the catalog is not updated; with updateBehavior LOG
  "new partitions will be added only if the DynamicFrame schema is equivalent to or contains a
  subset of the columns" of the table; the partitionKeys "must be equivalent, and in the same
  order" as the table's;
- "Managing partitions for ETL output" / "Pre-filtering using pushdown predicates":
  `from_catalog` reads the partitions in the catalog, and `push_down_predicate` (Spark SQL)
  keeps "only the partitions in the Data Catalog that satisfy the predicate", before listing
  files; `catalogPartitionPredicate` prunes on the catalog side;
- "GlueContext class", purge_table: `partitionPredicate` - "Partitions satisfying this
  predicate are deleted. Files within the retention period in these partitions are not
  deleted"; "If all files in a partition are deleted, that partition is also deleted from
  the catalog";
- "Defining crawlers": a crawler populates `key=val` folders as partitions.
"""

from __future__ import annotations

import os
import time

import pytest

BUCKET = "b"
PATH = f"s3://{BUCKET}/readings/"


@pytest.fixture
def readings(glue, spark):
    from localglue.awsglue import DynamicFrame

    glue.catalog.ensure_database("db")
    df = spark.createDataFrame(
        [(1, "a", "2023", "01"), (2, "b", "2023", "02"), (3, "c", "2024", "01")],
        "id long, email string, year string, month string",
    )
    return DynamicFrame.fromDF(df, glue, "readings")


def sink(glue, frame, keys=("year", "month"), update=True, behavior="UPDATE_IN_DATABASE"):
    writer = glue.getSink(
        path=PATH,
        connection_type="s3",
        updateBehavior=behavior,
        partitionKeys=list(keys),
        enableUpdateCatalog=update,
        transformation_ctx="sink",
    )
    writer.setCatalogInfo(catalogDatabase="db", catalogTableName="readings")
    writer.setFormat("glueparquet", compression="snappy")
    writer.writeFrame(frame)


def read(glue, **kwargs):
    frame = glue.create_dynamic_frame.from_catalog(database="db", table_name="readings", **kwargs)
    return sorted((r["id"], r["year"], r["month"]) for r in frame.toDF().collect())


def make_table(lake):
    """db.readings as a DDL would make it: partitioned by year and month, no partition yet."""
    from localglue.catalog import Catalog, make_table_input

    columns = [("id", "bigint"), ("email", "string")]
    keys = [("year", "string"), ("month", "string")]
    Catalog(lake).upsert_table("db", make_table_input("readings", PATH, columns, "parquet", keys))


def values(lake):
    from localglue.catalog import Catalog

    return [p["Values"] for p in Catalog(lake).get_partitions("db", "readings")]


def test_a_sink_with_enable_update_catalog_adds_one_partition_per_value_set_written(
    glue, lake, readings
):
    from localglue.catalog import Catalog

    sink(glue, readings)
    parts = Catalog(lake).get_partitions("db", "readings")
    assert [p["Values"] for p in parts] == [["2023", "01"], ["2023", "02"], ["2024", "01"]]
    first = parts[0]
    assert first["StorageDescriptor"]["Location"] == PATH + "year=2023/month=01/"
    assert first["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"].endswith(
        "ParquetHiveSerDe"
    )
    assert {"DatabaseName": "db", "TableName": "readings"}.items() <= first.items()
    sink(glue, readings)  # a re-run appends files; its partitions are already there
    assert len(values(lake)) == 3


def test_without_enable_update_catalog_no_partition_is_added_and_from_catalog_reads_none(
    glue, lake, readings
):
    make_table(lake)
    sink(glue, readings, update=False)  # files land under the location, the catalog is as it was
    assert len(os.listdir(lake.local_path(PATH))) == 2  # year=2023/, year=2024/
    assert values(lake) == []
    assert read(glue) == []


@pytest.mark.parametrize(("extra_column", "added"), [(False, 3), (True, 0)])
def test_update_behavior_log_adds_partitions_only_when_the_frame_columns_are_in_the_table(
    glue, lake, readings, spark, extra_column, added
):
    from localglue.awsglue import DynamicFrame
    from localglue.catalog import Catalog

    make_table(lake)
    frame = readings
    if extra_column:
        frame = DynamicFrame.fromDF(readings.toDF().selectExpr("*", "1 AS extra"), glue, "x")
    sink(glue, frame, behavior="LOG")
    assert len(values(lake)) == added
    assert Catalog(lake).get_table("db", "readings")["StorageDescriptor"]["Columns"] == [
        {"Name": "id", "Type": "bigint"},
        {"Name": "email", "Type": "string"},
    ]


def test_partition_keys_must_equal_the_tables_in_the_same_order(glue, lake, readings):
    from localglue.errors import LakehouseError

    sink(glue, readings)
    with pytest.raises(LakehouseError, match=r"same keys in the same order"):
        sink(glue, readings, keys=("month", "year"))


def test_from_catalog_reads_the_registered_partitions_not_every_file_under_the_location(
    glue, lake, readings, spark
):
    sink(glue, readings)
    # A folder written under the location but never registered (no crawler, no catalog
    # update) is not part of the table for Glue.
    stray = lake.local_path(PATH + "year=2025/month=01/")
    spark.createDataFrame([(9, "z")], "id long, email string").write.parquet(stray)
    assert read(glue) == [(1, "2023", "01"), (2, "2023", "02"), (3, "2024", "01")]


def test_partition_columns_take_the_types_of_the_partition_keys(glue, lake, spark):
    from localglue.catalog import Catalog, make_table_input

    table = make_table_input("t", "s3://b/t/", [("id", "bigint")], "parquet", [("year", "int")])
    Catalog(lake).upsert_table("db", table)
    spark.createDataFrame([(1,)], "id long").write.parquet(lake.local_path("s3://b/t/year=2024/"))
    Catalog(lake).batch_create_partition("db", "t", [["2024"]])
    df = glue.create_dynamic_frame.from_catalog(database="db", table_name="t").toDF()
    assert dict(df.dtypes) == {"id": "bigint", "year": "int"}
    assert df.collect()[0]["year"] == 2024


@pytest.mark.parametrize(
    "how",
    [
        {"push_down_predicate": "year == '2023' and month = '02'"},
        {"additional_options": {"catalogPartitionPredicate": "year='2023' AND month='02'"}},
    ],
    ids=["push_down_predicate", "catalogPartitionPredicate"],
)
def test_a_partition_predicate_keeps_only_the_partitions_that_satisfy_it_before_reading(
    glue, lake, readings, how
):
    sink(glue, readings)
    # A pruned partition's files are never opened: plant an unreadable file in one.
    bad = os.path.join(lake.local_path(PATH + "year=2024/month=01/"), "broken.parquet")
    with open(bad, "w") as fh:
        fh.write("not parquet")
    assert read(glue, **how) == [(2, "2023", "02")]


@pytest.mark.parametrize(
    "how",
    [
        {"push_down_predicate": "email = 'a'"},
        {"additional_options": {"catalogPartitionPredicate": "id > 1"}},
    ],
    ids=["push_down_predicate", "catalogPartitionPredicate"],
)
def test_a_partition_predicate_on_a_non_partition_column_is_an_error(glue, lake, readings, how):
    from localglue.partitions import PartitionPredicateError

    sink(glue, readings)
    with pytest.raises(PartitionPredicateError) as caught:
        read(glue, **how)
    message = str(caught.value)
    assert "partition keys only (year, month)" in message
    assert "UNRESOLVED_COLUMN" in message and "\n" not in message


def test_a_push_down_predicate_on_an_unpartitioned_table_prunes_nothing(glue, lake, readings):
    sink(glue, readings, keys=())
    assert len(read(glue, push_down_predicate="year == '2024'")) == 3


def test_purge_table_partition_predicate_deletes_matching_partitions_and_their_catalog_entries(
    glue, lake, readings
):
    sink(glue, readings)
    glue.purge_table(
        "db", "readings", {"partitionPredicate": "year == '2023'", "retentionPeriod": 0}
    )
    assert values(lake) == [["2024", "01"]]
    purged = lake.local_path(PATH + "year=2023/")
    assert not [f for _, _, names in os.walk(purged) for f in names]
    assert read(glue) == [(3, "2024", "01")]


def test_purge_table_keeps_files_within_the_retention_period_and_their_partition(
    glue, lake, readings
):
    sink(glue, readings)
    old = lake.local_path(PATH + "year=2023/month=01/")
    for name in os.listdir(old):
        past = time.time() - 3 * 3600
        os.utime(os.path.join(old, name), (past, past))
    glue.purge_table(
        "db", "readings", {"partitionPredicate": "year = '2023'", "retentionPeriod": 1}
    )
    assert values(lake) == [["2023", "02"], ["2024", "01"]]


def test_purge_table_inside_a_job_removes_emptied_partitions_at_commit(glue, lake, readings):
    from localglue import transaction

    sink(glue, readings)
    with transaction.job_transaction(lake) as txn:
        glue.purge_table("db", "readings", {"retentionPeriod": 0})
        assert values(lake) == []  # the job sees its own purge
        txn.discard()  # a failed job: nothing happened
    assert len(values(lake)) == 3
    with transaction.job_transaction(lake) as txn:
        glue.purge_table("db", "readings", {"retentionPeriod": 0})
        txn.apply()
    assert values(lake) == []


def test_partitions_a_job_adds_land_with_its_commit(glue, lake, readings):
    from localglue import transaction

    with transaction.job_transaction(lake) as txn:
        sink(glue, readings)
        assert len(values(lake)) == 3  # the job reads its own catalog updates
        txn.discard()  # a failed job
    assert values(lake) == []
    with transaction.job_transaction(lake) as txn:
        sink(glue, readings)
        txn.apply()
    assert len(values(lake)) == 3
