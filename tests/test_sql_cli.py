"""`python -m lakehouse sql`: SQL on the local lake by Glue table name, as table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lakehouse.cli import main
from validation import minilake


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

    from lakehouse.catalog import Catalog, table_location

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
