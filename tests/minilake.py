"""A small, finished STEDI lake built in well under a second, for tests and demos.

It has the shape the pipeline produces (H3's jobs): landing tables as JSON with
the OpenX JsonSerDe, trusted/curated tables as Parquet (camelCase columns, as
Spark writes them; the catalog lower-cases them), all registered in the local
catalog, and <lake>/_dataset.json with the expected counts of both profiles.
The trusted/curated rows are derived here with plain Python using the rules the
two profiles implement:
  rubric: consent = shareWithResearchAsOfDate present; joins on e-mail / serial.
  strict: consent > 0 on every record of an email, no reading before it, a device
          read only when it has one owner, the ML table pairs the same owner's
          readings and keeps no identifier column.
`build(..., traps=True)` adds the cases where the two differ (see _landing_rows).
"""

from __future__ import annotations

import json
from pathlib import Path

from localglue.catalog import Catalog, make_table_input, table_columns, table_location
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


def _customer(i: int, consent, serial: str | None = None) -> dict:
    c = {
        "customerName": f"Test{i} Person",
        "email": f"Test{i}.Person@test.com",
        "phone": "8015551212",
        "birthDay": "1990-01-01",
        "serialNumber": serial or f"00000000-0000-4000-8000-{i:012d}",
        "registrationDate": T0,
        "lastUpdateDate": T0,
        "shareWithPublicAsOfDate": T0,
    }
    if i % 2 == 0:
        c["shareWithFriendsAsOfDate"] = T0
    if consent is not None:
        c["shareWithResearchAsOfDate"] = consent
    return c


def _readings(c: dict, i: int, offset: int) -> tuple[list[dict], list[dict]]:
    """Six readings every 10 s on the phone and on the device, the first three before consent;
    the values differ per customer, so a pair of two customers' readings is recognisable."""
    accel, steps = [], []
    for k in range(6):
        ts = T0 + k * 10_000 + offset
        x = 0.5 + i / 16
        accel.append({"user": c["email"], "timestamp": ts, "x": x, "y": -0.25, "z": float(k % 2)})
        steps.append(
            {
                "sensorReadingTime": ts,
                "serialNumber": c["serialNumber"],
                "distanceFromObject": 200 + 10 * i + k,
            }
        )
    return accel, steps


def _landing_rows(traps: bool = False):
    """Eight customers (3 and 7 never consented, 6 never used the app). With `traps`, the
    cases the rubric lets through and strict does not: customers 0 and 1 record at the same
    instants (a timestamp-only join pairs them), customer 8 has consent 0, and customers 9
    (consenting) and 10 (not) share one device."""
    customers, accel, steps = [], [], []
    for i in range(8):
        c = _customer(i, T0 + 30_000 if i % 4 != 3 else None)
        customers.append(c)
        if i == 6:  # consented, but never used the app: not curated
            continue
        # distinct instants per device keep joins one-to-one, unless traps pairs 0 and 1
        a, s = _readings(c, i, 0 if traps and i == 1 else i)
        accel += a
        steps += s
    if traps:
        shared = "00000000-0000-4000-8000-0000000000ff"
        for i, c in [(8, _customer(8, 0)), (9, _customer(9, T0 + 30_000, shared))]:
            customers.append(c)
            a, s = _readings(c, i, i)
            accel += a
            steps += s
        customers.append(_customer(10, None, shared))
    return customers, accel, steps


def derive(profile: str, traps: bool = False) -> dict[str, list[dict]]:
    """All eight tables' rows for one profile, by the rules its jobs implement."""
    customers, accel, steps = _landing_rows(traps)
    strict = profile == "strict"
    columns = [k for k, _ in CUSTOMER_COLUMNS]
    if strict:  # consent > 0 on every record of the email; the window opens at the latest
        records: dict[str, list] = {}
        for c in customers:
            records.setdefault(c["email"], []).append(c.get("shareWithResearchAsOfDate"))
        consent = {e: max(v) for e, v in records.items() if all((x or 0) > 0 for x in v)}
    else:  # the key is present
        consent = {
            c["email"]: c["shareWithResearchAsOfDate"]
            for c in customers
            if c.get("shareWithResearchAsOfDate") is not None
        }
    trusted = [{k: c.get(k) for k in columns} for c in customers if c["email"] in consent]
    acc_t = [
        a
        for a in accel
        if a["user"] in consent and (not strict or a["timestamp"] >= consent[a["user"]])
    ]
    users = {a["user"] for a in acc_t}
    curated = [c for c in trusted if c["email"] in users]
    if strict:  # a device belongs to one email across every landing record
        emails: dict[str, set] = {}
        for c in customers:
            emails.setdefault(c["serialNumber"], set()).add(c["email"])
        owner = {s: next(iter(e)) for s, e in emails.items() if len(e) == 1}
        step_t = [
            s
            for s in steps
            if owner.get(s["serialNumber"]) in users
            and s["sensorReadingTime"] >= consent[owner[s["serialNumber"]]]
        ]
    else:
        owner = {}
        serials = {c["serialNumber"] for c in curated}
        step_t = [s for s in steps if s["serialNumber"] in serials]
    ml = []
    for s in step_t:
        for a in acc_t:
            same_owner = not strict or owner[s["serialNumber"]] == a["user"]
            if a["timestamp"] == s["sensorReadingTime"] and same_owner:
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


def build(
    lake: Lake, profile: str = "rubric", name: str = "minilake", traps: bool = False
) -> dict[str, int]:
    """Write every table of `profile` into `lake` and return the row counts."""
    tables = derive(profile, traps)
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
    expected = {p: {t: len(r) for t, r in derive(p, traps).items()} for p in ("rubric", "strict")}
    lake.root.mkdir(parents=True, exist_ok=True)
    (lake.root / "_dataset.json").write_text(
        json.dumps(
            {"name": name, "source": "tests.minilake", "expected_counts": expected}, indent=2
        )
    )
    return expected[profile]


# -- planting: change a finished table as a broken job would have written it -----------------


def folder(lake: Lake, table: str) -> Path:
    return Path(lake.local_path(table_location(Catalog(lake).get_table("stedi", table))))


def read_rows(lake: Lake, table: str) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(next(folder(lake, table).glob("*.parquet"))).to_pylist()


def rewrite(lake: Lake, table: str, rows: list[dict], columns: list[tuple[str, str]] | None = None):
    """Replace a Parquet table's rows (and its catalog columns, as a Glue sink with
    enableUpdateCatalog would)."""
    doc = Catalog(lake).get_table("stedi", table)
    columns = columns or [(n, t) for n, t in table_columns(doc)]
    # keep the camelCase spelling the files use
    spelled = {k.lower(): k for k in (rows[0] if rows else {})}
    cols = [(spelled.get(n.lower(), n), t) for n, t in columns]
    write_parquet(folder(lake, table), rows, cols)
    Catalog(lake).upsert_table(
        "stedi", make_table_input(table, table_location(doc), cols, "parquet")
    )
