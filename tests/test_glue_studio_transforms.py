"""Glue Studio's managed transforms (`import gs_derived` ... `frame.gs_derived(...)`), the
awsglueml Detect Sensitive Data API and the Spigot / SplitFields transforms, each pinned by
the behaviour the Glue developer guide documents for its node (docs/fidelity.md lists them).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
from pyspark.sql import types as T

from localglue.studio import TRANSFORMS

BUCKET = "studio-transforms"


@pytest.fixture
def studio(glue):
    """Inside a script's shim: `studio("gs_derived")` imports a module as a script does."""
    from localglue.shim import glue_shim

    with glue_shim():
        yield importlib.import_module


@pytest.fixture
def frame(glue, spark):
    """frame(rows, schema=None): a DynamicFrame holding `rows` (dicts or tuples)."""
    from localglue.awsglue.dynamicframe import DynamicFrame

    def make(rows, schema=None):
        return DynamicFrame.fromDF(spark.createDataFrame(rows, schema), glue, "src")

    return make


def rows(dynamic_frame, *columns):
    df = dynamic_frame.toDF()
    return [tuple(r[c] for c in columns) if columns else r.asDict() for r in df.collect()]


# -- how a managed transform is attached ------------------------------------------------


@pytest.mark.parametrize("name", TRANSFORMS)
def test_a_managed_transform_is_a_frame_method_only_after_its_module_is_imported(glue, frame, name):
    from pyspark.sql import DataFrame

    from localglue.awsglue.dynamicframe import DynamicFrame
    from localglue.shim import glue_shim

    with glue_shim():
        assert not hasattr(DynamicFrame, name)
        importlib.import_module(name)
        assert hasattr(DynamicFrame, name) and hasattr(DataFrame, name)
    assert not hasattr(DynamicFrame, name) and not hasattr(DataFrame, name)


def test_managed_transforms_take_keyword_arguments_only_as_glue_studio_writes_them(studio, frame):
    studio("gs_derived")
    src = frame([{"a": 1}])
    with pytest.raises(TypeError):
        src.gs_derived("b", "a + 1")
    assert rows(src.gs_derived(colName="b", expr="a + 1"), "b") == [(2,)]


def test_managed_transforms_refuse_a_frame_with_pending_choice_types(studio, put_json):
    studio("gs_derived")
    src = put_json("choice", {"phone": "555"}, {"phone": 555})
    with pytest.raises(ValueError, match="resolve the pending DynamicFrame choices"):
        src.gs_derived(colName="x", expr="1")


def test_managed_transforms_are_dataframe_methods_too(studio, spark):
    studio("gs_now")
    df = spark.createDataFrame([{"a": 1}]).gs_now(colName="at")
    assert isinstance(df.schema["at"].dataType, T.TimestampType)


def test_a_managed_transform_keeps_the_frame_name_and_turns_absent_keys_into_nulls(
    studio, put_json
):
    studio("gs_derived")
    src = put_json("absent", {"a": 1, "b": 2}, {"a": 3})
    out = src.gs_derived(colName="c", expr="a")
    assert out.name == src.name
    assert [json.loads(r) for r in out.toJSON()] == [
        {"a": 1, "b": 2, "c": 1},
        {"a": 3, "b": None, "c": 3},
    ]


# -- the transforms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [("a + b", 3), ("upper(s)", "X"), ("CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END", "pos")],
)
def test_derived_column_is_a_spark_sql_expression_of_other_columns(studio, frame, expr, expected):
    studio("gs_derived")
    out = frame([{"a": 1, "b": 2, "s": "x"}]).gs_derived(colName="d", expr=expr)
    assert rows(out, "d") == [(expected,)]


@pytest.mark.parametrize(
    ("date_format", "pattern"),
    [("yyyyMMddHHmmss", "%Y%m%d%H%M%S"), ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M"), ("%j", "%j")],
)
def test_add_current_timestamp_formats_with_spark_patterns_or_python_date_codes(
    studio, frame, date_format, pattern
):
    studio("gs_now")
    before = dt.datetime.now().replace(microsecond=0)
    (value,) = rows(frame([{"a": 1}]).gs_now(colName="at", dateFormat=date_format), "at")[0]
    after = dt.datetime.now()
    # The clock is read inside the job: any second between the two readings (a loaded machine
    # may take seconds), written in the format asked for.
    seconds = range(int((after - before).total_seconds()) + 1)
    assert value in {(before + dt.timedelta(seconds=n)).strftime(pattern) for n in seconds}


def test_add_current_timestamp_without_a_format_is_a_timestamp_column_named_timestamp(
    studio, frame
):
    studio("gs_now")
    out = frame([{"a": 1}]).gs_now()
    assert isinstance(out.toDF().schema["timestamp"].dataType, T.TimestampType)


@pytest.mark.parametrize(
    ("date_format", "spark_pattern"),
    [("%X", "HH:MM:ss"), ("%c", "EEE MMM d HH:mm:ss yyyy"), ("%%Y", "%Y"), ("dd/MM", "dd/MM")],
)
def test_python_date_codes_translate_as_glue_translates_them_quirks_included(
    date_format, spark_pattern
):
    from localglue.studio.gs_common import spark_date_format

    assert spark_date_format(date_format) == spark_pattern


def test_an_unknown_python_date_code_fails_as_on_glue(studio, frame):
    studio("gs_now")
    with pytest.raises(KeyError):
        frame([{"a": 1}]).gs_now(colName="at", dateFormat="%Y-%m-%dT%H")


@pytest.mark.parametrize(
    ("value", "col_type"),
    [
        (1667400059, "seconds"),
        (1667400059915, "milliseconds"),
        (1667400059915000, "microseconds"),
        ("2022-11-02T14:40:59.915Z", "iso"),
        (1667400059, "autodetect"),
        (1667400059915, "autodetect"),
        (1667400059915000, "autodetect"),
        ("1667400059915", "autodetect"),
        ("2022-11-02T14:40:59.915Z", "autodetect"),
    ],
)
def test_to_timestamp_reads_epoch_numbers_in_their_unit_and_iso_strings(
    studio, frame, spark, value, col_type
):
    studio("gs_to_timestamp")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    out = frame([{"v": value}]).gs_to_timestamp(colName="v", colType=col_type, newColName="t")
    (got,) = rows(out, "t")[0]
    whole = dt.datetime(2022, 11, 2, 14, 40, 59)
    assert got.replace(microsecond=0) == whole
    assert rows(out, "v") == [(value,)]  # the source column is kept beside newColName


def test_to_timestamp_replaces_the_column_unless_a_new_name_is_given(studio, frame):
    studio("gs_to_timestamp")
    out = frame([{"v": 1667400059}]).gs_to_timestamp(colName="v", colType="seconds")
    assert out.toDF().columns == ["v"]
    assert isinstance(out.toDF().schema["v"].dataType, T.TimestampType)


@pytest.mark.parametrize(
    ("date_format", "expected"),
    [("yyyy-MM-dd", "2023-01-01"), ("%d/%m/%Y %H:%M", "01/01/2023 00:00")],
)
def test_format_timestamp_writes_a_string_in_spark_or_python_syntax(
    studio, frame, date_format, expected
):
    studio("gs_format_timestamp")
    src = frame([{"t": dt.datetime(2023, 1, 1)}])
    assert rows(src.gs_format_timestamp(colName="t", dateFormat=date_format), "t") == [(expected,)]
    kept = src.gs_format_timestamp(colName="t", dateFormat=date_format, newColName="s")
    assert rows(kept, "t", "s") == [(dt.datetime(2023, 1, 1), expected)]


@pytest.mark.parametrize(
    ("regex", "new_cols", "text", "expected"),
    [
        (r"^.{1}", "first", "ABC", {"first": "A"}),
        (r"(\d{4})-(\d{2})", "year, month", "on 2024-05", {"year": "2024", "month": "05"}),
        (r"(\d+)", "n", "none here", {"n": ""}),
    ],
)
def test_regex_extractor_gives_one_column_per_group_and_an_empty_string_without_a_match(
    studio, frame, regex, new_cols, text, expected
):
    studio("gs_regex_extract")
    out = frame([{"s": text}]).gs_regex_extract(colName="s", regex=regex, newCols=new_cols)
    got = rows(out)[0]
    assert {k: got[k] for k in expected} == expected


def test_regex_extractor_needs_one_column_name_per_group(studio, frame):
    studio("gs_regex_extract")
    with pytest.raises(Exception, match="one name per group"):
        frame([{"s": "a"}]).gs_regex_extract(colName="s", regex=r"(a)(b)", newCols="x")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"spacer": "-"}, "2020-01-01"),
        ({}, "20200101"),
        ({"spacer": "-", "nullValue": "NA"}, "2020-NA-01"),
        ({"spacer": "-"}, "2020--01"),
    ],
)
def test_concatenate_columns_joins_in_order_with_spacer_and_null_value(
    studio, frame, kwargs, expected
):
    studio("gs_concat")
    month = None if "--" in expected or "NA" in expected else "01"
    src = frame([("2020", month, "01")], "year string, month string, day string")
    out = src.gs_concat(colName="date", colList=["year", "month", "day"], **kwargs)
    assert rows(out, "date") == [(expected,)]


def test_split_string_makes_an_array_and_array_to_columns_fills_nulls_past_its_end(studio, frame):
    studio("gs_split")
    studio("gs_array_to_cols")
    src = frame([{"d": "2024-05-06"}, {"d": "2024"}])
    out = src.gs_split(colName="d", pattern="-", newColName="parts").gs_array_to_cols(
        colName="parts", colList="year, month, day"
    )
    assert rows(out, "parts", "year", "month", "day") == [
        (["2024", "05", "06"], "2024", "05", "06"),
        (["2024"], "2024", None, None),
    ]


@pytest.mark.parametrize(
    ("outer", "expected"),
    [(False, [(1, "a"), (1, "b")]), (True, [(1, "a"), (1, "b"), (2, None), (3, None)])],
)
def test_explode_gives_a_row_per_element_and_keeps_empty_or_null_arrays_only_with_nulls_included(
    studio, frame, outer, expected
):
    studio("gs_explode")
    src = frame([(1, ["a", "b"]), (2, []), (3, None)], "id long, tags array<string>")
    out = src.gs_explode(colName="tags", newCol="tags", outer=outer)
    assert sorted(rows(out, "id", "tags"), key=repr) == sorted(expected, key=repr)


def test_explode_of_a_map_gives_a_row_per_entry_with_key_and_value(studio, frame):
    studio("gs_explode")
    src = frame([(1, {"x": 10, "y": 20})], "id long, m map<string,long>")
    out = src.gs_explode(colName="m", keyCol="k", valueCol="v")
    assert sorted(rows(out, "id", "k", "v")) == [(1, "x", 10), (1, "y", 20)]


@pytest.mark.parametrize(
    ("kwargs", "columns"),
    [
        ({}, ["id", "a.b.c", "a.d", "l"]),
        ({"maxLevels": 1}, ["id", "a.b", "a.d", "l"]),
        ({"separator": "_"}, ["id", "a_b_c", "a_d", "l"]),
    ],
)
def test_flatten_names_nested_fields_by_their_path_down_to_max_levels(
    studio, frame, kwargs, columns
):
    studio("gs_flatten")
    src = frame(
        [(1, ((5,), 6), [1, 2])], "id long, a struct<b:struct<c:long>, d:long>, l array<long>"
    )
    assert src.gs_flatten(**kwargs).toDF().columns == columns


@pytest.mark.parametrize(("extended", "kept"), [(False, 3), (True, 1)])
def test_remove_null_rows_drops_rows_whose_every_column_is_null(studio, frame, extended, kept):
    studio("gs_null_rows")
    src = frame(
        [("a", 1.0), (None, None), ("", None), ("null", float("nan"))], "s string, x double"
    )
    assert src.gs_null_rows(extended=extended).count() == kept


@pytest.mark.parametrize("partitions", ["1", "3"])
def test_autobalance_processing_repartitions_without_changing_rows(studio, frame, partitions):
    studio("gs_repartition")
    src = frame([{"a": i} for i in range(10)])
    out = src.gs_repartition(numPartitionsStr=partitions)
    assert out.getNumPartitions() == int(partitions)
    assert sorted(rows(out, "a")) == sorted(rows(src, "a"))


def test_pivot_rows_into_columns_aggregates_each_value_into_a_column(studio, frame):
    studio("gs_pivot")
    src = frame(
        [("h1", "m1", 1.0), ("h1", "m1", 3.0), ("h1", "m2", 5.0), ("h2", "m2", 7.0)],
        "hospital string, measure string, score double",
    )
    out = src.gs_pivot(aggCol="score", aggFunction="mean", colList=["measure"])
    assert sorted(rows(out, "hospital", "m1", "m2")) == [("h1", 2.0, 5.0), ("h2", None, 7.0)]


def test_unpivot_columns_to_rows_gives_a_name_and_value_row_per_column(studio, frame):
    studio("gs_unpivot")
    src = frame([("h1", 1.0, 2.0)], "hospital string, m1 double, m2 double")
    out = src.gs_unpivot(colList="m1, m2", unpivotColName="measure", unpivotColValue="score")
    assert sorted(rows(out, "hospital", "measure", "score")) == [
        ("h1", "m1", 1.0),
        ("h1", "m2", 2.0),
    ]


@pytest.mark.parametrize(
    ("module", "kwargs", "column", "spark_type"),
    [
        ("gs_uuid", {}, "uuid", T.StringType),
        ("gs_sequence_id", {}, "id", T.LongType),
        ("gs_sequence_id", {"colName": "row_id", "unique": True}, "row_id", T.DecimalType),
    ],
)
def test_uuid_and_identifier_give_every_row_a_distinct_value(
    studio, frame, module, kwargs, column, spark_type
):
    studio(module)
    out = getattr(frame([{"a": i} for i in range(50)]), module)(**kwargs)
    values = [v for (v,) in rows(out, column)]
    assert len(set(values)) == 50 and None not in values
    assert isinstance(out.toDF().schema[column].dataType, spark_type)
    if module == "gs_uuid":
        assert {len(v) for v in values} == {36}


@pytest.mark.parametrize(
    ("kwargs", "texts", "expected"),
    [
        ({}, ['{"a": 1, "b": "x"}', "not json"], [(1, "x"), (None, None)]),
        ({"schema": "a INT, b STRING"}, ['{"a": 2}'], [(2, None)]),
    ],
)
def test_parse_json_column_gives_a_struct_with_the_given_or_inferred_schema(
    studio, frame, kwargs, texts, expected
):
    studio("gs_parse_json")
    src = frame([(t,) for t in texts], "j string")
    out = src.gs_parse_json(colName="j", **kwargs).toDF()
    assert [(r.j.a, r.j.b) if r.j else (None, None) for r in out.collect()] == expected


def test_parse_json_column_of_an_array_uses_the_given_schema_and_keeps_the_source(studio, frame):
    studio("gs_parse_json")
    out = frame([('["a", "b"]',)], "j string").gs_parse_json(
        colName="j", schema="ARRAY<STRING>", newColName="arr"
    )
    assert rows(out, "j", "arr") == [('["a", "b"]', ["a", "b"])]


@pytest.mark.parametrize(("drop", "columns"), [(False, ["j", "x", "y"]), (True, ["x", "y"])])
def test_extract_json_path_gives_a_column_per_path_and_can_drop_the_json(
    studio, frame, drop, columns
):
    studio("gs_extract_json_path")
    src = frame([('{"a": {"b": 1}, "a. a": "s"}',)], "j string")
    out = src.gs_extract_json_path(
        colName="j", paths="a.b, $['a. a']", newCols="x, y", dropCol=drop
    )
    assert out.toDF().columns == columns
    assert rows(out, "x", "y") == [("1", "s")]


def test_lookup_is_a_left_outer_join_on_a_catalog_table(studio, frame, lake):
    from lakehouse.cli.crawl import crawl

    folder = lake.root / BUCKET / "users"
    folder.mkdir(parents=True)
    users = [{"id": 1, "region": "eu", "name": "Ada"}, {"id": 2, "region": "us", "name": "Bo"}]
    (folder / "u.json").write_text("".join(json.dumps(u) + "\n" for u in users))
    crawl(f"s3://{BUCKET}/users/", lake, "lookups", "users")
    studio("gs_lookup")
    src = frame([(1, "eu"), (2, "eu"), (3, "us")], "user_id long, region string")
    out = src.gs_lookup(
        lookupTable="lookups.users", matchColumns="user_id=id, region", lookupColumns="name"
    )
    assert sorted(rows(out, "user_id", "name")) == [(1, "Ada"), (2, None), (3, None)]


# -- awsglue.transforms the Studio nodes use ----------------------------------------------


@pytest.mark.parametrize(("options", "written"), [({"topk": 2}, 2), ({}, 5), ({"prob": 0.0}, 0)])
def test_spigot_writes_a_sample_as_json_and_passes_the_frame_on(
    glue, frame, lake, options, written
):
    from localglue.awsglue.transforms import Spigot

    src = frame([{"a": i} for i in range(5)])
    out = Spigot.apply(frame=src, path=f"s3://{BUCKET}/spigot/", options=options)
    assert out is src
    files = [p for p in (lake.root / BUCKET / "spigot").rglob("*") if p.is_file()]
    lines = [line for f in files for line in f.read_text().splitlines() if line]
    assert len(lines) == written


def test_split_fields_gives_the_chosen_fields_and_the_rest_as_a_collection(glue, frame):
    from localglue.awsglue.transforms import SelectFromCollection, SplitFields

    src = frame([{"a": 1, "b": 2, "c": 3}])
    dfc = SplitFields.apply(frame=src, paths=["a", "c"], name1="picked", name2="rest")
    assert list(dfc.keys()) == ["picked", "rest"]
    picked = SelectFromCollection.apply(dfc=dfc, key=list(dfc.keys())[0])
    assert picked.toDF().columns == ["a", "c"]
    assert dfc["rest"].toDF().columns == ["b"]


# -- Detect Sensitive Data (awsglueml.transforms.EntityDetector) ---------------------------


@pytest.mark.parametrize(
    ("entity_type", "text", "found"),
    [
        ("EMAIL", "write to ada@example.com today", "ada@example.com"),
        ("CREDIT_CARD", "card 4111 1111 1111 1111", "4111 1111 1111 1111"),
        ("CREDIT_CARD", "card 4111 1111 1111 1112", None),  # fails the Luhn check
        ("IP_ADDRESS", "from 192.168.0.12:80", "192.168.0.12"),
        ("IP_ADDRESS", "version 300.1.1.1", None),
        ("MAC_ADDRESS", "nic 00:1a:2b:3c:4d:5e", "00:1a:2b:3c:4d:5e"),
        ("USA_SSN", "ssn 123-45-6789", "123-45-6789"),
        ("USA_SSN", "ssn 000-45-6789", None),
        ("USA_ITIN", "itin 912-70-1234", "912-70-1234"),
        ("PHONE_NUMBER", "call (555) 010-0100", "(555) 010-0100"),
    ],
)
def test_detect_sensitive_data_finds_pattern_entities_with_their_span(
    glue, frame, entity_type, text, found
):
    from localglue.awsglueml.transforms import EntityDetector

    out = EntityDetector().detect(frame([{"note": text}]), [entity_type], "DetectedEntities")
    (detected,) = rows(out, "DetectedEntities")[0]
    spans = [text[e["start"] : e["end"]] for e in detected.get("note", [])]
    assert spans == ([found] if found else [])


def test_detect_sensitive_data_classifies_columns_over_the_threshold_fraction(glue, frame):
    from localglue.awsglueml.transforms import EntityDetector

    src = frame(
        [{"email": f"u{i}@example.com" if i < 3 else "none", "note": "x"} for i in range(10)]
    )
    detector = EntityDetector()
    assert detector.classify_columns(src, ["EMAIL"], 1.0, 0.3, "HIGH") == {"email": ["EMAIL"]}
    assert detector.classify_columns(src, ["EMAIL"], 1.0, 0.5) == {}


@pytest.mark.parametrize("entity_type", ["PERSON_NAME", "USA_DRIVING_LICENSE"])
def test_detect_sensitive_data_refuses_types_aws_detects_with_a_model(glue, frame, entity_type):
    from localglue.awsglueml.transforms import EntityDetector

    with pytest.raises(Exception, match=f"{entity_type} cannot be detected locally"):
        EntityDetector().classify_columns(frame([{"n": "Ada Lovelace"}]), [entity_type], 1.0, 0.1)


def test_fill_missing_values_fills_a_new_column_and_says_the_values_differ_from_glue(
    glue, frame, capsys
):
    from localglue.awsglueml.transforms import FillMissingValues

    out = FillMissingValues.apply(
        frame([(1.0,), (None,), (3.0,)], "x double"), missing_values_column="x"
    )
    assert sorted(rows(out, "x", "x_filled"), key=repr) == sorted(
        [(1.0, 1.0), (None, 2.0), (3.0, 3.0)], key=repr
    )
    assert "differ" in capsys.readouterr().err


def test_find_matches_needs_a_transform_trained_on_aws(glue, frame):
    from localglue.awsglueml.transforms import FindMatches

    with pytest.raises(Exception, match="trained on AWS"):
        FindMatches.apply(frame=frame([{"a": 1}]), transformId="tfm-1")


@pytest.mark.parametrize(("quote_char", "expected"), [(-1, '"a'), ('"', "a,b")])
def test_csv_quote_char_minus_one_turns_quoting_off_as_detect_sensitive_data_exports_write_it(
    glue, lake, quote_char, expected
):
    folder = lake.root / BUCKET / "csv"
    folder.mkdir(parents=True)
    (folder / "q.csv").write_text('name,n\n"a,b",1\n')
    src = glue.create_dynamic_frame.from_options(
        format_options={"quoteChar": quote_char, "withHeader": True, "separator": ","},
        connection_type="s3",
        format="csv",
        connection_options={"paths": [f"s3://{BUCKET}/csv/"]},
    )
    assert rows(src, "name") == [(expected,)]
