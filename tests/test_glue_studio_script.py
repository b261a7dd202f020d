"""Acceptance: a script exactly as Glue Studio exports it runs unchanged on the local lake.

tests/fixtures/glue_studio/step_trainer_trusted.py has the Glue Studio 5 header, the
sparkSqlQuery helper using the module-level `spark`, S3 JSON sources, a SQL node (the
consent filter), Join, DropFields with the joined right-hand "`.serialNumber`", ApplyMapping,
Drop Duplicates via DynamicFrame.fromDF(...dropDuplicates()), EvaluateDataQuality with
DEFAULT_DATA_QUALITY_RULESET, and a getSink that updates the catalog. A second exported
script reads that table back with from_catalog.
"""

import hashlib
import json
from pathlib import Path

import duckdb

from localglue.catalog import Catalog, table_columns, table_format, table_location
from localglue.runner import run_script

REPO = Path(__file__).resolve().parents[1]
STUDIO = Path(__file__).parent / "fixtures" / "glue_studio"
TRUSTED_SCRIPT = STUDIO / "step_trainer_trusted.py"
CATALOG_READER = STUDIO / "readings_per_device.py"

CUSTOMERS = [
    {
        "customerName": "Ann",
        "email": "ann@x.com",
        "phone": "555",
        "birthDay": "1990-01-01",
        "serialNumber": "SN-1",
        "registrationDate": 1655564376361,
        "lastUpdateDate": 1655564376361,
        "shareWithResearchAsOfDate": 1655564376361,
        "shareWithPublicAsOfDate": 1655564376361,
        "shareWithFriendsAsOfDate": 1655564376361,
    },
    # A customer who never consented has no shareWithResearchAsOfDate key at all.
    {
        "customerName": "Bob",
        "email": "bob@x.com",
        "phone": "556",
        "birthDay": "1991-01-01",
        "serialNumber": "SN-2",
        "registrationDate": 1655564376362,
        "lastUpdateDate": 1655564376362,
        "shareWithPublicAsOfDate": 1655564376362,
        "shareWithFriendsAsOfDate": 1655564376362,
    },
    {
        "customerName": "Cid",
        "email": "cid@x.com",
        "phone": "557",
        "birthDay": "1992-01-01",
        "serialNumber": "SN-4",
        "registrationDate": 1655564376364,
        "lastUpdateDate": 1655564376364,
        "shareWithResearchAsOfDate": 1655564376364,
        "shareWithPublicAsOfDate": 1655564376364,
        "shareWithFriendsAsOfDate": 1655564376364,
    },
]
# Older export: explicit null consent, phone as a number, dates as floats.
OLD_CUSTOMERS = [
    {
        "customerName": "Dee",
        "email": "dee@x.com",
        "phone": 5558,
        "birthDay": "1993-01-01",
        "serialNumber": "SN-3",
        "registrationDate": 1655564376363.0,
        "lastUpdateDate": 1655564376363.0,
        "shareWithResearchAsOfDate": None,
        "shareWithPublicAsOfDate": None,
        "shareWithFriendsAsOfDate": None,
    },
]
READINGS = [
    {"sensorReadingTime": 1655564444000, "serialNumber": "SN-1", "distanceFromObject": 210},
    {"sensorReadingTime": 1655564445000, "serialNumber": "SN-1", "distanceFromObject": 220},
    {"sensorReadingTime": 1655564445000, "serialNumber": "SN-1", "distanceFromObject": 220},
    {"sensorReadingTime": 1655564444000, "serialNumber": "SN-2", "distanceFromObject": 230},
    {"sensorReadingTime": 1655564444000, "serialNumber": "SN-3", "distanceFromObject": 240},
    {"sensorReadingTime": 1655564444000, "serialNumber": "SN-9", "distanceFromObject": 250},
]
PII = {"customername", "email", "phone", "birthday"}


def _json_lines(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _expected_trusted() -> set[tuple]:
    """Computed from the inputs alone: readings of consenting customers, duplicates removed."""
    consenting = {
        c["serialNumber"]
        for c in CUSTOMERS + OLD_CUSTOMERS
        if c.get("shareWithResearchAsOfDate") is not None
    }
    return {
        (r["serialNumber"], r["sensorReadingTime"], r["distanceFromObject"])
        for r in READINGS
        if r["serialNumber"] in consenting
    }


def _parquet(lake, prefix: str) -> duckdb.DuckDBPyRelation:
    folder = lake.root / "stedi-lake-house" / prefix
    files = sorted(str(p) for p in folder.rglob("*.parquet"))
    assert files, f"no parquet written under {folder}"
    return duckdb.sql(f"select * from read_parquet({files!r})")


def test_exported_script_runs_unchanged_and_a_second_script_reads_its_table(spark, lake, capsys):

    Catalog(lake).ensure_database("stedi")  # sinks create tables, not databases
    bucket = lake.root / "stedi-lake-house"
    _json_lines(bucket / "customer" / "landing" / "customer-1655563258079.json", CUSTOMERS)
    _json_lines(bucket / "customer" / "landing" / "2022" / "customer-old.json", OLD_CUSTOMERS)
    _json_lines(bucket / "step_trainer" / "landing" / "step_trainer-1655563258079.json", READINGS)
    digest = hashlib.sha256(TRUSTED_SCRIPT.read_bytes()).hexdigest()

    # The `lakehouse job` command itself, in this process: it reuses the suite's Spark session
    # (a fresh process would start a second JVM; tests/test_crash_safety.py runs it that way).
    from lakehouse.cli import main

    code = main(["job", "--lake", str(lake.root), str(TRUSTED_SCRIPT)])
    out = capsys.readouterr().out
    assert code == 0, out[-3000:]
    assert "job step_trainer_trusted: SUCCEEDED" in out
    assert hashlib.sha256(TRUSTED_SCRIPT.read_bytes()).hexdigest() == digest

    trusted = _parquet(lake, "step_trainer/trusted")
    assert trusted.columns == ["serialNumber", "sensorReadingTime", "distanceFromObject"]
    rows = trusted.fetchall()
    assert len(rows) == len(_expected_trusted())  # duplicates dropped
    assert set(rows) == _expected_trusted()
    assert not PII & {c.lower() for c in trusted.columns}

    table = Catalog(lake).get_table("stedi", "step_trainer_trusted")
    assert table_format(table) == "parquet"
    assert table_location(table) == "s3://stedi-lake-house/step_trainer/trusted/"
    assert table_columns(table) == [
        ("serialnumber", "string"),
        ("sensorreadingtime", "bigint"),
        ("distancefromobject", "int"),
    ]

    result = run_script(CATALOG_READER, ["--JOB_NAME", "readings_per_device"], lake, spark=spark)
    assert result.ok, result.traceback
    [dq] = result.data_quality
    assert dq["context"] == "EvaluateDataQuality_node1723712999001"
    assert [(o["Rule"], o["Outcome"]) for o in dq["outcomes"]] == [("ColumnCount > 0", "Passed")]
    per_device: dict[str, int] = {}
    for serial, _, _ in _expected_trusted():
        per_device[serial] = per_device.get(serial, 0) + 1
    assert result.rows_written == {"stedi.device_readings": len(per_device)}
    curated = _parquet(lake, "step_trainer/curated").fetchall()
    assert dict(curated) == per_device
