"""Glue behaviours found by running real learner scripts (issue 11); evidence in docs/fidelity.md.

- a DynamicRecord maps a name to ONE value: duplicate column names from a SQL node collapse
  to one field holding the LAST column's values;
- the JSON sink writes a field the record holds as null as `null` and leaves out a field the
  record lacks;
- DropFields, SelectFields and RenameField are case sensitive; ApplyMapping is not; a catalog
  frame of JSON has the data's own (camelCase) names, so Glue Studio's camelCase paths match;
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
def catalog_customers(glue, lake):
    """A catalog frame of JSON: the records' own names, whatever the catalog's lower-case
    columns say (Glue computes a DynamicFrame's schema from the data)."""
    from localglue.catalog import make_table_input

    folder = lake.root / BUCKET / "catalog_customers"
    folder.mkdir(parents=True)
    (folder / "part.json").write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in (
                {"email": "a@x", "serialNumber": "s1", "shareWithResearchAsOfDate": 5},
                {"email": "b@x", "serialNumber": "s2", "shareWithResearchAsOfDate": None},
                {"email": "c@x", "serialNumber": "s3"},
            )
        )
    )
    glue.catalog.ensure_database("stedi")
    cols = [
        ("email", "string"),
        ("serialnumber", "string"),
        ("sharewithresearchasofdate", "bigint"),
    ]
    location = f"s3://{BUCKET}/catalog_customers/"
    glue.catalog.upsert_table("stedi", make_table_input("customers", location, cols, "json"))
    return glue.create_dynamic_frame.from_catalog(database="stedi", table_name="customers")


def test_drop_fields_on_a_catalog_frame_drops_camel_case_names_exactly(catalog_customers):
    out = catalog_customers.drop_fields(["email", "serialnumber", "shareWithResearchAsOfDate"])
    assert out.toDF().columns == ["serialNumber"]


def test_glue_studio_dropfields_after_a_join_of_catalog_frames_keeps_only_the_readings(
    glue, catalog_customers, put_json
):
    """Glue Studio's generated list names the customer fields in camelCase, frame2's clashes
    with a leading dot; on catalog frames it drops them all (learners' 3.30 MB
    accelerometer_trusted in Athena, docs/fidelity.md)."""
    from localglue.awsglue.transforms import DropFields, Join

    readings = put_json(
        "readings_for_join",
        {"user": "a@x", "timestamp": 1, "x": 0.5, "serialNumber": "phone-1"},
    )
    joined = Join.apply(frame1=readings, frame2=catalog_customers, keys1=["user"], keys2=["email"])
    paths = ["email", "shareWithResearchAsOfDate", "`.serialNumber`", "customerName"]
    out = DropFields.apply(frame=joined, paths=paths)
    assert out.toDF().columns == ["user", "timestamp", "x", "serialNumber"]
    assert [r["serialNumber"] for r in out.records()] == ["phone-1"]


@pytest.mark.parametrize(
    ("case", "left"),
    [
        (None, ["email", "serialNumber"]),
        ("lower", ["email", "serialnumber", "sharewithresearchasofdate"]),
    ],
    ids=["default", "lower"],
)
def test_a_camel_case_drop_fields_on_a_catalog_frame_drops_the_field_by_default_not_under_lower(
    glue, catalog_customers, monkeypatch, case, left
):
    """Glue Studio writes camelCase DropFields paths for a catalog frame of camelCase JSON. By
    default (no flag, no $STEDI_CATALOG_CASE) the frame keeps the data's names and the path
    drops the field; under `lower` the names no longer match and nothing is dropped."""
    from localglue.catalog_case import ENV, chosen

    monkeypatch.delenv(ENV, raising=False)
    with chosen(case):
        frame = glue.create_dynamic_frame.from_catalog(database="stedi", table_name="customers")
        out = frame.drop_fields(["shareWithResearchAsOfDate"])
    assert out.toDF().columns == left


@pytest.mark.parametrize(("case", "kept"), [("data", []), ("lower", ["a@x"])])
def test_catalog_case_lower_lets_a_filter_on_the_lower_case_consent_key_keep_the_consenting_customers(
    glue, catalog_customers, case, kept
):
    """Glue Studio writes the catalog's lower-case name into a Filter node. On the files' own
    names (`data`, the default) the key is missing: KeyError, the record is dropped, no
    customer kept. Runs on AWS that kept 482 customers this way fit `--catalog-case lower`
    (docs/fidelity.md): there the one customer who consented is kept; one whose date is null
    (TypeError) or who has no key (KeyError) is dropped."""
    from localglue.awsglue.transforms import Filter
    from localglue.catalog_case import chosen

    with chosen(case):
        frame = glue.create_dynamic_frame.from_catalog(database="stedi", table_name="customers")
        out = Filter.apply(frame=frame, f=lambda row: row["sharewithresearchasofdate"] > 0)
    assert sorted(r["email"] for r in out.records()) == kept


@pytest.mark.parametrize(
    ("transform", "expected"),
    [
        (lambda f: f.select_fields(["email", "serialnumber"]), ["email"]),
        (
            lambda f: f.rename_field("email", "Email"),
            ["Email", "serialNumber", "shareWithResearchAsOfDate"],
        ),
        (
            lambda f: f.apply_mapping([("serialnumber", "string", "serial", "string")]),
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

    with pytest.raises(LakehouseError, match="serialnumber"):
        catalog_customers.rename_field("serialnumber", "serial")


@pytest.fixture
def serial_in_two_cases(glue, put_json):
    """A SQL node's `select *` over a join of `serialNumber` (step readings) and `serialnumber`
    (a table written with lower-case keys): Spark's analyser keeps both columns."""
    steps = put_json("steps_camel", {"serialNumber": "s1", "t": 1}, {"serialNumber": "s2", "t": 2})
    owners = put_json("owners_lower", {"serialnumber": "s1", "email": "a@x"})
    return sql_query(
        glue,
        "select * from s join o on s.serialNumber = o.serialnumber",
        {"s": steps, "o": owners},
    )


def test_select_star_over_a_join_keeps_two_fields_that_differ_in_case(
    glue, lake, serial_in_two_cases
):
    out = serial_in_two_cases
    assert out.toDF().columns == ["serialNumber", "t", "serialnumber", "email"]
    assert out.records() == [{"serialNumber": "s1", "t": 1, "serialnumber": "s1", "email": "a@x"}]
    write_json(glue, out, "two_cases")
    [line] = (lake.root / BUCKET / "two_cases").glob("run-*")
    assert json.loads(line.read_text()) == out.records()[0]  # the JSON sink writes both keys


@pytest.mark.parametrize(
    ("operation", "fields"),
    [
        (lambda f: f.drop_fields(["serialnumber"]), ["serialNumber", "t", "email"]),
        (lambda f: f.select_fields(["serialnumber", "t"]), ["serialnumber", "t"]),
        (
            lambda f: f.rename_field("serialnumber", "owner_serial"),
            ["serialNumber", "t", "owner_serial", "email"],
        ),
        (
            lambda f: f.filter(lambda r: r["serialnumber"] == "s1" and "serialNumber" in r),
            ["serialNumber", "t", "serialnumber", "email"],
        ),
    ],
    ids=["drop_fields", "select_fields", "rename_field", "filter"],
)
def test_dynamicframe_operations_tell_apart_fields_that_differ_only_in_case(
    serial_in_two_cases, operation, fields
):
    out = operation(serial_in_two_cases)
    assert out.toDF().columns == fields
    assert out.count() == 1


def test_learner_spark_sql_stays_case_insensitive_as_spark_is(glue, spark, serial_in_two_cases):
    """Only the runtime's own DynamicFrame plans match names exactly; the learner's SQL runs
    with Spark's (and Glue's) spark.sql.caseSensitive=false."""
    from pyspark.errors import AnalysisException

    serial_in_two_cases.select_fields(
        ["t", "email", "serialNumber", "serialnumber"]
    ).toDF().createOrReplaceTempView("two")
    assert spark.conf.get("spark.sql.caseSensitive") == "false"
    assert spark.sql("select T, EMAIL from two").columns == ["T", "EMAIL"]
    with pytest.raises(AnalysisException, match="AMBIGUOUS_REFERENCE"):
        spark.sql("select serialnumber from two")


def test_parquet_sink_of_fields_that_differ_only_in_case_fails_as_spark_does(
    glue, serial_in_two_cases
):
    """Spark's Parquet writer checks names case-insensitively (unverified on Glue: fidelity)."""
    from pyspark.errors import AnalysisException

    with pytest.raises(AnalysisException, match="COLUMN_ALREADY_EXISTS"):
        glue.write_dynamic_frame.from_options(
            frame=serial_in_two_cases,
            connection_type="s3",
            format="glueparquet",
            connection_options={"path": f"s3://{BUCKET}/two_cases_parquet/"},
        )


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
