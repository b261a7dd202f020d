"""The local Data Catalog as Spark's catalog while a job runs (`--enable-glue-datacatalog`).

A Glue job run with the Data Catalog as its Hive metastore (Glue Studio sets
`--enable-glue-datacatalog`) sees the catalog's databases and tables in Spark SQL:
`spark.sql("SELECT … FROM stedi.customer_landing")`, `spark.table(…)`, `spark.read.table(…)`,
and writes into them with `insertInto`, `INSERT INTO`/`INSERT OVERWRITE` and `saveAsTable`.

Locally, the catalog tables a statement names are registered in Spark's session catalog just
before it runs, from the local catalog as the job sees it (its own staged updates included):
Parquet and CSV tables as external tables over their location, partitioned tables with only
the partitions the catalog holds; JSON tables (the OpenX SerDe matches keys whatever their
case) as a view with the catalog's lower-case columns over an external table spelled as the
files spell the keys. Writes go through the job's staging folder and commit with the job
(transaction.py), and add the partitions they write, as a Hive insert through the Glue
catalog does. When the job ends, every database, table and view it left in Spark's catalog
is dropped: the sessions of one JVM share that catalog, Glue job runs do not.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import tempfile

from localglue import events, partitions, spark_paths, transaction
from localglue import lake as lake_mod
from localglue.catalog import (
    Catalog,
    make_table_input,
    partition_keys,
    partition_location,
    partition_path,
    table_columns,
    table_format,
    table_location,
)
from localglue.errors import LakehouseError
from localglue.gluetypes import from_hive, hive_type

# Spark database holding the external tables behind JSON tables' views.
JSON_BACKING = "localglue_json_files"
_IDENTIFIER = r"(?:`[^`]+`|[A-Za-z0-9_]+)"
_CHAIN = re.compile(rf"{_IDENTIFIER}(?:\s*\.\s*{_IDENTIFIER})*")
_INSERT = re.compile(
    rf"\bINSERT\s+(INTO|OVERWRITE)\s+(?:TABLE\s+)?({_IDENTIFIER}(?:\s*\.\s*{_IDENTIFIER})*)",
    re.IGNORECASE,
)
_SHOW_TABLES = re.compile(r"^\s*SHOW\s+TABLES\b", re.IGNORECASE)
_SAMPLE_RECORDS = 1000
_ERROR_MODES = ("error", "errorifexists", "default")


class TableWriteError(LakehouseError):
    """A table write Spark (and so Glue) refuses: the message is Spark's."""


def _parts(chain: str) -> list[str]:
    return [p.strip().strip("`") for p in chain.split(".")]


def _quote(*names: str) -> str:
    return ".".join("`" + n.replace("`", "``") + "`" for n in names)


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ddl_type(hive: str) -> str:
    return from_hive(hive).simpleString()


def enabled(argv: list[str]) -> bool:
    """Glue Studio jobs run with `--enable-glue-datacatalog true`; a job run here uses the
    catalog unless its arguments turn it off."""
    for i, arg in enumerate(argv):
        if arg == "--enable-glue-datacatalog" and i + 1 < len(argv):
            return argv[i + 1].lower() != "false"
        if arg.startswith("--enable-glue-datacatalog="):
            return arg.split("=", 1)[1].lower() != "false"
    return True


class JobCatalog:
    """One job's view of the local catalog in Spark's session catalog."""

    def __init__(self, sql):
        self._sql = sql  # SparkSession.sql as Spark has it (the patched one calls back here)
        self.registered: dict[tuple[str, str], str] = {}  # (db, table) -> what it was made from
        self.before: dict[str, set[str]] | None = None  # Spark's catalog before the job used it
        self.home = tempfile.mkdtemp(prefix="localglue-spark-dbs-")

    # -- what Spark's catalog held before ------------------------------------------------
    @staticmethod
    def _external_catalog(spark):
        return spark._jsparkSession.sharedState().externalCatalog()

    def _listing(self, spark) -> dict[str, set[str]]:
        """Spark's databases and their tables and views (never a session's temp views)."""
        catalog = self._external_catalog(spark)
        databases = catalog.listDatabases()
        out = {}
        for i in range(databases.size()):
            db = str(databases.apply(i))
            tables = catalog.listTables(db)
            out[db] = {str(tables.apply(j)) for j in range(tables.size())}
        return out

    def start(self, spark) -> None:
        if self.before is None:
            self.before = self._listing(spark)

    def finish(self, spark) -> None:
        """Drop what the job left in Spark's catalog (tables, views, databases)."""
        import shutil

        if self.before is not None:
            for db, tables in self._listing(spark).items():
                if db not in self.before:
                    self._sql(spark, f"DROP DATABASE IF EXISTS {_quote(db)} CASCADE")
                    continue
                for table in tables - self.before[db]:
                    self._drop(spark, db, table)
        shutil.rmtree(self.home, ignore_errors=True)

    def _is_view(self, spark, db: str, table: str) -> bool:
        kind = self._external_catalog(spark).getTable(db, table).tableType().name()
        return str(kind) == "VIEW"

    # -- registration ----------------------------------------------------------------------
    def _catalog(self) -> Catalog:
        return Catalog(lake_mod.current())

    def referenced(self, spark, text: str) -> list[tuple[str, str]]:
        """Catalog tables a statement may name: `db.table` (also `catalog.db.table`), and bare
        table names of the current database; every table of the database SHOW TABLES lists.
        Databases it names are made in Spark."""
        catalog = self._catalog()
        databases = set(catalog.list_databases())
        if not databases:
            return []
        tables = functools.cache(lambda db: set(catalog.list_tables(db)))
        found: dict[tuple[str, str], None] = {}
        words = set()
        for match in _CHAIN.finditer(text):
            parts = [p.lower() for p in _parts(match.group(0))]
            words.update(parts)
            for db, table in zip(parts, parts[1:], strict=False):
                if db in databases and table in tables(db):
                    found[(db, table)] = None
        for db in sorted(databases & words):
            self._database(spark, db)
        current = str(spark.catalog.currentDatabase()).lower()
        if current in databases:
            for table in sorted(words & tables(current)):
                found[(current, table)] = None
        if _SHOW_TABLES.match(text):
            named = (databases & words) or ({current} & databases)
            found.update(dict.fromkeys((db, t) for db in sorted(named) for t in sorted(tables(db))))
        return list(found)

    def _database(self, spark, db: str) -> None:
        self.start(spark)
        location = os.path.join(self.home, f"{db}.db")
        self._sql(
            spark, f"CREATE DATABASE IF NOT EXISTS {_quote(db)} LOCATION {_literal(location)}"
        )

    def register(self, spark, db: str, name: str) -> None:
        """Make db.name in Spark what the local catalog says it is (again, if it changed)."""
        catalog = self._catalog()
        table = catalog.get_table(db, name)
        parts = catalog.get_partitions(db, name) if partition_keys(table) else []
        made_from = json.dumps([table, [partition_location(p) for p in parts]], sort_keys=True)
        if self.registered.get((db, name)) == made_from:
            self._sql(spark, f"REFRESH TABLE {_quote(db, name)}")  # a commit may add files
            return
        self.forget(spark, db, name)
        self._database(spark, db)
        if table_format(table) == "json":
            self._register_json(spark, db, name, table, parts)
        else:
            self._external(spark, _quote(db, name), table, table_columns(table), parts)
        self.registered[(db, name)] = made_from

    def forget(self, spark, db: str, name: str) -> None:
        self.registered.pop((db, name), None)
        self._drop(spark, db, name)
        self._drop(spark, JSON_BACKING, f"{db}__{name}")

    def _drop(self, spark, db: str, name: str) -> None:
        if self._external_catalog(spark).tableExists(db, name):
            kind = "VIEW" if self._is_view(spark, db, name) else "TABLE"
            self._sql(spark, f"DROP {kind} {_quote(db, name)}")

    def _external(self, spark, ident: str, table: dict, columns, parts, location=None) -> None:
        fmt = table_format(table)
        keys = partition_keys(table)
        local = location or lake_mod.current().local_path(table_location(table))
        cols = ", ".join(f"{_quote(n)} {_ddl_type(t)}" for n, t in columns)
        options = ""
        if fmt == "csv":
            serde = (table.get("StorageDescriptor") or {}).get("SerdeInfo") or {}
            sep = (serde.get("Parameters") or {}).get("field.delim", ",")
            header = (table.get("Parameters") or {}).get("skip.header.line.count") == "1"
            options = f"OPTIONS (sep {_literal(sep)}, header {_literal(str(header).lower())})"
        by = f"PARTITIONED BY ({', '.join(_quote(k) for k in keys)})" if keys else ""
        self._sql(
            spark,
            f"CREATE TABLE {ident} ({cols}) USING {fmt} {options} {by} LOCATION {_literal(local)}",
        )
        if parts:
            specs = " ".join(
                f"PARTITION ({', '.join(f'{_quote(k)} = {_literal(v)}' for k, v in zip(keys, p['Values'], strict=True))}) "
                f"LOCATION {_literal(lake_mod.current().local_path(partition_location(p)))}"
                for p in parts
            )
            self._sql(spark, f"ALTER TABLE {ident} ADD IF NOT EXISTS {specs}")

    def _register_json(self, spark, db: str, name: str, table: dict, parts) -> None:
        """A view with the catalog's names over a table spelled as the files spell the keys."""
        local = lake_mod.current().local_path(table_location(table))
        tree = _key_spellings(local)
        keys = set(partition_keys(table))
        spelled, select = [], []
        for column, hive in table_columns(table):
            if column in keys:
                spelled.append((column, hive))
                select.append(_quote(column))
                continue
            actual, subtree = tree.get(column.lower(), (column, {}))
            dtype = from_hive(hive)
            spelled.append((actual, _respell(dtype, subtree).simpleString()))
            select.append(f"CAST({_quote(actual)} AS {dtype.simpleString()}) AS {_quote(column)}")
        self._database(spark, JSON_BACKING)
        backing = _quote(JSON_BACKING, f"{db}__{name}")
        self._external(spark, backing, table, spelled, parts, location=local)
        self._sql(
            spark, f"CREATE VIEW {_quote(db, name)} AS SELECT {', '.join(select)} FROM {backing}"
        )

    # -- writes ------------------------------------------------------------------------------
    def insert(self, spark, db: str, name: str, overwrite: bool, run) -> None:
        """Run an insert (run()) into catalog table db.name through the job's staging folder:
        its files land in the table's location (or its partitions') at commit, the partitions
        it wrote are added to the catalog."""
        catalog = self._catalog()
        table = catalog.get_table(db, name)
        lake = lake_mod.current()
        target = lake.local_path(table_location(table))
        txn = transaction.active_for(target)
        if txn is None:
            raise LakehouseError(
                f"writing table {db}.{name} with Spark SQL needs a job run (`lakehouse job`)"
            )
        self.forget(spark, db, name)
        self._database(spark, db)
        staging = txn.new_write_dir()
        fmt = table_format(table)
        columns = table_columns(table)
        self._external(spark, _quote(db, name), table, columns, [], location=staging)
        try:
            run()
        finally:
            self.forget(spark, db, name)
        keys = partition_keys(table)
        files = _written_files(staging)
        written = partitions.written(staging, files, keys) if keys else []
        existing = (
            {
                tuple(p["Values"]): lake.local_path(partition_location(p))
                for p in catalog.get_partitions(db, name)
            }
            if keys
            else {}
        )
        if overwrite:
            roots = [
                existing.get(tuple(v)) or os.path.join(target, partition_path(keys, v))
                for v in written
            ]
            for root in roots if keys else [target]:
                txn.purge(root, float("inf"))
        for file in files:
            rel = os.path.relpath(file, staging).split(os.sep)
            home = target
            if keys:  # staging/k1=v1/k2=v2/part-… -> the partition's own location
                values = partitions.written(staging, [file], keys)[0]
                home = existing.get(tuple(values)) or os.path.join(
                    target, partition_path(keys, values)
                )
                rel = rel[len(keys) :]
            txn.stage_move(file, os.path.join(home, *rel))
        if written:
            catalog.batch_create_partition(db, name, written)
        rows = spark_paths.count_rows(files, "text" if fmt == "json" else fmt)
        events.emit(
            "write",
            path=table_location(table),
            table=f"{db}.{name}",
            rows=rows,
            fmt=fmt,
            files=len(files),
        )

    def save_as_table(self, spark, writer, db: str, name: str, fmt, mode, keys, run_insert) -> None:
        """DataFrameWriter.saveAsTable into a catalog database, with Spark's rules for an
        existing Hive table (the catalog's tables are Hive SerDe tables unless saveAsTable
        made them) and a new table under the database's location."""
        catalog = self._catalog()
        mode = str(mode or "errorifexists").lower()
        if catalog.table_exists(db, name):
            table = catalog.get_table(db, name)
            if mode in _ERROR_MODES:
                raise TableWriteError(
                    f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view "
                    f"{_quote(db, name)} because it already exists."
                )
            if mode == "ignore":
                return
            provider = (table.get("Parameters") or {}).get("spark.sql.sources.provider")
            if mode == "append":
                if not provider:
                    raise TableWriteError(
                        f"Saving data in the Hive serde table {_quote('spark_catalog', db, name)} "
                        "is not supported yet. Please use the insertInto() API as an alternative."
                    )
                order = [c for c, _ in table_columns(table)]
                return self.insert(spark, db, name, False, lambda: run_insert(order))
        database = catalog.get_database(db)
        base = database.get("LocationUri") or ""
        if not base:
            raise TableWriteError(
                f"saveAsTable({db}.{name}): database {db} has no LocationUri, so a new table "
                "has no location (on Glue: IllegalArgumentException: Can not create a Path from "
                "an empty string); give the database a location (Athena: CREATE DATABASE "
                f"{db} LOCATION 's3://bucket/prefix/') or write to an s3:// path"
            )
        location = base.rstrip("/") + f"/{name.lower()}/"
        target = lake_mod.current().local_path(location)
        txn = transaction.active_for(target)
        if txn is None:
            raise LakehouseError(
                f"writing table {db}.{name} with saveAsTable needs a job run (`lakehouse job`)"
            )
        fmt = (fmt or spark.conf.get("spark.sql.sources.default", "parquet")).lower()
        stored = {"parquet": "parquet", "json": "json", "csv": "csv"}.get(fmt)
        if stored is None:
            raise LakehouseError(f"saveAsTable format {fmt!r}: use parquet, json or csv locally")
        schema = writer._df.schema
        keys = list(keys or [])
        columns = [(f.name, hive_type(f.dataType)) for f in schema.fields if f.name not in keys]
        by_name = {f.name: f for f in schema.fields}
        part_cols = [(k, hive_type(by_name[k].dataType)) for k in keys]
        table_input = make_table_input(
            name, location, columns, stored, part_cols, {"spark.sql.sources.provider": stored}
        )
        if catalog.table_exists(db, name):  # overwrite: replace the table and its files
            txn.purge(target, float("inf"))
            for p in catalog.get_partitions(db, name):
                catalog.delete_partition(db, name, p["Values"])
        catalog.upsert_table(db, table_input)
        order = [c for c, _ in table_columns(catalog.get_table(db, name))]
        self.insert(spark, db, name, False, lambda: run_insert(order))


def _written_files(staging: str) -> list[str]:
    out = []
    for root, dirs, names in os.walk(staging):
        dirs.sort()
        out += [
            os.path.join(root, n)
            for n in sorted(names)
            if not n.startswith(("_", ".")) and not n.endswith(".crc")
        ]
    return out


def _key_spellings(folder: str) -> dict:
    """{lower-case key: (key as the files spell it, nested keys)} from the first records."""
    tree: dict = {}
    seen = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in sorted(n for n in names if not n.startswith((".", "_"))):
            path = os.path.join(root, name)
            with (
                contextlib.suppress(OSError, UnicodeDecodeError),
                open(path, encoding="utf-8") as fh,
            ):
                for line in fh:
                    if seen >= _SAMPLE_RECORDS:
                        return tree
                    with contextlib.suppress(ValueError):
                        _merge_keys(tree, json.loads(line))
                        seen += 1
    return tree


def _merge_keys(tree: dict, value) -> None:
    if isinstance(value, list):
        for item in value:
            _merge_keys(tree, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _, sub = tree.setdefault(key.lower(), (key, {}))
            _merge_keys(sub, item)


def _respell(dtype, tree: dict):
    """The catalog's type with struct field names spelled as the files spell them."""
    from pyspark.sql import types as T

    if isinstance(dtype, T.StructType):
        fields = []
        for f in dtype.fields:
            actual, sub = tree.get(f.name.lower(), (f.name, {}))
            fields.append(T.StructField(actual, _respell(f.dataType, sub), f.nullable))
        return T.StructType(fields)
    if isinstance(dtype, T.ArrayType):
        return T.ArrayType(_respell(dtype.elementType, tree), dtype.containsNull)
    if isinstance(dtype, T.MapType):
        return T.MapType(dtype.keyType, _respell(dtype.valueType, tree), dtype.valueContainsNull)
    return dtype


# -- the patches ---------------------------------------------------------------------------------
_active: JobCatalog | None = None


def _job() -> JobCatalog | None:
    """The running job's catalog, unless the job turned the Data Catalog off."""
    import sys

    return _active if _active is not None and enabled(sys.argv[1:]) else None


def _table_name(spark, name: str) -> tuple[str, str] | None:
    """(database, table) of a catalog table a name denotes, else None."""
    parts = [p.lower() for p in _parts(name)]
    if len(parts) == 1:
        parts = [str(spark.catalog.currentDatabase()).lower(), parts[0]]
    db, table = parts[-2], parts[-1]
    catalog = Catalog(lake_mod.current())
    if db in catalog.list_databases() and catalog.table_exists(db, table):
        return db, table
    return None


def _patched_sql(original):
    @functools.wraps(original)
    def sql(self, sqlQuery, *args, **kwargs):  # noqa: N803 - pyspark's name
        job = _job()
        if job is None or not isinstance(sqlQuery, str):
            return original(self, sqlQuery, *args, **kwargs)
        job.start(self)
        insert = _INSERT.search(sqlQuery)
        target = _table_name(self, insert.group(2)) if insert else None
        for db, name in job.referenced(self, sqlQuery):
            if (db, name) != target:
                job.register(self, db, name)
        if target is None:
            return original(self, sqlQuery, *args, **kwargs)
        result = []
        overwrite = insert.group(1).upper() == "OVERWRITE"
        job.insert(
            self,
            *target,
            overwrite,
            lambda: result.append(original(self, sqlQuery, *args, **kwargs)),
        )
        return result[0]

    return sql


def _patched_table(original, session_of):
    @functools.wraps(original)
    def table(self, tableName):  # noqa: N803
        job, spark = _job(), session_of(self)
        if job is not None and isinstance(tableName, str):
            job.start(spark)
            found = _table_name(spark, tableName)
            if found is not None:
                job.register(spark, *found)
        return original(self, tableName)

    return table


def _patched_insert_into(original):
    @functools.wraps(original)
    def insert_into(self, tableName, overwrite=None):  # noqa: N803
        job, spark = _job(), self._df.sparkSession
        found = _table_name(spark, tableName) if job is not None else None
        if found is None:
            return original(self, tableName, overwrite)
        job.start(spark)
        job.insert(spark, *found, bool(overwrite), lambda: original(self, tableName, overwrite))

    return insert_into


def _patched_save_as_table(original, insert_into):
    @functools.wraps(original)
    def save_as_table(self, name, format=None, mode=None, partitionBy=None, **options):  # noqa: A002,N803
        job, spark = _job(), self._df.sparkSession
        parts = [p.lower() for p in _parts(name)]
        db = parts[-2] if len(parts) > 1 else str(spark.catalog.currentDatabase()).lower()
        if job is None or db not in Catalog(lake_mod.current()).list_databases():
            return original(self, name, format, mode, partitionBy, **options)
        job.start(spark)
        keys = [partitionBy] if isinstance(partitionBy, str) else partitionBy
        fmt = format or getattr(self, "_localglue_format", None)
        mode = mode or getattr(self, "_localglue_mode", None)

        def run_insert(order):
            frame = self._df.select(*[_quote(c) for c in order])
            insert_into(frame.write, _quote(db, parts[-1]))

        job.save_as_table(spark, self, db, parts[-1], fmt, mode, keys, run_insert)

    return save_as_table


@contextlib.contextmanager
def glue_data_catalog():
    """While a job runs: Spark SQL sees the local catalog (see the module docstring)."""
    global _active
    from pyspark.sql import SparkSession
    from pyspark.sql.readwriter import DataFrameReader, DataFrameWriter

    originals = {
        (SparkSession, "sql"): SparkSession.__dict__["sql"],
        (SparkSession, "table"): SparkSession.__dict__["table"],
        (DataFrameReader, "table"): DataFrameReader.__dict__["table"],
        (DataFrameWriter, "insertInto"): DataFrameWriter.__dict__["insertInto"],
        (DataFrameWriter, "saveAsTable"): DataFrameWriter.__dict__["saveAsTable"],
    }
    sql = originals[(SparkSession, "sql")]
    job = JobCatalog(lambda spark, text: sql(spark, text))
    previous, _active = _active, job
    SparkSession.sql = _patched_sql(sql)
    SparkSession.table = _patched_table(originals[(SparkSession, "table")], lambda s: s)
    DataFrameReader.table = _patched_table(
        originals[(DataFrameReader, "table")], lambda r: r._spark
    )
    DataFrameWriter.insertInto = _patched_insert_into(originals[(DataFrameWriter, "insertInto")])
    DataFrameWriter.saveAsTable = _patched_save_as_table(
        originals[(DataFrameWriter, "saveAsTable")], originals[(DataFrameWriter, "insertInto")]
    )
    try:
        yield job
    finally:
        for (cls, name), original in originals.items():
            setattr(cls, name, original)
        _active = previous
        from pyspark.sql import SparkSession as Session

        spark = Session.getActiveSession()
        if spark is not None and job.before is not None:
            with contextlib.suppress(Exception):  # a job that stopped Spark has nothing left
                job.finish(spark)
