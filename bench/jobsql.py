"""The SQL of the committed Glue Studio jobs, read out of the scripts and run elsewhere.

Glue Studio scripts are plain Python: each SQL Query node is a module-level string
(`SqlQuery0 = '''...'''`) passed to `sparkSqlQuery(glueContext, query=..., mapping={alias:
frame})`, sources are `create_dynamic_frame.from_options(paths=[s3://...])` or
`.from_catalog(table_name=...)`, and the sink names its catalog table in `setCatalogInfo`.
`read_job` follows the frame that reaches `writeFrame` back through custom-code and
SelectFromCollection nodes to the SQL and its inputs, without running the script, using the
one static script reader (localglue/scripts.py).

Two executors run the jobs of a profile, in order, over in-memory landing tables:
- `run_duckdb` transpiles each query Spark -> DuckDB with sqlglot (milliseconds per job:
  fast enough for property tests with hundreds of examples);
- `run_spark` runs the very same query text on a SparkSession (the Glue engine), used to
  check that the DuckDB reading agrees with Spark.
Unsupported node kinds raise UnsupportedJob naming the node, rather than guessing.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from pathlib import Path

from localglue.scripts import Script, read_script
from stedi.tables import JOBS, LANDING_TABLES, STUDIO_JOBS, TABLES, landing_columns

JOB_ORDER = JOBS  # dependency order: each job reads what the ones before it wrote

# Landing tables as the committed DDL (sql/*.sql) declares them.
LANDING_COLUMNS: dict[str, dict[str, str]] = {
    name: dict(landing_columns(name)) for name in LANDING_TABLES
}


@dataclass
class Table:
    """A job's output: column names (kept even when there are no rows) and rows."""

    columns: list[str]
    rows: list[dict]
    rows_count: int | None = None
    arrow: object = None  # the pyarrow.Table (DuckDB runs only)


class UnsupportedJob(Exception):
    """The script has a node this reader does not model."""


@dataclass(frozen=True)
class Source:
    table: str  # the lake table the frame reads (landing tables by their S3 folder)


@dataclass(frozen=True)
class Query:
    sql: str
    mapping: tuple[tuple[str, Source | Query], ...]


@dataclass(frozen=True)
class Job:
    name: str
    target: str
    frame: Source | Query


def _table_for_path(uri: str) -> str:
    """s3://bucket/customer/landing/ -> customer_landing (the S3 layout of the brief)."""
    folder = "/".join(p for p in uri.split("://", 1)[-1].split("/")[1:] if p) + "/"
    return next(t.name for t in TABLES if t.folder == folder)


def _frame(script: Script, var: str, name: str):
    """The Source or Query that node `var` computes, following the data flow backwards."""
    node = script.nodes.get(var)
    if node is None:
        raise UnsupportedJob(f"{name}: {var} is not a node of the script")
    if node.kind == "S3Source":
        [source] = [s for s in script.sources if s.var == var]
        return Source(_table_for_path(source.paths[0]))
    if node.kind == "CatalogSource":
        [source] = [s for s in script.sources if s.var == var]
        return Source(source.table)
    if node.kind == "SqlQuery":
        [query] = [q for q in script.queries if q.var == var]
        return Query(query.sql, tuple((a, _frame(script, v, name)) for a, v in query.mapping))
    passes = node.kind == "CustomCode" and node.options.get("passes_through")
    if node.kind in ("SelectFromCollection", "DynamicFrameCollection", "Alias") or passes:
        [inner] = node.inputs
        return _frame(script, inner, name)
    raise UnsupportedJob(f"{name}: node {node.call or node.kind} is not modelled")


def read_job(path: str | Path) -> Job:
    path = Path(path)
    script = read_script(path)
    sinks = [s for s in script.sinks if s.input]
    if len(sinks) != 1:
        raise UnsupportedJob(f"{path.name}: no catalog sink found")
    [sink] = sinks
    target = sink.table or (_table_for_path(sink.path) if sink.path else None)
    if target is None:
        raise UnsupportedJob(f"{path.name}: no catalog sink found")
    return Job(path.stem, target, _frame(script, sink.input, path.name))


def read_profile(profile: str, root: Path = STUDIO_JOBS) -> list[Job]:
    folder = root / profile
    missing = [j for j in JOB_ORDER if not (folder / f"{j}.py").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)}")
    return [read_job(folder / f"{j}.py") for j in JOB_ORDER]


# -- DuckDB -------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def to_duckdb(sql: str) -> str:
    import sqlglot

    return sqlglot.transpile(sql, read="spark", write="duckdb")[0]


def arrow_table(table: str, rows: list[dict]):
    """Landing rows as an Arrow table with the DDL's columns (absent keys become null)."""
    import pyarrow as pa

    kinds = {"string": pa.string(), "bigint": pa.int64(), "int": pa.int32(), "double": pa.float64()}
    columns = LANDING_COLUMNS[table]
    return pa.table(
        {c: pa.array([r.get(c) for r in rows], type=kinds[t]) for c, t in columns.items()}
    )


def _frame_sql(frame, relations: dict[str, str]) -> str:
    """One DuckDB statement computing a frame: each mapping alias becomes a CTE."""
    if isinstance(frame, Source):
        return f'SELECT * FROM "{relations[frame.table]}"'
    ctes = ", ".join(
        f'"{alias}" AS ({_frame_sql(inner, relations)})' for alias, inner in frame.mapping
    )
    return f"WITH {ctes} SELECT * FROM ({to_duckdb(frame.sql)}) AS _query"


_connection = None
_runs = itertools.count()


def shared_connection():
    """One in-process DuckDB for all small runs: connecting costs more than a tiny query."""
    global _connection
    if _connection is None:
        import duckdb

        # One thread: for tiny tables the thread pool costs more than it saves.
        _connection = duckdb.connect(config={"threads": 1})
    return _connection


def run_duckdb(jobs: list[Job], tables: dict, con=None, collect: bool = True) -> dict[str, Table]:
    """Run the jobs in order; {target table: Table} for every job.

    `tables` maps each landing table to its rows (list of dicts), an Arrow table, or the
    name of a relation already in `con`. Each job's result is fetched as Arrow and
    registered for the jobs after it, so no DDL runs. With collect=False the returned
    Tables hold no rows, only `Table.rows_count`.
    """
    con = con or shared_connection()
    prefix = f"_run{next(_runs)}_"
    relations, registered, out = {}, [], {}
    try:
        for table, value in tables.items():
            if isinstance(value, str):
                relations[table] = value
                continue
            arrow = arrow_table(table, value) if isinstance(value, list) else value
            relations[table] = prefix + table
            con.register(relations[table], arrow)
            registered.append(relations[table])
        for job in jobs:
            result = con.execute(_frame_sql(job.frame, relations)).to_arrow_table()
            relations[job.target] = prefix + job.target
            con.register(relations[job.target], result)
            registered.append(relations[job.target])
            rows = result.to_pylist() if collect else []
            out[job.target] = Table(result.column_names, rows, result.num_rows, result)
        return out
    finally:
        for name in registered:
            con.unregister(name)


# -- Spark --------------------------------------------------------------------------


def spark_schema(table: str):
    from pyspark.sql import types as T

    kinds = {
        "string": T.StringType(),
        "bigint": T.LongType(),
        "int": T.IntegerType(),
        "double": T.DoubleType(),
    }
    return T.StructType(
        [T.StructField(c, kinds[t], True) for c, t in LANDING_COLUMNS[table].items()]
    )


def run_spark(spark, jobs: list[Job], tables: dict[str, list[dict]]) -> dict[str, Table]:
    """The same jobs' SQL text on Spark, over DataFrames with the DDL's schema."""
    frames = {}
    for table, rows in tables.items():
        columns = list(LANDING_COLUMNS[table])
        frames[table] = spark.createDataFrame(
            [tuple(r.get(c) for c in columns) for r in rows], spark_schema(table)
        )

    def build(frame):
        if isinstance(frame, Source):
            return frames[frame.table]
        built = [(alias, build(inner)) for alias, inner in frame.mapping]
        for alias, df in built:
            df.createOrReplaceTempView(alias)
        return spark.sql(frame.sql)

    out = {}
    try:
        for job in jobs:
            df = build(job.frame)
            frames[job.target] = df
            rows = [row.asDict() for row in df.collect()]
            out[job.target] = Table(df.columns, rows, len(rows))
    finally:
        for job in jobs:
            for alias, _ in getattr(job.frame, "mapping", ()):
                spark.catalog.dropTempView(alias)
    return out
