"""Catalog tables as a Glue crawler (JSON classifier) and as Athena DDL would create them."""

import json

import pytest

from lakehouse.cli import main
from localglue.catalog import Catalog, table_columns, table_format, table_location
from localglue.crawler import crawl_json, hive_type_of, table_input_from_ddl
from localglue.errors import LakehouseError


@pytest.mark.parametrize(
    ("value", "hive"),
    [
        (True, "boolean"),
        (7, "bigint"),
        (1655564376361.0, "double"),
        ("x", "string"),
        ([1, 2.5], "array<double>"),
        ([], "array<string>"),
        ({"X": 1, "y": {"Z": "s"}}, "struct<x:bigint,y:struct<z:string>>"),
        (None, None),
    ],
)
def test_json_values_get_hive_types(value, hive):
    assert hive_type_of(value) == hive


def _write(folder, name, rows):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows))


@pytest.fixture
def landing(tmp_path):
    folder = tmp_path / "landing"
    _write(
        folder,
        "customer-1.json",
        [
            {"customerName": "A", "phone": 5551234, "shareWithResearchAsOfDate": None},
            {"customerName": "B", "phone": "555-1234", "birthDay": "1990-01-01"},
        ],
    )
    _write(folder / "region=eu", "customer-2.json", [{"customerName": "C", "lastUpdateDate": 1.5}])
    return folder


def test_crawl_json_builds_the_union_schema_with_crawler_parameters(landing):
    table = crawl_json(landing, "s3://stedi-lake-house/customer/landing/", "customer_landing")
    assert table["Name"] == "customer_landing"
    assert table_columns(table) == [
        ("customername", "string"),
        ("phone", "string"),  # number in one file, string in another: string
        ("sharewithresearchasofdate", "string"),  # only nulls seen
        ("birthday", "string"),
        ("lastupdatedate", "double"),
        ("region", "string"),  # k=v folder: a partition key
    ]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["region"]
    sd = table["StorageDescriptor"]
    assert sd["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
    assert sd["InputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    assert table_location(table) == "s3://stedi-lake-house/customer/landing/"
    params = table["Parameters"]
    assert params["classification"] == "json"
    assert params["compressionType"] == "none"
    assert params["typeOfData"] == "file"
    assert params["recordCount"] == "3"
    assert params["objectCount"] == "2"
    size = sum(p.stat().st_size for p in landing.rglob("*.json"))
    assert params["sizeKey"] == str(size)
    assert params["averageRecordSize"] == str(size // 3)
    assert "UPDATED_BY_CRAWLER" in params
    assert table_format(table) == "json"


def test_crawled_table_is_a_valid_botocore_table_input_in_first_seen_order(landing):
    """The TableInput a Glue JSON crawler gives (classification json, OpenX SerDe with
    `paths`, the crawler's parameters on the table and its StorageDescriptor, columns in the
    order keys are first seen), valid against botocore's CreateTable model."""
    from botocore.session import get_session
    from botocore.validate import ParamValidator

    table = crawl_json(landing, "s3://stedi-lake-house/customer/landing/", "customer_landing")
    shape = get_session().get_service_model("glue").operation_model("CreateTable").input_shape
    request = {"DatabaseName": "stedi", "TableInput": table}
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()
    sd = table["StorageDescriptor"]
    assert sd["SerdeInfo"]["Parameters"]["paths"].split(",") == sorted(
        ["customerName", "phone", "shareWithResearchAsOfDate", "birthDay", "lastUpdateDate"]
    )
    assert sd["Parameters"] == table["Parameters"]
    assert table["TableType"] == "EXTERNAL_TABLE"
    names = [c["Name"] for c in sd["Columns"]]
    assert names == [
        "customername",
        "phone",
        "sharewithresearchasofdate",
        "birthday",
        "lastupdatedate",
    ]


def test_crawl_rejects_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(LakehouseError, match="no data files"):
        crawl_json(tmp_path / "empty", "s3://b/empty/", "empty")


DDL = """
CREATE EXTERNAL TABLE IF NOT EXISTS `stedi`.`customer_landing` (
  `customerName` string,
  `serialNumber` string,
  `registrationDate` bigint,
  `shareWithResearchAsOfDate` bigint,
  `tags` array<string>,
  `address` struct<city:string,zip:int>
)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES (
  'ignore.malformed.json' = 'FALSE',
  'dots.in.keys' = 'FALSE',
  'case.insensitive' = 'TRUE',
  'mapping' = 'TRUE'
)
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://stedi-lake-house/customer/landing/'
TBLPROPERTIES ('classification' = 'json');
"""


def test_athena_ddl_becomes_the_table_athena_registers():
    database, table = table_input_from_ddl(DDL)
    assert database == "stedi"
    assert table["Name"] == "customer_landing"
    assert table_columns(table) == [
        ("customername", "string"),
        ("serialnumber", "string"),
        ("registrationdate", "bigint"),
        ("sharewithresearchasofdate", "bigint"),
        ("tags", "array<string>"),
        ("address", "struct<city:string,zip:int>"),
    ]
    sd = table["StorageDescriptor"]
    assert sd["SerdeInfo"] == {
        "SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe",
        "Parameters": {
            "ignore.malformed.json": "FALSE",
            "dots.in.keys": "FALSE",
            "case.insensitive": "TRUE",
            "mapping": "TRUE",
        },
    }
    assert sd["OutputFormat"] == "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    assert table["Parameters"] == {"EXTERNAL": "TRUE", "classification": "json"}
    assert table["TableType"] == "EXTERNAL_TABLE"
    assert table_format(table) == "json"


@pytest.mark.parametrize(
    ("ddl", "fmt", "partitions"),
    [
        (
            "CREATE EXTERNAL TABLE t (a string) PARTITIONED BY (dt string) STORED AS PARQUET "
            "LOCATION 's3://b/t/'",
            "parquet",
            ["dt"],
        ),
        (
            "CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE "
            "'org.apache.hive.hcatalog.data.JsonSerDe' LOCATION 's3://b/t/'",
            "json",
            [],
        ),
    ],
)
def test_ddl_variants(ddl, fmt, partitions):
    database, table = table_input_from_ddl(ddl)
    assert database is None
    assert table_format(table) == fmt
    assert [k["Name"] for k in table["PartitionKeys"]] == partitions


@pytest.mark.parametrize(
    ("ddl", "match"),
    [
        ("CREATE EXTERNAL TABLE t (a string)", "LOCATION"),
        ("SELECT 1", "exactly one CREATE"),
        ("CREATE EXTERNAL TABLE t (a string LOCATION", "does not parse"),
    ],
)
def test_bad_ddl_is_a_clear_error(ddl, match):
    with pytest.raises(LakehouseError, match=match):
        table_input_from_ddl(ddl)


def test_cli_crawl_registers_an_s3_folder_and_a_ddl_file(lake, tmp_path, capsys):
    _write(
        lake.root / "stedi-lake-house" / "accelerometer" / "landing",
        "a.json",
        [{"user": "u", "x": 1.0}],
    )
    code = main(
        [
            "crawl",
            "s3://stedi-lake-house/accelerometer/landing/",
            "--database",
            "stedi",
            "--table",
            "accelerometer_landing",
            "--lake",
            str(lake.root),
        ]
    )
    assert code == 0
    assert "stedi.accelerometer_landing: 2 columns, json" in capsys.readouterr().out
    crawled = Catalog(lake).get_table("stedi", "accelerometer_landing")
    assert table_location(crawled) == "s3://stedi-lake-house/accelerometer/landing/"

    ddl_file = tmp_path / "customer_landing.sql"
    ddl_file.write_text(DDL)
    assert main(["crawl", str(ddl_file), "--lake", str(lake.root)]) == 0
    assert table_columns(Catalog(lake).get_table("stedi", "customer_landing"))[0] == (
        "customername",
        "string",
    )


def test_cli_crawl_missing_folder_is_a_usage_error(lake, capsys):
    assert main(["crawl", "s3://stedi-lake-house/nope/", "--lake", str(lake.root)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_a_crawler_registers_key_value_folders_as_partitions_that_from_catalog_reads(
    lake, glue, capsys
):
    """ "For Apache Hive-style partitioned paths in key=val style, crawlers automatically
    populate the column name using the key name" - and add each folder as a partition."""
    landing = lake.root / "b" / "steps"
    _write(landing / "year=2023" / "month=01", "a.json", [{"serialNumber": "s1", "d": 1}])
    _write(landing / "year=2023" / "month=02", "b.json", [{"serialNumber": "s2", "d": 2}])
    _write(landing / "year=2024" / "month=01", "c.json", [{"serialNumber": "s3"}])
    argv = ["crawl", "s3://b/steps/", "--database", "db", "--lake", str(lake.root)]
    assert main(argv) == 0
    assert "partitioned by year, month: 3 partition(s) registered" in capsys.readouterr().out
    parts = Catalog(lake).get_partitions("db", "steps")
    assert [p["Values"] for p in parts] == [["2023", "01"], ["2023", "02"], ["2024", "01"]]
    assert parts[1]["StorageDescriptor"]["Location"] == "s3://b/steps/year=2023/month=02/"

    frame = glue.create_dynamic_frame.from_catalog(
        database="db", table_name="steps", push_down_predicate="month = '01'"
    )
    rows = sorted(tuple(r) for r in frame.toDF().select("serialnumber", "year", "month").collect())
    assert rows == [("s1", "2023", "01"), ("s3", "2024", "01")]
