"""Choice types: a JSON field with values of several types, and resolveChoice.

Pinned Glue behaviour (AWS Glue developer guide, "ResolveChoice class" and
DynamicFrame.resolveChoice): a field that is a string in some records and a number
in others (or a whole number in some and a fraction in others) is a `choice`;
resolveChoice resolves it with cast:TYPE, project:TYPE (keep only values of TYPE),
make_cols (columns field_TYPE), make_struct (a struct of the types) or
match_catalog (cast to the catalog table's type).
"""

from __future__ import annotations

import json

import pytest

BUCKET = "stedi-lake-house"


@pytest.fixture
def customers(glue, lake):
    """Older STEDI exports: phone as a number, dates as floats; newer: strings and longs."""
    folder = lake.root / BUCKET / "customer" / "landing"
    folder.mkdir(parents=True)
    (folder / "new.json").write_text(
        json.dumps({"email": "a@x", "phone": "8015551212", "registrationDate": 1655564376361})
        + "\n"
    )
    (folder / "old.json").write_text(
        json.dumps({"email": "b@x", "phone": 8015551213, "registrationDate": 1655564376362.5})
        + "\n"
        + json.dumps({"email": "c@x", "registrationDate": None})
        + "\n"
    )
    return glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={"paths": [f"s3://{BUCKET}/customer/landing/"]},
    )


def test_mixed_types_print_as_choice(customers, capsys):
    customers.printSchema()
    out = capsys.readouterr().out
    assert "|-- phone: choice\n|    |-- long\n|    |-- string\n" in out
    assert "|-- registrationDate: choice\n|    |-- double\n|    |-- long\n" in out
    assert "|-- email: string" in out


def test_single_typed_fields_are_not_choices(customers):
    from localglue import gluetypes

    schema = customers.schema().field_map()
    assert isinstance(schema["phone"].dataType, gluetypes.ChoiceType)
    assert isinstance(schema["email"].dataType, gluetypes.StringType)


def test_records_keep_each_values_own_type(customers):
    by_email = {r["email"]: r for r in customers.records()}
    assert by_email["a@x"]["phone"] == "8015551212"
    assert by_email["b@x"]["phone"] == 8015551213
    assert by_email["a@x"]["registrationDate"] == 1655564376361


def test_todf_shows_an_unresolved_choice_as_a_struct_of_its_types(customers):
    df = customers.toDF()
    assert df.schema["phone"].dataType.simpleString() == "struct<long:bigint,string:string>"
    rows = {r["email"]: r["phone"] for r in df.collect()}
    assert rows["a@x"]["string"] == "8015551212" and rows["a@x"]["long"] is None
    assert rows["b@x"]["long"] == 8015551213


@pytest.mark.parametrize(
    ("spec", "columns", "expected"),
    [
        ("cast:long", ["phone"], {"a@x": 8015551212, "b@x": 8015551213, "c@x": None}),
        ("cast:string", ["phone"], {"a@x": "8015551212", "b@x": "8015551213", "c@x": None}),
        ("project:string", ["phone"], {"a@x": "8015551212", "b@x": None, "c@x": None}),
        ("project:long", ["phone"], {"a@x": None, "b@x": 8015551213, "c@x": None}),
    ],
)
def test_resolve_choice_cast_and_project(customers, spec, columns, expected):
    out = customers.resolveChoice(specs=[("phone", spec)])
    df = out.toDF()
    assert {r["email"]: r["phone"] for r in df.collect()} == expected
    assert "phone" not in {f.name for f in out.schema() if f.dataType.typeName() == "choice"}


def test_resolve_choice_make_cols_splits_by_type(customers):
    from localglue.awsglue.transforms import ResolveChoice

    out = ResolveChoice.apply(
        frame=customers, specs=[("phone", "make_cols")], transformation_ctx="rc"
    )
    assert out.toDF().columns == ["email", "phone_long", "phone_string", "registrationDate"]
    by_email = {r["email"]: r for r in out.records()}
    assert by_email["a@x"]["phone_string"] == "8015551212" and "phone_long" not in by_email["a@x"]
    assert by_email["b@x"]["phone_long"] == 8015551213 and "phone_string" not in by_email["b@x"]


def test_resolve_choice_make_struct(customers):
    out = customers.resolveChoice(specs=[("phone", "make_struct")])
    assert out.toDF().schema["phone"].dataType.simpleString() == "struct<long:bigint,string:string>"


def test_choice_argument_resolves_every_choice_field(customers):
    out = customers.resolveChoice(choice="cast:string")
    assert dict(out.toDF().dtypes) == {
        "email": "string",
        "phone": "string",
        "registrationDate": "string",
    }


def test_match_catalog_casts_to_the_catalog_types(customers, lake):
    from localglue.catalog import Catalog, make_table_input

    Catalog(lake).upsert_table(
        "stedi",
        make_table_input(
            "customer_landing",
            f"s3://{BUCKET}/customer/landing/",
            [("email", "string"), ("phone", "string"), ("registrationdate", "bigint")],
            "json",
        ),
    )
    out = customers.resolveChoice(
        choice="match_catalog", database="stedi", table_name="customer_landing"
    )
    assert dict(out.toDF().dtypes) == {
        "email": "string",
        "phone": "string",
        "registrationDate": "bigint",
    }


def test_cast_spec_on_a_plain_field_is_a_cast(customers):
    out = customers.resolveChoice(specs=[("email", "cast:string"), ("phone", "cast:long")])
    assert dict(out.toDF().dtypes)["phone"] == "bigint"


@pytest.mark.parametrize(("specs", "choice"), [(None, ""), ([("phone", "cast:long")], "cast:long")])
def test_resolve_choice_needs_exactly_one_of_specs_and_choice(customers, specs, choice):
    from localglue.errors import LakehouseError

    with pytest.raises(LakehouseError, match="specs and choice"):
        customers.resolveChoice(specs=specs, choice=choice)


def test_choice_survives_a_union_with_a_frame_made_from_a_dataframe(customers, glue, spark):
    from localglue.awsglue import DynamicFrame

    other = DynamicFrame.fromDF(
        spark.createDataFrame([("d@x", "555")], "email string, phone string"), glue, "o"
    )
    both = customers.union(other)
    assert both.schema().field_map()["phone"].dataType.typeName() == "choice"
    assert {r["email"]: r.get("phone") for r in both.records()}["d@x"] == "555"


def test_a_number_under_the_same_key_nested_elsewhere_is_not_a_choice(glue, lake):
    """Choices are detected on top-level fields; a nested key with the same name is not one."""
    folder = lake.root / BUCKET / "nested"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text(
        json.dumps({"meta": {"phone": 5, "x": 1}, "phone": "801", "x": 1.5})
        + "\n"
        + json.dumps({"phone": "802", "x": 2.5})
        + "\n"
    )
    frame = glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={"paths": [f"s3://{BUCKET}/nested/"]},
    )
    assert frame._choices == {}
    assert {r["phone"] for r in frame.records()} == {"801", "802"}
