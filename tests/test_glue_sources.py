"""GlueContext sources: S3 JSON/Parquet/CSV by path, and catalog tables by Location.

Pinned Glue behaviour (AWS Glue developer guide, "Format options for ETL inputs and
outputs" / "DynamicFrame class" / "GlueContext class"):
- from_options reads the files under `paths`; subfolders only with "recurse": True;
- JSON format_options "multiLine" and "jsonPath" pick the records;
- a record keeps only the keys it had (a missing key is absent, not null);
- every source keeps the data's own field names: a catalog read of JSON computes its schema
  from the records, not from the catalog's (lower-case) columns, which are used only when the
  Location holds no file. Evidence (learners' Athena scan sizes): docs/fidelity.md.
  Some learners' runs on AWS show lower-cased names instead; `--catalog-case lower`
  (localglue/catalog_case.py) reproduces them: every name lower-cased, each record still
  holding only the keys it had.
"""

from __future__ import annotations

import json

import pytest

BUCKET = "stedi-lake-house"


def put(lake, key: str, text: str):
    path = lake.root / BUCKET / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def lines(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def read_json(glue, prefix="landing/", recurse=True, **format_options):
    return glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={"paths": [f"s3://{BUCKET}/{prefix}"], "recurse": recurse},
        format_options=format_options,
        transformation_ctx="src",
    )


def test_json_records_keep_only_the_keys_they_had(glue, lake):
    put(lake, "landing/a.json", lines({"id": 1, "share": 5}, {"id": 2, "share": None}, {"id": 3}))
    frame = read_json(glue)
    records = sorted(frame.records(), key=lambda r: r["id"])
    assert records == [{"id": 1, "share": 5}, {"id": 2, "share": None}, {"id": 3}]
    assert "share" not in records[2]


def test_todf_hides_bookkeeping_columns_and_keeps_source_case(glue, lake):
    put(
        lake,
        "landing/a.json",
        lines({"customerName": "A", "shareWithResearchAsOfDate": 1}, {"customerName": "B"}),
    )
    df = read_json(glue).toDF()
    assert df.columns == ["customerName", "shareWithResearchAsOfDate"]
    assert df.count() == 2


def test_field_order_follows_the_records_not_the_alphabet(glue, lake):
    put(lake, "landing/a.json", lines({"zeta": 1, "alpha": 2, "mid": 3}))
    assert read_json(glue).toDF().columns == ["zeta", "alpha", "mid"]


@pytest.mark.parametrize(("recurse", "expected"), [(True, 2), (False, 1)])
def test_recurse_controls_whether_subfolders_are_read(glue, lake, recurse, expected):
    put(lake, "landing/top.json", lines({"id": 1}))
    put(lake, "landing/sub/deeper.json", lines({"id": 2}))
    assert read_json(glue, recurse=recurse).count() == expected


@pytest.mark.parametrize("multiline", ["true", True])
def test_multiline_json_reads_one_document_or_an_array_per_file(glue, lake, multiline):
    put(lake, "landing/one.json", '{\n  "id": 1,\n  "name": "x"\n}\n')
    put(lake, "landing/many.json", '[\n {"id": 2},\n {"id": 3, "name": null}\n]\n')
    frame = read_json(glue, multiLine=multiline)
    assert sorted(map(json.dumps, frame.records())) == sorted(
        map(json.dumps, [{"id": 1, "name": "x"}, {"id": 2}, {"id": 3, "name": None}])
    )


@pytest.mark.parametrize(
    "text",
    [
        '{"id": 1}\n{"id": 2}\n{"id": 3}\n',  # JSON lines, as Glue's own JSON sinks write
        '{\n  "id": 1\n}\n{\n  "id": 2\n}{"id": 3}',  # pretty-printed, one after another
    ],
    ids=["json-lines", "pretty-printed"],
)
def test_multiline_lets_a_record_span_lines_and_a_file_still_holds_every_record(glue, lake, text):
    """Glue's `multiline` option: "whether a single record can span multiple lines"; it does
    not make a file one record (a public learner job reads a JSON sink's output so and
    Athena shows every row)."""
    put(lake, "landing/many.json", text)
    frame = read_json(glue, multiLine="true")
    assert sorted(r["id"] for r in frame.records()) == [1, 2, 3]


def test_json_path_selects_records_nested_in_an_outer_object(glue, lake):
    put(lake, "landing/wrapped.json", '{"meta": 1, "records": [{"id": 1}, {"id": 2}]}\n')
    frame = read_json(glue, multiLine="true", jsonPath="$.records[*]")
    assert sorted(r["id"] for r in frame.records()) == [1, 2]


def test_missing_prefix_reads_as_an_empty_frame(glue):
    frame = read_json(glue, prefix="nothing/here/")
    assert frame.count() == 0


def test_malformed_lines_are_not_records(glue, lake):
    put(lake, "landing/a.json", lines({"id": 1}, "this is not json", {"id": 2}))
    assert sorted(r["id"] for r in read_json(glue).records()) == [1, 2]


def test_parquet_and_csv_sources(glue, lake, spark):
    spark.createDataFrame([(1, "a"), (2, "b")], "id long, Name string").write.parquet(
        str(lake.root / BUCKET / "pq")
    )
    put(lake, "csv/a.csv", "id,Name\n1,a\n2,b\n")
    pq = glue.create_dynamic_frame.from_options(
        connection_type="s3", format="parquet", connection_options={"paths": [f"s3://{BUCKET}/pq/"]}
    )
    csv = glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="csv",
        connection_options={"paths": [f"s3://{BUCKET}/csv/"]},
        format_options={"withHeader": True, "separator": ","},
    )
    for frame in (pq, csv):
        assert frame.toDF().columns == ["id", "Name"]
        assert sorted(r["Name"] for r in frame.records()) == ["a", "b"]


def _catalog_table(lake, name, fmt, **parameters):
    """A catalog table whose columns are lower-case, as the Data Catalog stores them."""
    from localglue.catalog import Catalog, make_table_input

    location = f"s3://{BUCKET}/tables/{name}/"
    columns = [("serialnumber", "string"), ("sharewithresearchasofdate", "bigint")]
    table = make_table_input(name, location, columns, fmt, parameters=parameters)
    Catalog(lake).upsert_table("stedi", table)
    return lake.local_path(location)


def test_from_catalog_json_keeps_the_datas_own_field_names(glue, lake):
    _catalog_table(lake, "customers", "json")
    put(
        lake,
        "tables/customers/a.json",
        lines({"serialNumber": "s1", "shareWithResearchAsOfDate": 5}, {"serialNumber": "s2"}),
    )
    frame = glue.create_dynamic_frame.from_catalog(
        database="stedi", table_name="customers", transformation_ctx="cat"
    )
    assert frame.toDF().columns == ["serialNumber", "shareWithResearchAsOfDate"]
    assert {"serialNumber": "s2"} in frame.records()  # key presence as read


@pytest.mark.parametrize(
    ("case", "names"),
    [
        ("data", ["serialNumber", "shareWithResearchAsOfDate"]),
        ("lower", ["serialnumber", "sharewithresearchasofdate"]),
    ],
)
def test_from_catalog_names_fields_as_the_catalog_case_says(glue, lake, case, names):
    """`--catalog-case lower`: the names lower-cased; a record still holds only its own keys
    (a non-consenting customer without the consent key stays without it)."""
    from localglue.catalog_case import chosen

    _catalog_table(lake, "customers", "json")
    put(
        lake,
        "tables/customers/a.json",
        lines({"serialNumber": "s1", "shareWithResearchAsOfDate": 5}, {"serialNumber": "s2"}),
    )
    with chosen(case):
        frame = glue.create_dynamic_frame.from_catalog(database="stedi", table_name="customers")
    assert frame.toDF().columns == names
    assert {names[0]: "s2"} in frame.records()


def test_catalog_case_lower_leaves_s3_reads_as_the_files_name_them(glue, lake):
    from localglue.catalog_case import chosen

    put(lake, "landing/a.json", lines({"serialNumber": "s1"}))
    with chosen("lower"):
        assert read_json(glue).toDF().columns == ["serialNumber"]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_from_catalog_parquet_and_csv_keep_the_files_own_field_names(glue, lake, spark, fmt):
    local = _catalog_table(lake, f"t_{fmt}", fmt, **{"skip.header.line.count": "1"})
    data = spark.createDataFrame(
        [("s1", 5), ("s2", None)], "serialNumber string, shareWithResearchAsOfDate long"
    )
    if fmt == "parquet":
        data.write.parquet(local)
    else:
        data.write.option("header", True).csv(local)
    frame = glue.create_dynamic_frame.from_catalog(database="stedi", table_name=f"t_{fmt}")
    assert frame.toDF().columns == ["serialNumber", "shareWithResearchAsOfDate"]
    assert frame.count() == 2


def test_json_keys_that_differ_only_in_case_are_two_fields(glue, lake):
    put(
        lake,
        "two_cases/a.json",
        lines({"serialNumber": "s1", "serialnumber": "S1"}, {"serialNumber": "s2"}),
    )
    frame = glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={"paths": [f"s3://{BUCKET}/two_cases/"]},
    )
    assert frame.toDF().columns == ["serialNumber", "serialnumber"]
    assert frame.records() == [{"serialNumber": "s1", "serialnumber": "S1"}, {"serialNumber": "s2"}]


def test_catalog_read_of_an_empty_location_has_the_catalog_columns(glue, lake):
    from localglue.catalog import Catalog, make_table_input

    Catalog(lake).upsert_table(
        "stedi",
        make_table_input(
            "empty", f"s3://{BUCKET}/empty/", [("a", "bigint"), ("b", "string")], "parquet"
        ),
    )
    frame = glue.create_dynamic_frame.from_catalog(database="stedi", table_name="empty")
    assert frame.toDF().columns == ["a", "b"] and frame.count() == 0


def test_source_files_pass_through_bookmarks(glue, lake, monkeypatch):
    """Sources ask localglue.bookmarks.select_files which files they may read."""
    from localglue import bookmarks

    put(lake, "landing/old.json", lines({"id": 1}))
    put(lake, "landing/new.json", lines({"id": 2}))
    seen = {}

    def select(ctx, files):
        seen[ctx] = list(files)
        return [f for f in files if f.endswith("new.json")]

    monkeypatch.setattr(bookmarks, "select_files", select)
    frame = read_json(glue)
    assert [r["id"] for r in frame.records()] == [2]
    assert len(seen["src"]) == 2


def test_blank_and_non_object_lines_are_not_records(glue, lake):
    put(lake, "landing/a.json", lines({"id": 1}, "", "   ", "42", '"text"', '  {"id": 2}'))
    assert sorted(r["id"] for r in read_json(glue).records()) == [1, 2]


@pytest.mark.parametrize(
    ("pattern", "kept"),
    [
        ("**.csv", ["a.json", "sub/b.json"]),  # the guide's "**.pdf" form, on any level
        ("s3://stedi-lake-house/landing/sub/**", ["a.json", "c.csv"]),  # a full S3 key
        ("*.csv", ["a.json", "sub/b.json", "sub/d.csv"]),  # `*` stays in one folder
        ("sub/*", ["a.json", "c.csv"]),
        ("{*.csv,sub/b.*}", ["a.json", "sub/d.csv"]),
        ("[ab].json", ["c.csv", "sub/b.json", "sub/d.csv"]),
    ],
)
def test_exclusions_are_glue_globs_matched_against_s3_keys(glue, lake, pattern, kept):
    """`exclusions` (a JSON list of Unix-style globs) name S3 objects: the full s3:// key or
    the key under the path read, with Glue's glob syntax; never the local file path."""
    for key in ("landing/a.json", "landing/c.csv", "landing/sub/b.json", "landing/sub/d.csv"):
        put(lake, key, lines({"k": key}))
    frame = glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={
            "paths": [f"s3://{BUCKET}/landing/"],
            "recurse": True,
            "exclusions": json.dumps([pattern]),
        },
    )
    got = sorted(r["k"].removeprefix("landing/") for r in frame.toDF().collect())
    assert got == sorted(kept)


def test_exclusions_never_match_the_local_path_of_the_lake(glue, lake):
    put(lake, "landing/a.json", lines({"k": 1}))
    local_pattern = str(lake.root) + "/**"
    frame = glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={"paths": [f"s3://{BUCKET}/landing/"], "exclusions": [local_pattern]},
    )
    assert frame.count() == 1
