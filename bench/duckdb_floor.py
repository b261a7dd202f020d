"""The floor: the rubric jobs' own SQL in DuckDB, straight over the landing JSON.

The five queries are read out of studio_jobs/rubric/*.py (bench/jobsql.py) and transpiled
Spark -> DuckDB by sqlglot, so the floor runs the very SQL the Glue jobs run. This is what
that SQL costs on this machine with an in-process columnar engine and no Glue semantics (no
DynamicFrames, no catalog, no Parquet sinks); the benchmark reports how far above it the
faithful local run lands.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench import jobsql

SOURCES = ("customer", "accelerometer", "step_trainer")
_DUCK = {"string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "double": "DOUBLE"}


def run_floor(source_dir: str | Path, profile: str = "rubric") -> dict:
    """Load <source_dir>/<source>/landing/*.json with the DDL's columns and run the jobs.

    Returns {"load_seconds", "seconds", "tables": {table: {"rows", "seconds"}}}.
    """
    import duckdb

    source_dir = Path(source_dir)
    started = time.perf_counter()
    con = duckdb.connect()
    tables: dict[str, dict] = {}
    relations = {}
    for source in SOURCES:
        table = f"{source}_landing"
        pattern = (source_dir / source / "landing" / "*.json").as_posix()
        columns = ", ".join(
            f"'{c}': '{_DUCK[t]}'" for c, t in jobsql.LANDING_COLUMNS[table].items()
        )
        t = time.perf_counter()
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_json('{pattern}',"
            f" format='newline_delimited', columns={{{columns}}})"
        )
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        tables[table] = {"rows": rows, "seconds": time.perf_counter() - t}
        relations[table] = table
    load = time.perf_counter() - started
    for job in jobsql.read_profile(profile):
        t = time.perf_counter()
        out = jobsql.run_duckdb([job], relations, con=con, collect=False)[job.target]
        # Keep the result for the jobs after it, as the lake would.
        con.register(f"_floor_{job.target}", out.arrow)
        relations[job.target] = f"_floor_{job.target}"
        tables[job.target] = {"rows": out.rows_count, "seconds": time.perf_counter() - t}
    con.close()
    return {"load_seconds": load, "seconds": time.perf_counter() - started, "tables": tables}


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run_floor(sys.argv[1]), indent=2))
