"""The floor: the five rubric queries in DuckDB, straight over the landing JSON.

This is what the same SQL costs on this machine with an in-process columnar engine and no
Glue semantics (no DynamicFrames, no catalog, no Parquet sinks). The local Glue runtime
cannot beat it; the benchmark reports how far above it the faithful run lands.
"""

from __future__ import annotations

import time
from pathlib import Path

SOURCES = ("customer", "accelerometer", "step_trainer")

# The rubric profile's queries: consent is "shareWithResearchAsOfDate present", readings
# join on the user's email, devices on the serial, and the ML table on time alone.
RUBRIC_SQL = {
    "customer_trusted": "SELECT * FROM customer_landing WHERE shareWithResearchAsOfDate IS NOT NULL",
    "accelerometer_trusted": (
        "SELECT a.* FROM accelerometer_landing a JOIN customer_trusted c ON a.user = c.email"
    ),
    "customer_curated": (
        "SELECT DISTINCT c.* FROM customer_trusted c JOIN accelerometer_trusted a"
        " ON c.email = a.user"
    ),
    "step_trainer_trusted": (
        "SELECT s.* FROM step_trainer_landing s JOIN customer_curated c"
        " ON s.serialNumber = c.serialNumber"
    ),
    "machine_learning_curated": (
        "SELECT s.sensorReadingTime, s.serialNumber, s.distanceFromObject,"
        " a.user, a.x, a.y, a.z FROM step_trainer_trusted s JOIN accelerometer_trusted a"
        " ON s.sensorReadingTime = a.timestamp"
    ),
}


def run_floor(source_dir: str | Path, sql: dict[str, str] | None = None) -> dict:
    """Load <source_dir>/<source>/landing/*.json and run the queries in order.

    Returns {"load_seconds", "seconds", "tables": {table: {"rows", "seconds"}}}.
    """
    import duckdb

    source_dir = Path(source_dir)
    started = time.perf_counter()
    con = duckdb.connect()
    tables: dict[str, dict] = {}
    for source in SOURCES:
        pattern = (source_dir / source / "landing" / "*.json").as_posix()
        t = time.perf_counter()
        con.execute(
            f"CREATE TABLE {source}_landing AS SELECT * FROM read_json_auto('{pattern}',"
            " format='newline_delimited', union_by_name=true)"
        )
        rows = con.execute(f"SELECT count(*) FROM {source}_landing").fetchone()[0]
        tables[f"{source}_landing"] = {"rows": rows, "seconds": time.perf_counter() - t}
    load = time.perf_counter() - started
    for table, query in (sql or RUBRIC_SQL).items():
        t = time.perf_counter()
        con.execute(f"CREATE TABLE {table} AS {query}")
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        tables[table] = {"rows": rows, "seconds": time.perf_counter() - t}
    con.close()
    return {"load_seconds": load, "seconds": time.perf_counter() - started, "tables": tables}


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run_floor(sys.argv[1]), indent=2))
