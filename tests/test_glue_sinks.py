"""GlueContext sinks, catalog updates and purge_s3_path.

Pinned Glue behaviour:
- S3 sinks APPEND: each write adds new uniquely named files (run-<epoch>-part-...), so a
  re-run duplicates the output unless the path is purged first;
- getSink(..., enableUpdateCatalog=True) creates the catalog table; updateBehavior
  UPDATE_IN_DATABASE overwrites an existing table's schema, LOG leaves it unchanged
  ("Updating the schema, and adding new partitions in the Data Catalog using AWS Glue ETL jobs");
- purge_s3_path deletes files OLDER than retentionPeriod hours, default 168 (7 days),
  so by default freshly written files are kept (GlueContext class, purge_s3_path);
- write_dynamic_frame.from_options / write_dynamic_frame_from_options take no getSink keywords
  (updateBehavior, enableUpdateCatalog, partitionKeys): aws-glue-libs defines both without
  **kwargs on every branch glue-1.0 .. glue-5.1, so Python raises TypeError before a write.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

BUCKET = "stedi-lake-house"
TRUSTED = f"s3://{BUCKET}/customer/trusted/"


@pytest.fixture
def frame(glue, spark):
    from localglue.awsglue import DynamicFrame

    glue.catalog.ensure_database("stedi")  # sinks create tables, not databases
    df = spark.createDataFrame(
        [("a@x", 1, "2023"), ("b@x", None, "2023"), ("c@x", 3, "2024")],
        "email string, shareWithResearchAsOfDate long, year string",
    )
    return DynamicFrame.fromDF(df, glue, "customers")


def data_files(lake, uri=TRUSTED):
    root = lake.local_path(uri)
    return sorted(
        os.path.join(d, f)
        for d, _, names in os.walk(root)
        for f in names
        if not f.startswith((".", "_"))
    )


def sink_write(
    glue, frame, behavior="UPDATE_IN_DATABASE", keys=(), fmt="glueparquet", table="customer_trusted"
):
    sink = glue.getSink(
        path=TRUSTED,
        connection_type="s3",
        updateBehavior=behavior,
        partitionKeys=list(keys),
        enableUpdateCatalog=True,
        transformation_ctx="sink",
    )
    sink.setCatalogInfo(catalogDatabase="stedi", catalogTableName=table)
    sink.setFormat(fmt, compression="snappy")
    sink.writeFrame(frame)


def test_sinks_append_so_a_rerun_duplicates_rows(glue, lake, frame):
    sink_write(glue, frame)
    first = data_files(lake)
    sink_write(glue, frame)
    second = data_files(lake)
    assert set(first) < set(second), "the second write must add files, not replace them"
    assert all(os.path.basename(f).startswith("run-") for f in second)
    back = glue.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_trusted")
    assert back.count() == 2 * frame.count()


@pytest.mark.parametrize(
    ("keyword", "value"),
    [
        ("updateBehavior", "UPDATE_IN_DATABASE"),
        ("enableUpdateCatalog", True),
        ("partitionKeys", []),
    ],
)
@pytest.mark.parametrize(
    "writer", ["write_dynamic_frame.from_options", "write_dynamic_frame_from_options"]
)
def test_write_from_options_takes_no_getsink_keywords_as_the_awsglue_signature_says(
    glue, lake, frame, writer, keyword, value
):
    """A learner who moves getSink's keywords onto from_options gets Glue's TypeError; the
    partition keys belong in connection_options there (nadiaparsell's hand edit did this)."""
    write = glue
    for attribute in writer.split("."):
        write = getattr(write, attribute)
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{keyword}'"):
        write(
            frame=frame,
            connection_type="s3",
            format="json",
            connection_options={"path": TRUSTED},
            **{keyword: value},
        )
    assert not data_files(lake), "nothing is written"
    write(frame=frame, connection_type="s3", format="json",
          connection_options={"path": TRUSTED, "partitionKeys": []})  # fmt: skip
    assert data_files(lake)


def test_getsink_creates_a_parquet_catalog_table_with_hive_types_and_partitions(glue, lake, frame):
    from localglue.catalog import PARQUET_SERDE, Catalog, table_columns, table_format

    sink_write(glue, frame, keys=["year"])
    table = Catalog(lake).get_table("stedi", "customer_trusted")
    assert table_format(table) == "parquet"
    assert table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"] == PARQUET_SERDE
    assert table["StorageDescriptor"]["Location"] == TRUSTED
    assert table_columns(table) == [
        ("email", "string"),
        ("sharewithresearchasofdate", "bigint"),
        ("year", "string"),
    ]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["year"]
    assert {os.path.basename(os.path.dirname(f)) for f in data_files(lake)} == {
        "year=2023",
        "year=2024",
    }


@pytest.mark.parametrize(
    ("behavior", "schema_changes"), [("UPDATE_IN_DATABASE", True), ("LOG", False)]
)
def test_update_behavior_decides_whether_an_existing_schema_changes(
    glue, lake, frame, behavior, schema_changes
):
    from localglue.catalog import Catalog, table_columns

    sink_write(glue, frame.drop_fields(["year"]))
    before = table_columns(Catalog(lake).get_table("stedi", "customer_trusted"))
    sink_write(glue, frame, behavior=behavior)
    after = table_columns(Catalog(lake).get_table("stedi", "customer_trusted"))
    assert (after != before) is schema_changes
    if schema_changes:
        assert ("year", "string") in after


def test_each_sink_emits_a_write_event_with_the_rows_it_wrote(glue, lake, frame):
    from localglue import events

    with events.collect("write") as seen:
        sink_write(glue, frame)
        glue.write_dynamic_frame.from_options(
            frame=frame,
            connection_type="s3",
            format="json",
            connection_options={"path": f"s3://{BUCKET}/out/json/", "partitionKeys": []},
            transformation_ctx="w",
        )
    assert [(e["table"], e["rows"], e["fmt"]) for e in seen] == [
        ("stedi.customer_trusted", 3, "glueparquet"),
        (None, 3, "json"),
    ]


@pytest.mark.parametrize(
    ("fmt", "compression", "codec"),
    [
        ("glueparquet", "snappy", "SNAPPY"),
        ("parquet", "gzip", "GZIP"),
        ("parquet", "uncompressed", "UNCOMPRESSED"),
    ],
)
def test_glue_compression_names_reach_the_parquet_files(glue, lake, frame, fmt, compression, codec):
    uri = f"s3://{BUCKET}/out/{fmt}-{compression}/"
    glue.write_dynamic_frame.from_options(
        frame=frame,
        connection_type="s3",
        format=fmt,
        connection_options={"path": uri},
        format_options={"compression": compression},
    )
    files = data_files(lake, uri)
    assert files
    assert {pq.ParquetFile(f).metadata.row_group(0).column(0).compression for f in files} == {codec}


def test_json_sink_with_gzip_writes_json_lines(glue, lake, frame):
    import gzip

    uri = f"s3://{BUCKET}/out/jsongz/"
    glue.write_dynamic_frame.from_options(
        frame=frame,
        connection_type="s3",
        format="json",
        connection_options={"path": uri},
        format_options={"compression": "gzip"},
    )
    rows = []
    for f in data_files(lake, uri):
        with gzip.open(f, "rt") as fh:
            rows += [json.loads(line) for line in fh]
    assert sorted(r["email"] for r in rows) == ["a@x", "b@x", "c@x"]


def test_write_from_catalog_uses_the_table_location_and_format(glue, lake, frame):
    sink_write(glue, frame)
    glue.write_dynamic_frame.from_catalog(
        frame=frame, database="stedi", table_name="customer_trusted"
    )
    assert (
        glue.create_dynamic_frame.from_catalog(
            database="stedi", table_name="customer_trusted"
        ).count()
        == 6
    )


def age(path, hours):
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


@pytest.mark.parametrize(
    ("options", "kept_fresh", "kept_old"),
    [
        ({}, True, False),  # default retentionPeriod 168 h: fresh files survive
        ({"retentionPeriod": 168}, True, False),
        ({"retentionPeriod": 0}, False, False),
        ({"retentionPeriod": 1000, "excludeStorageClasses": ["STANDARD_IA"]}, True, True),
    ],
)
def test_purge_s3_path_deletes_only_files_older_than_the_retention_period(
    glue, lake, frame, options, kept_fresh, kept_old
):
    sink_write(glue, frame)
    old = lake.root / BUCKET / "customer" / "trusted" / "old-part.parquet"
    old.write_bytes(Path(data_files(lake)[0]).read_bytes())
    age(old, 200)
    fresh = [f for f in data_files(lake) if not f.endswith("old-part.parquet")]
    glue.purge_s3_path(TRUSTED, options)
    assert all(os.path.exists(f) for f in fresh) is kept_fresh
    assert old.exists() is kept_old


def test_purge_then_write_replaces_the_output(glue, lake, frame):
    sink_write(glue, frame)
    glue.purge_s3_path(TRUSTED, {"retentionPeriod": 0})
    sink_write(glue, frame)
    assert (
        glue.create_dynamic_frame.from_catalog(
            database="stedi", table_name="customer_trusted"
        ).count()
        == 3
    )
