"""The same Python rows as a Spark frame and as a DuckDB table, for checking DQDL rules
against an independent computation."""

from __future__ import annotations

import duckdb


def values_sql(rows, columns: str) -> str:
    """`select cast(a as T) a, ... from values (...)`: columns are "name type, name type"."""
    names = [c.split()[0] for c in columns.split(", ")]
    types = [c.split()[1] for c in columns.split(", ")]
    literal = lambda v: "null" if v is None else repr(v)  # noqa: E731
    values = ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)
    casts = ", ".join(f"cast({n} as {t}) {n}" for n, t in zip(names, types, strict=True))
    return f"select {casts} from values {values} as t({', '.join(names)})"


def spark_frame(spark, rows, columns: str):
    """A VALUES relation stays in the JVM: no Python worker per Spark job."""
    return spark.sql(values_sql(rows, columns))


def duck_tables(**tables) -> duckdb.DuckDBPyConnection:
    """duck_tables(t=(rows, columns), ...): one DuckDB table per keyword."""
    con = duckdb.connect()
    for name, (rows, columns) in tables.items():
        con.execute(f"create table {name} ({columns.replace('string', 'varchar')})")
        con.executemany(f"insert into {name} values ({', '.join('?' * len(rows[0]))})", rows)
    return con
