"""Read a finished lake back without Spark, and the privacy checks the strict profile must pass.

Shared by the pipeline tests (imported from them); the tests here prove each check can fail. Tables are read with pyarrow (an independent reader: not the
runtime that wrote them) and checked with DuckDB against the landing JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

LOCATIONS = {
    "customer_trusted": "customer/trusted",
    "accelerometer_trusted": "accelerometer/trusted",
    "customer_curated": "customer/curated",
    "step_trainer_trusted": "step_trainer/trusted",
    "machine_learning_curated": "step_trainer/curated",
}
IDENTIFIER_COLUMNS = {"user", "email", "customername", "phone", "birthday", "serialnumber"}


def table_folder(lake, table: str) -> Path:
    return lake.root / "stedi-lake-house" / LOCATIONS[table]


def read_table(lake, table: str) -> pa.Table:
    folder = table_folder(lake, table)
    files = [
        str(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(s.startswith((".", "_")) for s in p.relative_to(folder).parts)
    ]
    assert files, f"{table} has no data files in {folder}"
    return pads.dataset(files, format="parquet").to_table()


def counts(lake) -> dict[str, int]:
    return {t: read_table(lake, t).num_rows for t in LOCATIONS}


def row_multisets(lake) -> dict[str, Counter]:
    """Each table as a multiset of rows (columns in name order, case-insensitively)."""
    out = {}
    for table in LOCATIONS:
        data = read_table(lake, table)
        names = sorted(data.column_names, key=str.lower)
        cols = [data.column(n).to_pylist() for n in names]
        out[table] = Counter(zip(*cols, strict=True))
    return out


def _landing_customers(con, landing_dir: Path) -> None:
    con.execute(
        f"""CREATE VIEW cust AS SELECT * FROM read_json('{landing_dir}/*.json',
        format='newline_delimited', columns={{'customerName': 'VARCHAR', 'email': 'VARCHAR',
        'phone': 'VARCHAR', 'birthDay': 'VARCHAR', 'serialNumber': 'VARCHAR',
        'shareWithResearchAsOfDate': 'DOUBLE'}})"""
    )
    # An email's consent: every record positive; the window opens at the latest date.
    con.execute(
        """CREATE VIEW consent AS SELECT email, max(shareWithResearchAsOfDate) AS since
        FROM cust GROUP BY email HAVING bool_and(coalesce(shareWithResearchAsOfDate, 0) > 0)"""
    )
    con.execute(
        """CREATE VIEW owner AS SELECT serialNumber, min(email) AS email FROM cust
        GROUP BY serialNumber HAVING count(DISTINCT email) = 1 AND count(email) = count(*)"""
    )


def privacy_violations(lake) -> list[str]:
    """Every way a strict lake could leak non-consented or identifying data; [] when clean."""
    con = duckdb.connect()
    _landing_customers(con, lake.root / "stedi-lake-house" / "customer" / "landing")
    for table in LOCATIONS:
        con.register(table, read_table(lake, table))
    found = []

    def rows(label: str, sql: str) -> None:
        n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        if n:
            found.append(f"{label}: {n} row(s)")

    for table in ("customer_trusted", "customer_curated"):
        rows(
            f"{table} without consent",
            f"SELECT * FROM {table} WHERE email NOT IN (SELECT email FROM consent)",
        )
    rows(
        "accelerometer_trusted before consent",
        """SELECT a.* FROM accelerometer_trusted a LEFT JOIN consent k ON k.email = a.user
        WHERE k.since IS NULL OR a.timestamp < k.since""",
    )
    rows(
        "step_trainer_trusted not attributable or before consent",
        """SELECT s.* FROM step_trainer_trusted s
        LEFT JOIN owner o ON o.serialNumber = s.serialNumber
        LEFT JOIN consent k ON k.email = o.email
        WHERE k.since IS NULL OR s.sensorReadingTime < k.since""",
    )
    ml = read_table(lake, "machine_learning_curated")
    leaked = IDENTIFIER_COLUMNS & {c.lower() for c in ml.column_names}
    if leaked:
        found.append(f"machine_learning_curated has identifier columns {sorted(leaked)}")
    identifiers = con.execute(
        """SELECT DISTINCT v FROM (
             SELECT email AS v FROM cust UNION ALL SELECT customerName FROM cust
             UNION ALL SELECT phone FROM cust UNION ALL SELECT serialNumber FROM cust
             UNION ALL SELECT birthDay FROM cust) WHERE v IS NOT NULL"""
    ).fetchall()
    known = {v for (v,) in identifiers}
    for name in ml.column_names:
        values = {str(v) for v in ml.column(name).to_pylist() if v is not None}
        hits = values & known
        if hits:
            found.append(
                f"machine_learning_curated.{name} holds identifier values, e.g. {sorted(hits)[0]!r}"
            )
    lower = {c.lower(): c for c in ml.column_names}
    if "timestamp" in lower and "sensorreadingtime" in lower:
        rows(
            "machine_learning_curated pairs readings of different instants",
            f'SELECT * FROM machine_learning_curated WHERE "{lower["timestamp"]}" <> "{lower["sensorreadingtime"]}"',
        )
    return found


# -- the checks can fail: plant each violation in a tiny clean lake -----------------------------


CUSTOMERS = [
    {
        "customerName": "Ann A",
        "email": "Ann@test.com",
        "phone": "8015551212",
        "birthDay": "1990-01-01",
        "serialNumber": "s1",
        "shareWithResearchAsOfDate": 1000,
    },
    {
        "customerName": "Bob B",
        "email": "Bob@test.com",
        "phone": "8015551212",
        "birthDay": "1991-01-01",
        "serialNumber": "s2",
    },
    {
        "customerName": "Cy C",
        "email": "Cy@test.com",
        "phone": "8015551212",
        "birthDay": "1992-01-01",
        "serialNumber": "s3",
        "shareWithResearchAsOfDate": 500,
    },
    {
        "customerName": "Di D",
        "email": "Di@test.com",
        "phone": "8015551212",
        "birthDay": "993-01-01",
        "serialNumber": "s3",
        "shareWithResearchAsOfDate": 500,
    },
]
ANN = {k: v for k, v in CUSTOMERS[0].items()}
CLEAN = {
    "customer_trusted": [ANN],
    "customer_curated": [ANN],
    "accelerometer_trusted": [
        {"user": "Ann@test.com", "timestamp": 1000, "x": 1.0, "y": 0.0, "z": -1.0}
    ],
    "step_trainer_trusted": [
        {"sensorReadingTime": 1000, "serialNumber": "s1", "distanceFromObject": 200}
    ],
    "machine_learning_curated": [
        {
            "sensorReadingTime": 1000,
            "distanceFromObject": 200,
            "timestamp": 1000,
            "x": 1.0,
            "y": 0.0,
            "z": -1.0,
        }
    ],
}
PLANTS = {
    "customer without consent": ("customer_trusted", lambda rows: rows + [CUSTOMERS[1]]),
    "reading before consent": (
        "accelerometer_trusted",
        lambda rows: rows + [{**rows[0], "timestamp": 999}],
    ),
    "reading of a stranger": (
        "accelerometer_trusted",
        lambda rows: rows + [{**rows[0], "user": "Bob@test.com"}],
    ),
    "step reading of a shared serial": (
        "step_trainer_trusted",
        lambda rows: rows + [{**rows[0], "serialNumber": "s3"}],
    ),
    "step reading before consent": (
        "step_trainer_trusted",
        lambda rows: rows + [{**rows[0], "sensorReadingTime": 10}],
    ),
    "email column in ML": (
        "machine_learning_curated",
        lambda rows: [{**r, "email": "x"} for r in rows],
    ),
    "serial value in ML": (
        "machine_learning_curated",
        lambda rows: [{**r, "device": "s1"} for r in rows],
    ),
    "cross-instant pair in ML": (
        "machine_learning_curated",
        lambda rows: rows + [{**rows[0], "timestamp": 1001}],
    ),
}


def _write_lake(root: Path, tables: dict[str, list[dict]]):
    from localglue.lake import Lake

    lake = Lake(root)
    landing = root / "stedi-lake-house" / "customer" / "landing"
    landing.mkdir(parents=True)
    (landing / "customer-1.json").write_text("".join(json.dumps(c) + "\n" for c in CUSTOMERS))
    for table, rows in tables.items():
        folder = table_folder(lake, table)
        folder.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(rows), folder / "run-1-part-r-00000.snappy.parquet")
    return lake


def test_a_clean_strict_lake_has_no_violation(tmp_path):
    assert privacy_violations(_write_lake(tmp_path / "lake", CLEAN)) == []


@pytest.mark.parametrize("plant", PLANTS, ids=str)
def test_a_planted_privacy_violation_is_caught(tmp_path, plant):
    table, change = PLANTS[plant]
    lake = _write_lake(tmp_path / "lake", {**CLEAN, table: change(list(CLEAN[table]))})
    assert privacy_violations(lake), f"{plant} went unnoticed"
