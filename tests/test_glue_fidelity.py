"""Glue behaviours found by running real learner scripts (issue 11); evidence in docs/fidelity.md.

- a DynamicRecord maps a name to ONE value: duplicate column names from a SQL node collapse
  to one field holding the LAST column's values;
- the JSON sink writes a field the record holds as null as `null` and leaves out a field the
  record lacks;
- DropFields, SelectFields and RenameField are case sensitive; ApplyMapping is not;
- the sink's `compression` comes from getSink(...)/connection_options as well as setFormat;
- catalog reads of a missing table raise EntityNotFoundException naming database.table; a
  sink with enableUpdateCatalog creates a missing table but not a missing database;
- assertErrorThreshold fails when error records EXCEED the thresholds (equal passes).
"""

from __future__ import annotations

import json
import os

import duckdb
import pytest

BUCKET = "fidelity-lake"


def sql_query(glue, query, mapping):
    """What Glue Studio's generated sparkSqlQuery does."""
    from localglue.awsglue.dynamicframe import DynamicFrame

    for alias, frame in mapping.items():
        frame.toDF().createOrReplaceTempView(alias)
    return DynamicFrame.fromDF(glue.spark_session.sql(query), glue, "sql")


def output_lines(lake, name):
    folder = lake.root / BUCKET / name
    return [
        json.loads(line)
        for f in sorted(folder.iterdir())
        if not f.name.startswith((".", "_"))
        for line in f.read_text().splitlines()
    ]


def write_json(glue, frame, name):
    glue.write_dynamic_frame.from_options(
        frame=frame,
        connection_type="s3",
        format="json",
        connection_options={"path": f"s3://{BUCKET}/{name}/"},
    )


@pytest.fixture
def steps_and_readings(put_json):
    steps = put_json(
        "steps",
        {"serialNumber": "s1", "sensorReadingTime": 1, "source": "step"},
        {"serialNumber": "s2", "sensorReadingTime": 2, "source": "step"},
    )
    readings = put_json(
        "readings",
        {"timestamp": 1, "serialNumber": "r1", "source": "accel"},
        {"timestamp": 2, "serialNumber": "r2", "source": "accel"},
    )
    return steps, readings


# -- 1. duplicate names ----------------------------------------------------------------------
def test_duplicate_column_names_collapse_to_one_field_holding_the_last_value(
    glue, lake, steps_and_readings
):
    steps, readings = steps_and_readings
    out = sql_query(
        glue,
        "select * from s join a on s.sensorReadingTime = a.timestamp",
        {"s": steps, "a": readings},
    )
    assert out.toDF().columns == ["serialNumber", "sensorReadingTime", "source", "timestamp"]
    assert sorted((r["serialNumber"], r["source"]) for r in out.records()) == [
        ("r1", "accel"),
        ("r2", "accel"),
    ]
    write_json(glue, out, "joined")  # Spark alone fails here with [COLUMN_ALREADY_EXISTS]
    assert sorted(r["serialNumber"] for r in output_lines(lake, "joined")) == ["r1", "r2"]


def test_duplicate_names_from_select_distinct_and_star_keep_one_field(glue, steps_and_readings):
    steps, _ = steps_and_readings
    out = sql_query(glue, "select distinct(s.serialNumber), s.* from s", {"s": steps})
    assert out.toDF().columns == ["serialNumber", "sensorReadingTime", "source"]
    assert out.count() == 2


# -- 2. explicit nulls -----------------------------------------------------------------------
@pytest.fixture
def customers(put_json):
    return put_json(
        "customers",
        {"email": "a@x", "serialNumber": "s1", "shareWithResearchAsOfDate": 5},
        {"email": "b@x", "serialNumber": "s2", "shareWithResearchAsOfDate": None},
        {"email": "c@x", "serialNumber": "s3"},
    )


def test_json_sink_writes_a_field_held_as_null_after_a_sql_node(glue, lake, customers):
    out = sql_query(glue, "select * from c", {"c": customers})
    write_json(glue, out, "after_sql")
    by_email = {r["email"]: r for r in output_lines(lake, "after_sql")}
    # after a SQL node every field is present: both null and missing read back as null
    assert by_email["b@x"] == {
        "email": "b@x",
        "serialNumber": "s2",
        "shareWithResearchAsOfDate": None,
    }
    assert by_email["c@x"] == {
        "email": "c@x",
        "serialNumber": "s3",
        "shareWithResearchAsOfDate": None,
    }


def test_json_sink_omits_a_field_the_record_lacks_after_filter_and_join(
    glue, lake, customers, steps_and_readings
):
    from localglue.awsglue.transforms import Filter, Join

    steps, _ = steps_and_readings
    kept = Filter.apply(frame=customers, f=lambda r: r["email"] != "a@x")
    joined = Join.apply(frame1=kept, frame2=steps, keys1=["serialNumber"], keys2=["serialNumber"])
    write_json(glue, joined, "after_join")
    [row] = output_lines(lake, "after_join")  # s3 has no step
    assert row["shareWithResearchAsOfDate"] is None and "`.serialNumber`" not in row
    assert list(row) == [
        "email",
        "serialNumber",
        "shareWithResearchAsOfDate",
        ".serialNumber",
        "sensorReadingTime",
        "source",
    ]
    write_json(glue, kept, "after_filter")
    lines = {r["email"]: r for r in output_lines(lake, "after_filter")}
    assert "shareWithResearchAsOfDate" in lines["b@x"]  # held as null: written
    assert "shareWithResearchAsOfDate" not in lines["c@x"]  # lacked: omitted


# -- 3. case rules ---------------------------------------------------------------------------
@pytest.fixture
def catalog_customers(glue, lake, customers):
    """A catalog frame: the Data Catalog gives lower-case column names."""
    from localglue.catalog import make_table_input

    glue.catalog.ensure_database("stedi")
    cols = [
        ("email", "string"),
        ("serialnumber", "string"),
        ("sharewithresearchasofdate", "bigint"),
    ]
    glue.catalog.upsert_table(
        "stedi", make_table_input("customers", f"s3://{BUCKET}/customers/", cols, "json")
    )
    return glue.create_dynamic_frame.from_catalog(database="stedi", table_name="customers")


def test_dropfields_with_camelcase_paths_on_a_catalog_frame_drops_only_matching_case(
    catalog_customers,
):
    out = catalog_customers.drop_fields(["email", "serialNumber", "shareWithResearchAsOfDate"])
    assert out.toDF().columns == ["serialnumber", "sharewithresearchasofdate"]


@pytest.mark.parametrize(
    ("transform", "expected"),
    [
        (lambda f: f.select_fields(["email", "serialNumber"]), ["email"]),
        (
            lambda f: f.rename_field("email", "Email"),
            ["Email", "serialnumber", "sharewithresearchasofdate"],
        ),
        (
            lambda f: f.apply_mapping([("serialNumber", "string", "serial", "string")]),
            ["serial"],
        ),
    ],
    ids=[
        "select_fields_case_sensitive",
        "rename_field_case_sensitive",
        "apply_mapping_insensitive",
    ],
)
def test_path_transforms_follow_glue_case_rules(catalog_customers, transform, expected):
    out = transform(catalog_customers)
    assert out.toDF().columns == expected
    if expected == ["serial"]:
        assert {r["serial"] for r in out.records()} == {"s1", "s2", "s3"}


def test_rename_field_of_a_name_in_another_case_is_not_found(catalog_customers):
    from localglue.errors import LakehouseError

    with pytest.raises(LakehouseError, match="serialNumber"):
        catalog_customers.rename_field("serialNumber", "serial")


# -- 4. compression --------------------------------------------------------------------------
def _sink(glue, name, fmt, how, codec):
    path = f"s3://{BUCKET}/{name}/"
    if how == "getSink":
        sink = glue.getSink(path=path, connection_type="s3", compression=codec)
        sink.setFormat(fmt)
        return sink.writeFrame
    if how == "setFormat":
        sink = glue.getSink(path=path, connection_type="s3")
        sink.setFormat(fmt, compression=codec)
        return sink.writeFrame
    return lambda frame: glue.write_dynamic_frame.from_options(
        frame=frame,
        connection_type="s3",
        format=fmt,
        connection_options={"path": path, "compression": codec},
    )


@pytest.mark.parametrize(
    ("how", "fmt", "codec", "name_pattern", "reader"),
    [
        ("getSink", "json", "gzip", r"run-\d+-part-r-\d{5}\.gz", "read_json_auto"),
        ("connection_options", "json", "bzip2", r"run-\d+-part-r-\d{5}\.bz2", None),
        ("connection_options", "csv", "gzip", r"run-\d+-part-r-\d{5}\.gz", "read_csv_auto"),
        ("getSink", "json", None, r"run-\d+-part-r-\d{5}", "read_json_auto"),
        (
            "getSink",
            "glueparquet",
            "snappy",
            r"run-\d+-part-block-0-r-\d{5}-snappy\.parquet",
            "read_parquet",
        ),
        (
            "setFormat",
            "glueparquet",
            "gzip",
            r"run-\d+-part-block-0-r-\d{5}-gzip\.parquet",
            "read_parquet",
        ),
        (
            "setFormat",
            "glueparquet",
            "uncompressed",
            r"run-\d+-part-block-0-r-\d{5}\.parquet",
            "read_parquet",
        ),
        (
            "connection_options",
            "parquet",
            "gzip",
            r"part-\d{5}-[0-9a-f-]+-c000\.gz\.parquet",
            "read_parquet",
        ),
    ],
)
def test_sink_compression_from_connection_or_format_options_names_files_as_glue(
    glue, lake, customers, how, fmt, codec, name_pattern, reader
):
    import re

    name = f"out_{how}_{fmt}_{codec}".lower()
    _sink(glue, name, fmt, how, codec)(customers)
    folder = lake.root / BUCKET / name
    files = [f for f in os.listdir(folder) if not f.startswith((".", "_"))]
    assert files and all(re.fullmatch(name_pattern, f) for f in files), files
    if reader:
        glob = str(folder / "*")
        [(n,)] = duckdb.sql(f"select count(*) from {reader}('{glob}')").fetchall()
        assert n == 3


# -- 5. catalog errors -----------------------------------------------------------------------
@pytest.mark.parametrize("make_database", [True, False], ids=["missing_table", "missing_database"])
def test_catalog_read_of_a_missing_table_raises_entity_not_found_naming_database_table(
    glue, make_database
):
    from localglue.errors import EntityNotFoundException

    if make_database:
        glue.catalog.ensure_database("stedi")
    with pytest.raises(EntityNotFoundException, match=r"Entity Not Found.*stedi\.nope"):
        glue.create_dynamic_frame.from_catalog(database="stedi", table_name="nope")


def _catalog_sink(glue, database):
    sink = glue.getSink(
        path=f"s3://{BUCKET}/written/", connection_type="s3", enableUpdateCatalog=True
    )
    sink.setCatalogInfo(catalogDatabase=database, catalogTableName="written")
    sink.setFormat("json")
    return sink


def test_sink_with_update_catalog_into_a_missing_database_fails_with_entity_not_found(
    glue, lake, customers
):
    from localglue.errors import EntityNotFoundException

    with pytest.raises(EntityNotFoundException, match="Database nowhere not found"):
        _catalog_sink(glue, "nowhere").writeFrame(customers)
    assert not (lake.root / BUCKET / "written").exists()


def test_sink_with_update_catalog_creates_a_missing_table(glue, customers):
    glue.catalog.ensure_database("stedi")
    _catalog_sink(glue, "stedi").writeFrame(customers)
    assert (
        glue.create_dynamic_frame.from_catalog(database="stedi", table_name="written").count() == 3
    )


# -- 6. error thresholds ---------------------------------------------------------------------
@pytest.fixture
def bad():
    """A Filter function that makes error records of b@x and c@x (defined here, not at module
    level, so cloudpickle ships it by value to the Python workers)."""

    def judge(record):
        if record["email"] != "a@x":
            raise RuntimeError("bad record")  # not Key/Value/TypeError: an error record
        return True

    return judge


@pytest.mark.parametrize(("stage_threshold", "fails"), [(0, True), (2, False), (5, False)])
def test_assert_error_threshold_fails_when_error_records_exceed_the_threshold(
    customers, bad, stage_threshold, fails
):
    from localglue.errors import ErrorThresholdExceeded

    # two error records (b@x, c@x); the transform-time check is skipped for 0 as on Glue
    out = customers.filter(bad, stageThreshold=stage_threshold, totalThreshold=10)
    assert out.stageErrorsCount() == 2
    if fails:
        with pytest.raises(ErrorThresholdExceeded, match="exceed stageThreshold"):
            out.assertErrorThreshold()
    else:
        out.assertErrorThreshold()


def test_transform_with_a_positive_threshold_fails_when_its_errors_exceed_it(customers, bad):
    from localglue.errors import ErrorThresholdExceeded

    with pytest.raises(ErrorThresholdExceeded, match="2 error records exceed stageThreshold=1"):
        customers.filter(bad, stageThreshold=1)
