"""Filter and Map work on DynamicRecords: dicts holding only the keys a record has.

Pinned Glue behaviour (awsglue Python library, DynamicFrame.filter / map; AWS Glue
developer guide, "Filter class" and "Map class"):
- a record read from JSON that LACKS a key raises KeyError when indexed; an explicit
  JSON null reads as None;
- a KeyError, ValueError or TypeError raised by the filter function drops the record
  (Glue's filter wrapper returns False for exactly these); any other exception makes
  the record an error record (errorsAsDynamicFrame / stageErrorsCount);
- Map's function gets and returns a dict; None or an exception makes an error record.
"""

from __future__ import annotations

import json

import pytest

BUCKET = "stedi-lake-house"


def json_frame(glue, lake, *records):
    path = lake.root / BUCKET / "landing" / "part.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={"paths": [f"s3://{BUCKET}/landing/"], "recurse": True},
        format_options={"multiLine": "false"},
        transformation_ctx="landing",
    )


CUSTOMERS = [
    {"email": "consented@x", "shareWithResearchAsOfDate": 1655564376361},
    {"email": "explicit-null@x", "shareWithResearchAsOfDate": None},
    {"email": "no-key@x"},
    {"email": "zero@x", "shareWithResearchAsOfDate": 0},
]


@pytest.mark.parametrize(
    ("predicate", "kept"),
    [
        # The STEDI trap: indexing a missing key raises KeyError -> dropped; null != 0 -> kept.
        (
            lambda row: not (row["shareWithResearchAsOfDate"] == 0),  # noqa: SIM201 - as generated
            {"consented@x", "explicit-null@x"},
        ),
        (lambda row: row["shareWithResearchAsOfDate"] is not None, {"consented@x", "zero@x"}),
        (lambda row: row.get("shareWithResearchAsOfDate") is None, {"explicit-null@x", "no-key@x"}),
        (
            lambda row: "shareWithResearchAsOfDate" in row,
            {"consented@x", "explicit-null@x", "zero@x"},
        ),
        # TypeError (None > 0) drops the null record as well as the missing one.
        (lambda row: row["shareWithResearchAsOfDate"] > 0, {"consented@x"}),
    ],
)
def test_filter_sees_missing_keys_as_keyerror_and_json_null_as_none(glue, lake, predicate, kept):
    from localglue.awsglue.transforms import Filter

    frame = json_frame(glue, lake, *CUSTOMERS)
    out = Filter.apply(frame=frame, f=predicate, transformation_ctx="filter")
    assert {r["email"] for r in out.records()} == kept
    assert out.stageErrorsCount() == 0


@pytest.mark.parametrize("exc", [KeyError, ValueError, TypeError])
def test_filter_drops_records_whose_function_raises_key_value_or_type_error(glue, lake, exc):
    frame = json_frame(glue, lake, *CUSTOMERS)

    def f(row):
        if row["email"].startswith("zero"):
            raise exc("boom")
        return True

    out = frame.filter(f)
    assert "zero@x" not in {r["email"] for r in out.records()}
    assert out.count() == 3 and out.errorsCount() == 0


def test_filter_turns_other_exceptions_into_error_records(glue, lake):
    frame = json_frame(glue, lake, *CUSTOMERS)
    out = frame.filter(
        lambda row: 1 / len(row) > 0.6
    )  # one-key record -> 1.0; others 0.5 ; no error
    assert out.count() == 1
    bad = frame.filter(lambda row: 1 / 0)
    assert bad.count() == 0
    assert bad.stageErrorsCount() == len(CUSTOMERS)
    errors = bad.errorsAsDynamicFrame().toDF().collect()
    assert {json.loads(e["record"])["email"] for e in errors} == {c["email"] for c in CUSTOMERS}
    assert all("ZeroDivisionError" in e["errorMessage"] for e in errors)


def test_filter_records_are_dicts_of_present_keys(glue, lake):
    frame = json_frame(glue, lake, *CUSTOMERS)
    seen = frame.filter(
        lambda row: isinstance(row, dict) and set(row) <= {"email", "shareWithResearchAsOfDate"}
    )
    assert seen.count() == len(CUSTOMERS)


def test_filter_on_a_dataframe_frame_sees_every_column(glue, spark):
    from localglue.awsglue import DynamicFrame

    df = spark.createDataFrame([("a", None), ("b", 1)], "email string, share long")
    frame = DynamicFrame.fromDF(df, glue, "df")
    assert frame.filter(lambda r: r["share"] is None).count() == 1


def test_map_gets_and_returns_dicts_and_infers_the_new_schema(glue, lake):
    from localglue.awsglue.transforms import Map

    frame = json_frame(glue, lake, *CUSTOMERS)

    def consent(rec):
        rec["consented"] = bool(rec.get("shareWithResearchAsOfDate"))
        rec["domain"] = rec["email"].split("@")[1]
        return rec

    out = Map.apply(frame=frame, f=consent, transformation_ctx="map")
    assert out.toDF().columns == ["email", "shareWithResearchAsOfDate", "consented", "domain"]
    by_email = {r["email"]: r for r in out.records()}
    assert by_email["consented@x"]["consented"] is True
    assert by_email["no-key@x"] == {"email": "no-key@x", "consented": False, "domain": "x"}


@pytest.mark.parametrize(
    ("f", "message"),
    [(lambda rec: None, "returned None"), (lambda rec: rec["missing"], "KeyError")],
)
def test_map_failures_become_error_records(glue, lake, f, message):
    frame = json_frame(glue, lake, *CUSTOMERS)
    out = frame.map(f)
    assert out.count() == 0
    assert out.stageErrorsCount() == len(CUSTOMERS)
    assert message in out.errorsAsDynamicFrame().toDF().first()["errorMessage"]


def test_error_records_are_counted_through_later_stages(glue, lake):
    frame = json_frame(glue, lake, *CUSTOMERS)
    bad = frame.filter(lambda row: 1 / 0 if row["email"].startswith("zero") else True)
    later = bad.drop_fields(["email"])
    assert later.stageErrorsCount() == 0
    assert later.errorsCount() == 1


def test_stage_threshold_fails_the_transform_when_exceeded(glue, lake):
    from localglue.errors import LakehouseError

    frame = json_frame(glue, lake, *CUSTOMERS)
    with pytest.raises(LakehouseError, match="stageThreshold"):
        frame.filter(lambda row: 1 / 0, stageThreshold=1)


def test_records_read_fields_as_attributes_like_glue_dynamic_records(glue, lake):
    """awsglue.gluetypes.DynamicRecord: row.email works; a missing attribute is a KeyError."""
    frame = json_frame(glue, lake, *CUSTOMERS)
    assert frame.filter(lambda row: row.email.startswith("c")).count() == 1
    assert frame.filter(lambda row: row.shareWithResearchAsOfDate == 0).count() == 1


def test_show_prints_records_as_json_with_only_present_keys(glue, lake, capsys):
    frame = json_frame(glue, lake, *CUSTOMERS)
    frame.show(10)
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(printed, key=lambda r: r["email"]) == sorted(CUSTOMERS, key=lambda r: r["email"])


def test_print_schema_shows_nested_fields_in_glue_layout(glue, lake, capsys):
    frame = json_frame(glue, lake, {"id": 1, "device": {"serial": "s", "tags": ["a"]}})
    frame.printSchema()
    assert capsys.readouterr().out == (
        "root\n"
        "|-- id: long\n"
        "|-- device: struct\n"
        "|    |-- serial: string\n"
        "|    |-- tags: array\n"
        "|    |    |-- element: string\n"
    )


def test_glue_context_basics(glue, spark):
    assert glue.spark_session is spark
    logger = glue.get_logger()
    logger.info("info")
    logger.warn("warn")


def test_filter_functions_unpickle_where_this_project_cannot_be_imported(tmp_path):
    """Spark's Python workers may run outside the project; the record code ships by value."""
    import subprocess
    import sys

    from pyspark import cloudpickle
    from pyspark.sql import Row

    from localglue.awsglue import dynamicframe  # noqa: F401 - registers by-value pickling
    from localglue.records import filter_judge, record_builder

    judge = filter_judge(lambda r: r["a"] > 1, record_builder(["a"], {}))
    payload = tmp_path / "judge.pkl"
    payload.write_bytes(
        cloudpickle.dumps((judge, [Row(a=1, __glue_absent=None), Row(a=2, __glue_absent=None)]))
    )
    code = (
        "import pickle, sys\n"
        "sys.modules['lakehouse'] = None  # any import of the project now fails\n"
        "judge, rows = pickle.loads(open(sys.argv[1], 'rb').read())\n"
        "print([judge(r)[0] for r in rows])\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(payload)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[False, True]"
