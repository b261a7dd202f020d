"""The local engine: DuckDB views named as the Glue tables, over the lake's files.

Every table is found THROUGH THE LOCAL CATALOG (localglue.catalog): its
Location is mapped to disk by Lake.local_path and its format comes from
table_format(). Views expose the catalog's (lower-case) column names, as
Athena does:
  - JSON tables (JsonSerDe, case-insensitive keys like Athena's OpenX SerDe):
    read_json_auto(files, format='newline_delimited', union_by_name=true,
    columns={<key as spelled in the files>: <DDL type>}); a DDL column absent
    from every file reads as NULL.
  - Parquet tables: read_parquet('<location>/**/*.parquet', union_by_name=true),
    columns selected case-insensitively; a catalog column absent from the
    files reads as NULL (Athena does the same).
  - A location with no files yields an empty view with the catalog columns.

Views exist twice: `stedi.<table>` and plain `<table>` (schema main), so
queries may use either spelling, as on Athena with database `stedi`. `lakehouse sql`
(connect_memory) sees every database of the catalog, each a DuckDB schema of its name.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from localglue.catalog import Catalog, table_columns, table_format
from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.tables import DATABASE
from validation.engines.base import Engine

_SIMPLE_TYPES = {
    "string": "VARCHAR",
    "varchar": "VARCHAR",
    "char": "VARCHAR",
    "bigint": "BIGINT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "double": "DOUBLE",
    "float": "FLOAT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "binary": "BLOB",
}


def duckdb_type(hive_type: str) -> str:
    """DuckDB type for a Hive/Glue DDL type; nested types are left to DuckDB (JSON)."""
    t = hive_type.strip().lower()
    base = re.sub(r"\(.*\)$", "", t)
    if base == "decimal":
        return t.upper()
    if base in ("varchar", "char"):
        return "VARCHAR"
    return _SIMPLE_TYPES.get(base, "JSON")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _data_files(folder: Path, suffix: str | None = None) -> list[str]:
    """Files Hive/Glue would read: recursive, skipping names starting with _ or . ."""
    if folder.is_file():
        return [str(folder)]
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        for name in sorted(filenames):
            if name.startswith(("_", ".")) or name.endswith(".crc"):
                continue
            if suffix and not name.endswith(suffix):
                continue
            found.append(os.path.join(dirpath, name))
    return found


def _empty_select(columns: list[tuple[str, str]]) -> str:
    cols = ", ".join(f"CAST(NULL AS {duckdb_type(t)}) AS {quote(n)}" for n, t in columns)
    return f"SELECT {cols or '1 AS _empty'} WHERE false"


def _select_by_catalog(columns, present: dict[str, str], source: str, cast: bool) -> str:
    """SELECT catalog columns (lower-case) from `source`, matching file columns case-insensitively."""
    parts = []
    for name, hive_type in columns:
        actual = present.get(name.lower())
        if actual is None:
            parts.append(f"CAST(NULL AS {duckdb_type(hive_type)}) AS {quote(name.lower())}")
        elif cast:
            parts.append(
                f"CAST({quote(actual)} AS {duckdb_type(hive_type)}) AS {quote(name.lower())}"
            )
        else:
            parts.append(f"{quote(actual)} AS {quote(name.lower())}")
    return f"SELECT {', '.join(parts)} FROM {source}"


def view_sql(con, lake: Lake, table: dict) -> str:
    """The SELECT behind one table's view (see the module docstring)."""
    folder = Path(Catalog(lake).local_location(table))
    fmt = table_format(table)
    columns = table_columns(table)
    if fmt == "json":
        files = _data_files(folder)
        if not files:
            return _empty_select(columns)
        file_list = "[" + ", ".join(_literal(f) for f in files) + "]"
        probe = (
            f"read_json_auto({file_list}, format='newline_delimited', union_by_name=true, "
            "sample_size=-1)"
        )
        if columns:  # only the keys' spelling is needed: half the cost of inferring types
            keys_sql = (
                "SELECT DISTINCT unnest(json_keys(json)) FROM "
                f"read_json_objects({file_list}, format='newline_delimited')"
            )
            keys = sorted(r[0] for r in con.execute(keys_sql).fetchall())
        else:
            keys = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {probe}").fetchall()]
        present = {k.lower(): k for k in keys}
        if not columns:
            columns = [(k.lower(), "string") for k in keys]
        wanted = {present[n.lower()]: duckdb_type(t) for n, t in columns if n.lower() in present}
        if not wanted:  # no record holds a catalog column (or there is no record at all)
            return (
                _select_by_catalog(columns, {}, probe, cast=False)
                if keys
                else _empty_select(columns)
            )
        spec = "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in wanted.items()) + "}"
        source = (
            f"read_json_auto({file_list}, format='newline_delimited', union_by_name=true, "
            f"columns={spec})"
        )
        return _select_by_catalog(columns, present, source, cast=False)
    if fmt == "parquet":
        if not _data_files(folder, ".parquet"):
            return _empty_select(columns)
        hive = ", hive_partitioning=true" if table.get("PartitionKeys") else ""
        source = (
            f"read_parquet({_literal(str(folder) + '/**/*.parquet')}, union_by_name=true{hive})"
        )
        keys = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        present = {k.lower(): k for k in keys}
        if not columns:
            columns = [(k.lower(), "string") for k in keys]
        return _select_by_catalog(columns, present, source, cast=False)
    if fmt == "csv":
        files = _data_files(folder)
        if not files:
            return _empty_select(columns)
        file_list = "[" + ", ".join(_literal(f) for f in files) + "]"
        source = f"read_csv_auto({file_list}, union_by_name=true)"
        keys = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        present = {k.lower(): k for k in keys}
        return _select_by_catalog(columns, present, source, cast=True)
    raise LakehouseError(
        f"table {table.get('Name')} has format {fmt!r} the local engine cannot read"
    )


SNAPSHOT = "_snapshot"


def build_views(
    con,
    lake: Lake,
    database: str = DATABASE,
    snapshot_json: bool = False,
    only: list[str] | None = None,
    plain: bool = True,
) -> list[str]:
    """Create `<database>.<table>` and (with `plain`) `<table>` views for every table of the
    database (or for those of `only`); return the names.

    snapshot_json: read each JSON table once into a table of schema _snapshot and point its
    view there. A validation run queries landing tables a hundred times; parsing 80k JSON
    lines each time dominated the run, and a snapshot also gives every check the same data.
    """
    catalog = Catalog(lake)
    names = catalog.list_tables(database)
    if only is not None:
        names = [n for n in names if n in only]
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(database)}")
    if snapshot_json:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {SNAPSHOT}")
    for name in names:
        table = catalog.get_table(database, name)
        select = view_sql(con, lake, table)
        if snapshot_json and table_format(table) == "json":
            con.execute(f"CREATE OR REPLACE TABLE {SNAPSHOT}.{quote(name)} AS {select}")
            select = f"SELECT * FROM {SNAPSHOT}.{quote(name)}"
        con.execute(f"CREATE OR REPLACE VIEW {quote(database)}.{quote(name)} AS {select}")
        if plain:
            con.execute(
                f"CREATE OR REPLACE VIEW main.{quote(name)} AS "
                f"SELECT * FROM {quote(database)}.{quote(name)}"
            )
    return names


def require_lake(lake: Lake, database: str = DATABASE) -> None:
    if not lake.exists():
        raise LakehouseError(
            f"lake not found at {lake.root}; pass --lake DIR or run `python -m lakehouse ingest` first"
        )
    if not Catalog(lake).list_tables(database):
        raise LakehouseError(
            f"the local catalog at {lake.catalog_dir} has no tables in database {database!r}; "
            "run `python -m lakehouse ingest DIR` and `python -m lakehouse run` first"
        )


class _Statements:
    """`con.execute(sql).fetchall()`, as build_views uses it, on a SQLAlchemy connection."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql: str):
        return self.conn.exec_driver_sql(sql)


class LocalEngine(Engine):
    """DuckDB over the lake. The views live in a small temporary DuckDB file so the
    GX SQL datasource (a separate duckdb-engine connection) sees the same views; with
    for_gx=False (no GX in this run) in memory, which spares writing the landing snapshots
    to disk and checkpointing them at close (a fifth of a validation without GX).
    `tables`: views for these tables only (None: every catalog table)."""

    name = "local"

    def __init__(
        self,
        lake: Lake,
        database: str = DATABASE,
        tables: list[str] | None = None,
        for_gx: bool = True,
    ):
        import duckdb

        require_lake(lake, database)
        self.lake = lake
        self.database = database
        self._tmp = tempfile.mkdtemp(prefix="stedi-views-") if for_gx else None
        self.path = os.path.join(self._tmp, "views.duckdb") if for_gx else None
        self._con = duckdb.connect(self.path or ":memory:")
        self._columns: dict[str, list[tuple[str, str]]] | None = None
        self._sa_engine = None
        self._tables = build_views(self._con, lake, database, snapshot_json=True, only=tables)

    def tables(self) -> list[str]:
        return list(self._tables)

    def see(self, tables: list[str]) -> None:
        """Views for these tables too (read once: JSON snapshots are not taken again)."""
        new = [t for t in tables if t not in self._tables]
        if not new:
            return
        if self._con is not None:
            self._tables += build_views(self._con, self.lake, self.database, True, only=new)
            return
        with self._sqlalchemy().begin() as conn:  # after GX opened the file: see query()
            statements = _Statements(conn)
            self._tables += build_views(statements, self.lake, self.database, True, only=new)

    def _sqlalchemy(self):
        if self._sa_engine is None:
            import sqlalchemy as sa

            self._sa_engine = sa.create_engine(f"duckdb:///{self.path}")
        return self._sa_engine

    def columns(self, table: str) -> list[tuple[str, str | None]]:
        """From one information_schema query for every view (read again after `see`)."""
        if self._columns is None or table not in self._columns:
            _, rows = self.query(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
            )
            self._columns = {}
            for name, column, kind in rows:
                self._columns.setdefault(name, []).append((column, kind))
        return list(self._columns.get(table, []))

    def describe(self) -> str:
        return f"local catalog at {self.lake.catalog_dir} (database {self.database})"

    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        if self._con is not None:
            cur = self._con.execute(sql)
            columns = [d[0] for d in cur.description] if cur.description else []
            return columns, cur.fetchall()
        # After GX opened the file through duckdb-engine, DuckDB only allows connections
        # with the same configuration: go through duckdb-engine too.
        with self._sqlalchemy().connect() as conn:
            result = conn.exec_driver_sql(sql)
            return list(result.keys()), [tuple(r) for r in result.fetchall()]

    def release(self) -> None:
        """Close our connection so duckdb-engine (GX) can open the file with its own config."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def gx_connection_string(self) -> str:
        if self.path is None:
            raise LakehouseError("this local engine is in memory (for_gx=False): GX cannot open it")
        self.release()
        return f"duckdb:///{self.path}"

    def close(self) -> None:
        self.release()
        if self._sa_engine is not None:
            self._sa_engine.dispose()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)


def connect_memory(lake: Lake, default: str | None = None):
    """An in-memory DuckDB connection with a view per table of EVERY database of the local
    catalog (for `lakehouse sql`), as on Athena: `db.table` for any database, and plain
    `table` resolved in `default` (Athena's "current database"; default stedi, else the
    catalog's only database)."""
    import duckdb

    databases = [d for d in Catalog(lake).list_databases() if Catalog(lake).list_tables(d)]
    if not lake.exists() or not databases:
        require_lake(lake)  # says which command makes the lake or its tables
    default = (default or (DATABASE if DATABASE in databases else databases[0])).lower()
    if default not in databases:
        raise LakehouseError(
            f"database {default!r} has no tables in the local catalog at {lake.catalog_dir}; "
            f"databases with tables: {', '.join(databases)}"
        )
    con = duckdb.connect()
    for database in databases:
        build_views(con, lake, database, plain=False)
    con.execute(f"SET search_path = {_literal(default + ',main')}")
    return con


def catalog_tables(lake: Lake) -> list[str]:
    """`db.table` for every table of the local catalog, for errors that list them."""
    catalog = Catalog(lake)
    return [f"{d}.{t}" for d in catalog.list_databases() for t in catalog.list_tables(d)]
