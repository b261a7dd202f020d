"""A small, finished STEDI lake built in well under a second, for tests and demos.

It has the shape the pipeline produces (H3's jobs): landing tables as JSON with
the OpenX JsonSerDe, trusted/curated tables as Parquet (camelCase columns, as
Spark writes them; the catalog lower-cases them), all registered in the local
catalog, and <lake>/_dataset.json with the expected counts of both profiles.
The trusted/curated rows are derived here with plain Python using the rules the
two profiles implement:
  rubric: consent = shareWithResearchAsOfDate present; joins on e-mail / serial.
  strict: as rubric, and no reading before the consent date; the ML table keeps
          no identifier column.
"""

from __future__ import annotations

import json
from pathlib import Path

from localglue.catalog import Catalog, make_table_input
from localglue.lake import Lake
from stedi.tables import DATABASE, DEFAULT_BUCKET, TABLES

CUSTOMER_COLUMNS = [
    ("customerName", "string"),
    ("email", "string"),
    ("phone", "string"),
    ("birthDay", "string"),
    ("serialNumber", "string"),
    ("registrationDate", "bigint"),
    ("lastUpdateDate", "bigint"),
    ("shareWithResearchAsOfDate", "bigint"),
    ("shareWithPublicAsOfDate", "bigint"),
    ("shareWithFriendsAsOfDate", "bigint"),
]
ACCELEROMETER_COLUMNS = [
    ("user", "string"),
    ("timestamp", "bigint"),
    ("x", "double"),
    ("y", "double"),
    ("z", "double"),
]
STEP_TRAINER_COLUMNS = [
    ("sensorReadingTime", "bigint"),
    ("serialNumber", "string"),
    ("distanceFromObject", "bigint"),
]
ML_COLUMNS = {
    "rubric": STEP_TRAINER_COLUMNS + ACCELEROMETER_COLUMNS,
    "strict": [
        ("sensorReadingTime", "bigint"),
        ("distanceFromObject", "bigint"),
        ("timestamp", "bigint"),
        ("x", "double"),
        ("y", "double"),
        ("z", "double"),
    ],
}
LOCATIONS = {t.name: t.folder for t in TABLES}
T0 = 1655564000000  # epoch milliseconds, like the STEDI data


def _landing_rows():
    customers, accel, steps = [], [], []
    for i in range(8):
        consent = T0 + 30_000 if i % 4 != 3 else None  # customers 3 and 7 did not consent
        name = f"Test{i} Person"
        c = {
            "customerName": name,
            "email": f"Test{i}.Person@test.com",
            "phone": "8015551212",
            "birthDay": "1990-01-01",
            "serialNumber": f"00000000-0000-4000-8000-{i:012d}",
            "registrationDate": T0,
            "lastUpdateDate": T0,
            "shareWithPublicAsOfDate": T0,
        }
        if i % 2 == 0:
            c["shareWithFriendsAsOfDate"] = T0
        if consent is not None:
            c["shareWithResearchAsOfDate"] = consent
        if i == 6:  # consented, but never used the app: not curated
            customers.append(c)
            continue
        customers.append(c)
        for k in range(6):  # readings every 10 s, the first three before consent
            ts = T0 + k * 10_000 + i  # distinct per device so joins stay one-to-one
            accel.append(
                {"user": c["email"], "timestamp": ts, "x": 0.5, "y": -0.25, "z": float(k % 2)}
            )
            steps.append(
                {
                    "sensorReadingTime": ts,
                    "serialNumber": c["serialNumber"],
                    "distanceFromObject": 200 + k,
                }
            )
    return customers, accel, steps


def derive(profile: str) -> dict[str, list[dict]]:
    """All eight tables' rows for one profile."""
    customers, accel, steps = _landing_rows()
    strict = profile == "strict"
    trusted = [c for c in customers if c.get("shareWithResearchAsOfDate") is not None]
    trusted = [{k: c.get(k) for k, _ in CUSTOMER_COLUMNS} for c in trusted]
    consent = {c["email"]: c["shareWithResearchAsOfDate"] for c in trusted}
    acc_t = [
        a
        for a in accel
        if a["user"] in consent and (not strict or a["timestamp"] >= consent[a["user"]])
    ]
    users = {a["user"] for a in acc_t}
    curated = [c for c in trusted if c["email"] in users]
    serial_consent = {c["serialNumber"]: c["shareWithResearchAsOfDate"] for c in curated}
    step_t = [
        s
        for s in steps
        if s["serialNumber"] in serial_consent
        and (not strict or s["sensorReadingTime"] >= serial_consent[s["serialNumber"]])
    ]
    ml = []
    for s in step_t:
        for a in acc_t:
            if a["timestamp"] == s["sensorReadingTime"]:
                row = {**s, **a}
                ml.append({k: row[k] for k, _ in ML_COLUMNS[profile]})
    return {
        "customer_landing": customers,
        "accelerometer_landing": accel,
        "step_trainer_landing": steps,
        "customer_trusted": trusted,
        "accelerometer_trusted": acc_t,
        "step_trainer_trusted": step_t,
        "customer_curated": curated,
        "machine_learning_curated": ml,
    }


def columns_of(table: str, profile: str) -> list[tuple[str, str]]:
    if table.startswith("customer"):
        return CUSTOMER_COLUMNS
    if table.startswith("accelerometer"):
        return ACCELEROMETER_COLUMNS
    if table.startswith("step_trainer"):
        return STEP_TRAINER_COLUMNS
    return ML_COLUMNS[profile]


def write_parquet(folder: Path, rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """Replace the Parquet files of a table folder with `rows` (one part file, like a Glue sink)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "bigint": pa.int64(), "double": pa.float64()}
    schema = pa.schema([(n, types[t]) for n, t in columns])
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    table = pa.Table.from_pylist([{n: r.get(n) for n, _ in columns} for r in rows], schema=schema)
    pq.write_table(table, folder / "part-00000-minilake.snappy.parquet", compression="snappy")


def register(lake: Lake, table: str, columns, fmt: str) -> None:
    location = f"s3://{DEFAULT_BUCKET}/{LOCATIONS[table]}"
    Catalog(lake).upsert_table(DATABASE, make_table_input(table, location, columns, fmt))


def build(lake: Lake, profile: str = "rubric", name: str = "minilake") -> dict[str, int]:
    """Write every table of `profile` into `lake` and return the row counts."""
    tables = derive(profile)
    for table, rows in tables.items():
        folder = Path(lake.local_path(f"s3://{DEFAULT_BUCKET}/{LOCATIONS[table]}"))
        columns = columns_of(table, profile)
        if table.endswith("_landing"):
            folder.mkdir(parents=True, exist_ok=True)
            text = "".join(json.dumps(r) + "\n" for r in rows)
            (folder / f"{table.split('_landing')[0]}-{T0}.json").write_text(text)
            register(lake, table, columns, "json")
        else:
            write_parquet(folder, rows, columns)
            register(lake, table, columns, "parquet")
    expected = {p: {t: len(r) for t, r in derive(p).items()} for p in ("rubric", "strict")}
    lake.root.mkdir(parents=True, exist_ok=True)
    (lake.root / "_dataset.json").write_text(
        json.dumps(
            {"name": name, "source": "tests.minilake", "expected_counts": expected}, indent=2
        )
    )
    return expected[profile]
