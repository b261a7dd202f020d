"""`python -m lakehouse sql`: SQL on the local lake by Glue table name, as table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lakehouse.cli import main
from tests import minilake


@pytest.fixture
def finished_lake(lake):
    counts = minilake.build(lake, "rubric")
    return lake, counts


@pytest.mark.parametrize("name", ["stedi.customer_trusted", "customer_trusted"])
def test_glue_table_names_work_qualified_or_plain(finished_lake, capsys, name):
    lake, counts = finished_lake
    assert (
        main(
            [
                "sql",
                f"SELECT COUNT(*) AS n FROM {name}",
                "--lake",
                str(lake.root),
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"n": counts["customer_trusted"]}]


def test_csv_output_has_a_header_and_catalog_column_names(finished_lake, capsys):
    lake, _ = finished_lake
    query = 'SELECT "user", "timestamp", x FROM accelerometer_trusted ORDER BY "timestamp", "user" LIMIT 2'
    assert main(["sql", query, "--lake", str(lake.root), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["user", "timestamp", "x"]
    assert len(rows) == 3


def test_json_landing_tables_use_the_ddl_columns_case_insensitively(finished_lake, capsys):
    """The JSON keys are camelCase (customerName); the catalog (and Athena) say customername."""
    lake, _ = finished_lake
    query = "SELECT customername, sharewithresearchasofdate FROM customer_landing WHERE email LIKE 'Test3.%'"
    assert main(["sql", query, "--lake", str(lake.root), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"customername": "Test3 Person", "sharewithresearchasofdate": None}
    ]


def test_table_output_prints_a_rich_table(finished_lake, capsys):
    lake, _ = finished_lake
    assert (
        main(
            [
                "sql",
                "SELECT email FROM customer_curated ORDER BY email LIMIT 1",
                "--lake",
                str(lake.root),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Test0.Person@test.com" in out and "1 row(s)" in out


def test_views_follow_the_catalog_location_not_a_fixed_path(finished_lake, capsys):
    """Move a table's files and its catalog Location: the view follows the catalog."""
    import shutil

    from localglue.catalog import Catalog, table_location

    lake, counts = finished_lake
    catalog = Catalog(lake)
    doc = catalog.get_table("stedi", "step_trainer_trusted")
    old = lake.local_path(table_location(doc))
    shutil.move(old, lake.root / "stedi-lake-house" / "moved")
    doc["StorageDescriptor"]["Location"] = "s3://stedi-lake-house/moved/"
    catalog.upsert_table("stedi", doc)
    assert (
        main(
            [
                "sql",
                "SELECT COUNT(*) AS n FROM step_trainer_trusted",
                "--lake",
                str(lake.root),
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"n": counts["step_trainer_trusted"]}]


@pytest.mark.parametrize(
    ("query", "lake_dir", "message"),
    [
        ("SELECT 1", "nowhere", "lake not found"),
        ("SELECT * FROM no_such_table", None, "query failed"),
    ],
    ids=["missing-lake", "bad-sql"],
)
def test_errors_exit_2_with_one_line(finished_lake, tmp_path, capsys, query, lake_dir, message):
    lake, _ = finished_lake
    target = str(tmp_path / lake_dir) if lake_dir else str(lake.root)
    assert main(["sql", query, "--lake", target]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_older_json_encodings_read_as_the_ddl_types(lake, capsys):
    """Field notes: older files write consent as explicit null, phone as a number, dates as
    floats (1655564376361.0) and the accelerometer key as timeStamp. The DDL types win."""
    from localglue.catalog import Catalog, make_table_input

    folder = lake.root / "stedi-lake-house" / "customer" / "landing"
    folder.mkdir(parents=True)
    (folder / "old.json").write_text(
        '{"customerName": "Old", "email": "o@test.com", "phone": 8015551212, '
        '"registrationDate": 1655564376361.0, "shareWithResearchAsOfDate": null}\n'
        '{"customerName": "New", "email": "n@test.com", "phone": "8015551212", '
        '"registrationDate": 1655564376362, "shareWithResearchAsOfDate": 1655564376362}\n'
    )
    accel = lake.root / "stedi-lake-house" / "accelerometer" / "landing"
    accel.mkdir(parents=True)
    (accel / "old.json").write_text(
        '{"user": "o@test.com", "timeStamp": 1655564376361.0, "x": 1}\n'
    )
    catalog = Catalog(lake)
    columns = [
        ("customername", "string"),
        ("email", "string"),
        ("phone", "string"),
        ("registrationdate", "bigint"),
        ("sharewithresearchasofdate", "bigint"),
    ]
    catalog.upsert_table(
        "stedi",
        make_table_input(
            "customer_landing", "s3://stedi-lake-house/customer/landing/", columns, "json"
        ),
    )
    catalog.upsert_table(
        "stedi",
        make_table_input(
            "accelerometer_landing",
            "s3://stedi-lake-house/accelerometer/landing/",
            [("user", "string"), ("timestamp", "bigint"), ("x", "double")],
            "json",
        ),
    )
    query = "SELECT phone, registrationdate, sharewithresearchasofdate FROM customer_landing ORDER BY email DESC"
    assert main(["sql", query, "--lake", str(lake.root), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "phone": "8015551212",
            "registrationdate": 1655564376361,
            "sharewithresearchasofdate": None,
        },
        {
            "phone": "8015551212",
            "registrationdate": 1655564376362,
            "sharewithresearchasofdate": 1655564376362,
        },
    ]
    assert (
        main(
            [
                "sql",
                'SELECT "timestamp", x FROM accelerometer_landing',
                "--lake",
                str(lake.root),
                "--format",
                "json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == [{"timestamp": 1655564376361, "x": 1.0}]


# -- every database of the catalog, as on Athena ------------------------------------------
def _json(capsys, *argv) -> list[dict]:
    assert main(["sql", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def crawled(finished_lake, request):
    """The landing customers crawled into the learner's own database (`crawl --database`)."""
    lake, counts = finished_lake
    database = request.param
    path = "s3://stedi-lake-house/customer/landing/"
    argv = ["crawl", path, "--database", database, "--table", "t", "--lake", str(lake.root)]
    assert main(argv) == 0
    return lake, database, counts["customer_landing"]


LEARNER_DATABASES = ["mydb", "stedi-db", "stedidb"]


@pytest.mark.parametrize("crawled", LEARNER_DATABASES, indirect=True)
def test_a_crawled_table_is_queried_by_its_database_qualified_name(crawled, capsys):
    lake, database, rows = crawled
    qualified = f'"{database}".t' if "-" in database else f"{database}.t"
    out = _json(capsys, f"SELECT count(*) AS n FROM {qualified}", "--lake", str(lake.root))
    assert out == [{"n": rows}]


@pytest.mark.parametrize("crawled", LEARNER_DATABASES, indirect=True)
def test_database_option_is_the_default_schema_of_plain_names(crawled, capsys):
    lake, database, rows = crawled
    argv = ["--lake", str(lake.root), "--database", database]
    assert _json(capsys, "SELECT count(*) AS n FROM t", *argv) == [{"n": rows}]
    # the other databases stay reachable by their qualified names
    out = _json(capsys, "SELECT count(*) AS n FROM stedi.customer_landing", *argv)
    assert out == [{"n": rows}]


@pytest.mark.parametrize("crawled", ["stedi-db"], indirect=True)
def test_show_databases_lists_the_catalogs_databases(crawled, capsys):
    lake, database, _ = crawled
    out = _json(capsys, "SHOW DATABASES", "--lake", str(lake.root))
    assert [r["database_name"] for r in out] == sorted(["stedi", database])


@pytest.mark.parametrize("crawled", ["mydb"], indirect=True)
def test_a_missing_table_error_lists_the_catalogs_tables(crawled, capsys):
    lake, _, _ = crawled
    assert main(["sql", "SELECT * FROM mydb.nope", "--lake", str(lake.root)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "mydb.t" in err and "stedi.customer_trusted" in err


@pytest.mark.parametrize("crawled", ["mydb"], indirect=True)
def test_an_unknown_database_option_names_the_databases_there_are(crawled, capsys):
    lake, _, _ = crawled
    assert main(["sql", "SELECT 1", "--lake", str(lake.root), "--database", "other"]) == 2
    err = capsys.readouterr().err
    assert "'other'" in err and "mydb, stedi" in err
