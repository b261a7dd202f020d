"""Join, DropFields, SelectFields, RenameField, ApplyMapping and Union, as on Glue.

Pinned Glue behaviour (AWS Glue developer guide, "Join class", "DropFields class",
"ApplyMapping class", "RenameField class", DynamicFrame.union):
- Join is an inner equality join that keeps BOTH key columns; a frame2 field whose
  name frame1 already has comes out as `.name`, so Glue Studio's generated
  DropFields(paths=["`.serialNumber`"]) works;
- names holding dots are back-ticked in paths;
- ApplyMapping returns ONLY the mapped fields, cast to the target types;
- DropFields, SelectFields and RenameField match names case-sensitively; ApplyMapping
  does not (tests/test_glue_fidelity.py pins the catalog-frame case); Join keys name fields
  exactly too (a DynamicRecord is case-sensitive);
- Union matches fields by name; a field one side lacks is absent in its records.
"""

from __future__ import annotations

import json

import pytest

BUCKET = "stedi-lake-house"


@pytest.fixture
def step_and_customers(put_json):
    steps = put_json(
        "step",
        {"sensorReadingTime": 1, "serialNumber": "s1", "distanceFromObject": 200},
        {"sensorReadingTime": 2, "serialNumber": "s2", "distanceFromObject": 210},
        {"sensorReadingTime": 3, "serialNumber": "nobody", "distanceFromObject": 220},
    )
    customers = put_json(
        "cust",
        {"serialNumber": "s1", "email": "a@x", "shareWithResearchAsOfDate": 5},
        {"serialNumber": "s2", "email": "b@x"},
    )
    return steps, customers


def test_join_keeps_both_keys_and_dot_prefixes_frame2_duplicates(step_and_customers):
    from localglue.awsglue.transforms import Join

    steps, customers = step_and_customers
    joined = Join.apply(
        frame1=steps, frame2=customers, keys1=["serialNumber"], keys2=["serialNumber"]
    )
    assert joined.toDF().columns == [
        "sensorReadingTime",
        "serialNumber",
        "distanceFromObject",
        ".serialNumber",
        "email",
        "shareWithResearchAsOfDate",
    ]
    assert joined.count() == 2  # inner: "nobody" has no customer


def test_a_join_of_a_join_output_keeps_one_field_per_name(step_and_customers, put_json):
    """frame2 came out of a join on a shared key, so it holds `serialNumber` and
    `.serialNumber`; joined to a frame that also has `serialNumber`, its own `serialNumber`
    becomes `.serialNumber` too. A record holds one field per name: the renamed one is kept
    (a public learner's machine-learning job joins such frames; it stopped here before)."""
    from localglue.awsglue.transforms import Join

    steps, customers = step_and_customers
    trusted = Join.apply(
        frame1=customers, frame2=steps, keys1=["serialNumber"], keys2=["serialNumber"]
    )
    readings = put_json(
        "acc",
        {"timestamp": 1, "user": "a@x", "serialNumber": "s1"},
        {"timestamp": 2, "user": "b@x", "serialNumber": "s2"},
    )
    ml = Join.apply(
        frame1=readings, frame2=trusted, keys1=["timestamp"], keys2=["sensorReadingTime"]
    )
    columns = ml.toDF().columns
    assert columns.count(".serialNumber") == 1 and columns.count("serialNumber") == 1
    assert sorted(r[".serialNumber"] for r in ml.records()) == ["s1", "s2"]


def test_generated_dropfields_removes_the_dotted_join_duplicate(step_and_customers):
    from localglue.awsglue.transforms import DropFields, Join

    steps, customers = step_and_customers
    joined = Join.apply(
        frame1=steps, frame2=customers, keys1=["serialNumber"], keys2=["serialNumber"]
    )
    dropped = DropFields.apply(
        frame=joined, paths=["`.serialNumber`", "email", "shareWithResearchAsOfDate"]
    )
    assert dropped.toDF().columns == ["sensorReadingTime", "serialNumber", "distanceFromObject"]


@pytest.mark.parametrize(
    ("keys1", "keys2", "wrong"),
    [(["serialnumber"], ["serialNumber"], "keys1"), (["serialNumber"], ["SERIALNUMBER"], "keys2")],
)
def test_join_keys_name_fields_exactly(step_and_customers, keys1, keys2, wrong):
    from localglue.errors import LakehouseError

    steps, customers = step_and_customers
    with pytest.raises(LakehouseError, match=f"{wrong} .*did you mean 'serialNumber'"):
        steps.join(keys1, keys2, customers)


def test_join_keeps_key_presence_from_both_sides(step_and_customers):
    steps, customers = step_and_customers
    joined = steps.join(["serialNumber"], ["serialNumber"], customers)
    kept = joined.filter(lambda r: r["shareWithResearchAsOfDate"] is not None or True)
    assert {r["serialNumber"] for r in kept.records()} == {"s1"}


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["email"], ["serialNumber", "shareWithResearchAsOfDate"]),
        (["`email`", "nope"], ["serialNumber", "shareWithResearchAsOfDate"]),
        # "The DropFields transform is case sensitive" (Glue developer guide)
        (["EMAIL"], ["serialNumber", "email", "shareWithResearchAsOfDate"]),
    ],
)
def test_drop_fields_drops_exact_names_only(step_and_customers, paths, expected):
    _, customers = step_and_customers
    assert customers.drop_fields(paths).toDF().columns == expected


def test_select_fields_keeps_only_the_named_fields_in_their_order(step_and_customers):
    from localglue.awsglue.transforms import SelectFields

    _, customers = step_and_customers
    out = SelectFields.apply(frame=customers, paths=["email", "serialNumber"])
    assert out.toDF().columns == ["email", "serialNumber"]
    assert {"serialNumber": "s2", "email": "b@x"} in out.records()


def test_nested_paths_in_select_and_drop(glue, put_json):
    frame = put_json("nested", {"id": 1, "a": {"b": 1, "c": 2}, "x.y": 3})
    assert frame.select_fields(["a.b"]).records() == [{"a": {"b": 1}}]
    assert frame.drop_fields(["a.c", "`x.y`"]).records() == [{"id": 1, "a": {"b": 1}}]


def test_rename_field_carries_key_presence(step_and_customers):
    from localglue.awsglue.transforms import RenameField

    _, customers = step_and_customers
    out = RenameField.apply(
        frame=customers, old_name="shareWithResearchAsOfDate", new_name="consent"
    )
    assert out.toDF().columns == ["serialNumber", "email", "consent"]
    assert out.filter(lambda r: r["consent"] == 5 or True).count() == 1  # b@x lacks the key


def test_apply_mapping_returns_only_mapped_fields_cast_to_target_types(step_and_customers):
    from localglue.awsglue.transforms import ApplyMapping, Join

    steps, customers = step_and_customers
    joined = Join.apply(
        frame1=steps, frame2=customers, keys1=["serialNumber"], keys2=["serialNumber"]
    )
    out = ApplyMapping.apply(
        frame=joined,
        mappings=[
            ("sensorReadingTime", "long", "sensorreadingtime", "string"),
            ("`.serialNumber`", "string", "right_serial", "string"),
            ("distanceFromObject", "long", "distance", "double"),
        ],
        transformation_ctx="mapping",
    )
    df = out.toDF()
    assert df.columns == ["sensorreadingtime", "right_serial", "distance"]
    assert dict(df.dtypes) == {
        "sensorreadingtime": "string",
        "right_serial": "string",
        "distance": "double",
    }
    assert sorted(r["right_serial"] for r in out.records()) == ["s1", "s2"]


def test_apply_mapping_to_nested_target_and_missing_source(step_and_customers):
    _, customers = step_and_customers
    out = customers.apply_mapping(
        [
            ("email", "string", "contact.email", "string"),
            ("shareWithResearchAsOfDate", "long", "consent", "long"),
            ("ghost", "string", "ghost", "string"),
        ]
    )
    records = {r["contact"]["email"]: r for r in out.records()}
    assert records["a@x"] == {"contact": {"email": "a@x"}, "consent": 5}
    assert records["b@x"] == {"contact": {"email": "b@x"}}  # absent source -> absent target


@pytest.mark.parametrize("use_transform", [True, False])
def test_union_matches_fields_by_name_and_missing_fields_are_absent(put_json, use_transform):
    from localglue.awsglue.transforms import Union

    a = put_json("ua", {"id": 1, "email": "a@x"})
    b = put_json("ub", {"email": "b@x", "extra": True})
    out = Union.apply(frame1=a, frame2=b) if use_transform else a.union(b)
    assert out.toDF().columns == ["id", "email", "extra"]
    assert sorted(out.toJSON()) == sorted(
        [json.dumps({"id": 1, "email": "a@x"}), json.dumps({"email": "b@x", "extra": True})]
    )
    assert out.filter(lambda r: r["extra"] is None).count() == 0  # absent, not null


def test_collection_and_select_from_collection(step_and_customers, glue):
    from localglue.awsglue import DynamicFrameCollection
    from localglue.awsglue.transforms import SelectFromCollection

    steps, customers = step_and_customers
    dfc = DynamicFrameCollection({"steps": steps, "customers": customers}, glue)
    assert SelectFromCollection.apply(dfc=dfc, key=list(dfc.keys())[1]) is customers
    assert dfc.select("missing").count() == 0
    assert len(dfc.map(lambda f, ctx: f.drop_fields(["serialNumber"]))) == 2


def test_drop_null_fields_drops_json_fields_no_record_holds_a_value_for(put_json):
    """A JSON frame's schema comes from its records: a field null or absent in every record
    is NullType on Glue, and DropNullFields drops it, inside structs too."""
    from localglue.awsglue.transforms import DropNullFields

    frame = put_json(
        "nulls",
        {"id": 1, "empty": None, "some": None, "device": {"serial": "s1", "model": None}},
        {"id": 2, "some": 3, "device": {"serial": "s2"}},
    )
    out = DropNullFields.apply(frame=frame)
    assert out.toDF().columns == ["id", "some", "device"]
    assert out.toDF().schema["device"].dataType.fieldNames() == ["serial"]


def test_drop_null_fields_keeps_a_typed_column_that_is_null_in_every_row(glue, spark):
    """Glue drops fields whose TYPE is null (aws-glue-libs DropNullFields walks the schema
    for NullType); a typed column from a SQL node or Parquet keeps its type, all nulls or not."""
    from localglue.awsglue import DynamicFrame
    from localglue.awsglue.transforms import DropNullFields

    df = spark.sql(
        "SELECT 1 AS id, CAST(NULL AS STRING) AS typed, NULL AS untyped,"
        " named_struct('a', 1, 'gone', NULL) AS s,"
        " array(named_struct('b', 2, 'gone', NULL)) AS items, array(NULL) AS kept_array"
    )
    out = DropNullFields.apply(frame=DynamicFrame.fromDF(df, glue, "sql"))
    schema = out.toDF().schema
    assert schema.fieldNames() == ["id", "typed", "s", "items", "kept_array"]
    assert schema["s"].dataType.fieldNames() == ["a"]
    assert schema["items"].dataType.elementType.fieldNames() == ["b"]


def test_drop_null_fields_after_a_join_drops_only_the_json_side(put_json, glue, spark):
    from localglue.awsglue import DynamicFrame
    from localglue.awsglue.transforms import DropNullFields, Join

    readings = put_json("readings", {"user": "a@x", "note": None}, {"user": "b@x"})
    customers = DynamicFrame.fromDF(
        spark.sql("SELECT 'a@x' AS email, CAST(NULL AS BIGINT) AS consent"), glue, "cust"
    )
    joined = Join.apply(frame1=readings, frame2=customers, keys1=["user"], keys2=["email"])
    assert DropNullFields.apply(frame=joined).toDF().columns == ["user", "email", "consent"]


def test_repartition_and_coalesce_keep_records(step_and_customers):
    steps, _ = step_and_customers
    assert steps.repartition(3).getNumPartitions() == 3
    assert steps.coalesce(1).count() == 3


def test_join_of_a_frame_with_a_frame_derived_from_it(step_and_customers):
    """Both sides share lineage (a self-join); the condition must still compare the two sides."""
    steps, _ = step_and_customers
    renamed = steps.rename_field("sensorReadingTime", "t2").select_fields(["t2", "serialNumber"])
    joined = steps.join(["sensorReadingTime"], ["t2"], renamed)
    assert joined.count() == 3
    assert joined.toDF().columns[-2:] == ["t2", ".serialNumber"]


def test_join_on_a_nested_key_path_compares_the_nested_field(put_json):
    """Join keys are field paths: `device.serial` joins on that nested field, not the whole
    `device` struct (whose other members differ)."""
    from localglue.awsglue.transforms import Join

    readings = put_json(
        "nested_readings",
        {"t": 1, "device": {"serial": "s1", "firmware": "1.0"}},
        {"t": 2, "device": {"serial": "s2", "firmware": "2.0"}},
    )
    owners = put_json(
        "nested_owners",
        {"email": "a@x", "device": {"serial": "s1", "bought": 2020}},
        {"email": "b@x", "device": {"serial": "s9", "bought": 2021}},
    )
    joined = Join.apply(
        frame1=readings, frame2=owners, keys1=["device.serial"], keys2=["device.serial"]
    )
    rows = joined.toDF().collect()
    assert [(r["t"], r["email"]) for r in rows] == [(1, "a@x")]
    assert joined.toDF().columns == ["t", "device", "email", ".device"]


@pytest.mark.parametrize(
    ("case_sensitive", "expected"),
    [(False, ("s1", 7)), (True, (None, None))],
)
def test_apply_mapping_matches_nested_source_paths_ignoring_case_unless_case_sensitive(
    put_json, case_sensitive, expected
):
    """ApplyMapping's case_sensitive=False (the default) covers every level of a source
    path: `Device.SerialNumber` finds `device.serialNumber`."""
    frame = put_json("mapped", {"device": {"serialNumber": "s1", "Stats": {"steps": 7}}})
    mapped = frame.apply_mapping(
        [
            ("Device.SERIALNUMBER", "string", "serial", "string"),
            ("device.stats.STEPS", "long", "steps", "long"),
        ],
        case_sensitive=case_sensitive,
    )
    [row] = mapped.toDF().collect()
    assert (row["serial"], row["steps"]) == expected
