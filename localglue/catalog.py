"""The local Glue Data Catalog: databases and tables as the Glue API's own JSON.

Each table is stored as the `Table` that GetTable would return (a `TableInput`
plus DatabaseName and timestamps), so the same documents go to AWS unchanged
with `glue.create_table(DatabaseName=..., TableInput=table_input(doc))`.

  <lake>/_catalog/<database>/_database.json   DatabaseInput (+ CreateTime)
  <lake>/_catalog/<database>/<table>.json     Table
  <lake>/_catalog/<database>/<table>.partitions/<k1=v1,k2=v2>.json   Partition (one per value
                                              set, as BatchCreatePartition stores them)

Inside a running job, documents are staged in the job's transaction and written when the
job commits (transaction.py); the job itself reads its own staged versions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from localglue.errors import LakehouseError, TableNotFound
from localglue.lake import Lake, check_catalog_name

JSON_SERDES = ("org.openx.data.jsonserde.JsonSerDe", "org.apache.hive.hcatalog.data.JsonSerDe")
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
CSV_SERDES = (
    "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
    "org.apache.hadoop.hive.serde2.OpenCSVSerde",
)

# StorageDescriptor pieces per format, as Glue crawlers and Glue sinks write them.
STORAGE = {
    "json": {
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {
            "SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe",
            "Parameters": {"paths": ""},
        },
    },
    "parquet": {
        "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
        "SerdeInfo": {
            "SerializationLibrary": PARQUET_SERDE,
            "Parameters": {"serialization.format": "1"},
        },
    },
    "csv": {
        "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {
            "SerializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
            "Parameters": {"field.delim": ","},
        },
    },
}

# Keys of a GetTable answer that are not part of TableInput.
_NOT_INPUT = {
    "DatabaseName",
    "CreateTime",
    "UpdateTime",
    "CreatedBy",
    "IsRegisteredWithLakeFormation",
    "CatalogId",
    "VersionId",
    "IsMultiDialectView",
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_json(path: Path, doc: dict) -> None:
    from localglue.transaction import write_document

    write_document(path, json.dumps(doc, indent=2, sort_keys=True) + "\n")


def _read_json(path: Path) -> dict | None:
    """The document at path (a running job's staged version first), None if there is none."""
    from localglue.transaction import read_document

    text = read_document(path)
    return None if text is None else json.loads(text)


def _staged_names(folder: Path) -> set[str]:
    from localglue.transaction import active_for

    txn = active_for(folder)
    if txn is None:
        return set()
    return {Path(p).name for p in txn.documents if Path(p).parent == Path(os.path.abspath(folder))}


def _document_names(folder: Path) -> set[str]:
    """The .json documents in a catalog folder as the running job sees them."""
    from localglue.transaction import active_for

    names = {p.name for p in folder.glob("*.json")} if folder.is_dir() else set()
    names |= {n for n in _staged_names(folder) if n.endswith(".json")}
    txn = active_for(folder)
    if txn is not None:
        names = {n for n in names if not txn.deleted(folder / n)}
    return names


def partition_name(keys: list[str], values: list[str]) -> str:
    """`k1=v1,k2=v2` with each value percent-encoded: one safe file name per value set."""
    from urllib.parse import quote

    return ",".join(f"{k}={quote(str(v), safe='')}" for k, v in zip(keys, values, strict=True))


def partition_path(keys: list[str], values: list[str]) -> str:
    """The Hive-style sub-folder of a partition (`k1=v1/k2=v2/`), as Glue sinks and crawlers
    lay it out; values escaped as Spark's partitionBy escapes them."""
    return "".join(f"{k}={_escape_path_name(str(v))}/" for k, v in zip(keys, values, strict=True))


# Characters Hive/Spark escape in partition folder names (ExternalCatalogUtils.escapePathName).
_PATH_ESCAPES = frozenset("\"#%'*/:=?\\\x7f{[]^") | {chr(c) for c in range(1, 0x20)}


def _escape_path_name(value: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in _PATH_ESCAPES else c for c in value)


def unescape_path_name(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text)


def partition_keys(table: dict) -> list[str]:
    return [k["Name"] for k in table.get("PartitionKeys") or []]


def partition_location(partition: dict) -> str:
    return (partition.get("StorageDescriptor") or {}).get("Location", "")


def table_input(table: dict) -> dict:
    """The TableInput part of a stored Table, ready for boto3 create_table/update_table."""
    return {k: v for k, v in table.items() if k not in _NOT_INPUT}


def table_format(table: dict) -> str:
    """'json', 'parquet' or 'csv', from the classification or the SerDe."""
    classification = (table.get("Parameters") or {}).get("classification", "").lower()
    if classification in ("json", "parquet", "csv"):
        return classification
    sd = table.get("StorageDescriptor", {})
    serde = sd.get("SerdeInfo", {}).get("SerializationLibrary", "")
    if serde in JSON_SERDES:
        return "json"
    if serde == PARQUET_SERDE or "parquet" in sd.get("InputFormat", "").lower():
        return "parquet"
    if serde in CSV_SERDES:
        return "csv"
    raise LakehouseError(
        f"table {table.get('DatabaseName')}.{table.get('Name')} has a storage format this "
        f"runtime cannot read (SerDe {serde!r}); use JSON, Parquet or CSV"
    )


def table_location(table: dict) -> str:
    return table.get("StorageDescriptor", {}).get("Location", "")


def table_columns(table: dict) -> list[tuple[str, str]]:
    """(name, hive type) for data columns then partition keys."""
    cols = table.get("StorageDescriptor", {}).get("Columns", [])
    parts = table.get("PartitionKeys", [])
    return [(c["Name"], c["Type"]) for c in [*cols, *parts]]


def make_table_input(
    name: str,
    location: str,
    columns: list[tuple[str, str]],
    fmt: str,
    partition_keys: list[tuple[str, str]] = (),
    parameters: dict | None = None,
) -> dict:
    """A TableInput in the shape Glue writes for an external table of this format."""
    storage = json.loads(json.dumps(STORAGE[fmt]))
    return {
        "Name": name.lower(),
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": fmt, **(parameters or {})},
        "PartitionKeys": [{"Name": n.lower(), "Type": t} for n, t in partition_keys],
        "StorageDescriptor": {
            "Columns": [{"Name": n.lower(), "Type": t} for n, t in columns],
            "Location": location,
            "Compressed": False,
            "NumberOfBuckets": -1,
            "StoredAsSubDirectories": False,
            **storage,
        },
    }


def entity_not_found(database: str, name: str, database_exists: bool) -> TableNotFound:
    """Glue's error for a missing table or database (getCatalogSource, GetTable), plus the fix."""
    from localglue.errors import EntityNotFoundException

    missing = f"table {database}.{name}" if database_exists else f"database {database}"
    return EntityNotFoundException(
        f"Entity Not Found (Service: AWSGlue; Status Code: 400; Error Code: "
        f"EntityNotFoundException): {missing} is not in the catalog; register "
        f"{database}.{name} from its CREATE EXTERNAL TABLE DDL (`lakehouse crawl`), or run "
        "the job that writes it first"
    )


class Catalog:
    def __init__(self, lake: Lake | None = None):
        self.lake = lake or Lake()
        self.root = self.lake.catalog_dir

    # -- databases -------------------------------------------------------------
    def _db_dir(self, database: str) -> Path:
        return self.root / check_catalog_name("database", database).lower()

    def database_exists(self, database: str) -> bool:
        return _read_json(self._db_dir(database) / "_database.json") is not None

    def create_database(self, database_input: dict) -> dict:
        doc = {**database_input, "Name": database_input["Name"].lower(), "CreateTime": _now()}
        path = self._db_dir(doc["Name"]) / "_database.json"
        existing = _read_json(path)
        if existing is not None:
            return existing
        _write_json(path, doc)
        return doc

    def ensure_database(self, database: str) -> dict:
        return self.create_database({"Name": database})

    def get_database(self, database: str) -> dict:
        doc = _read_json(self._db_dir(database) / "_database.json")
        if doc is None:
            raise LakehouseError(
                f"database {database!r} is not in the local catalog at {self.root}; "
                "register its tables from their DDL or crawl their files first"
            )
        return doc

    def list_databases(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.parent.name for p in self.root.glob("*/_database.json"))

    # -- tables ----------------------------------------------------------------
    def _table_path(self, database: str, name: str) -> Path:
        return self._db_dir(database) / f"{check_catalog_name('table', name).lower()}.json"

    def table_exists(self, database: str, name: str) -> bool:
        return _read_json(self._table_path(database, name)) is not None

    def get_table(self, database: str, name: str) -> dict:
        doc = _read_json(self._table_path(database, name))
        if doc is None:
            raise entity_not_found(database, name, self.database_exists(database))
        return doc

    def list_tables(self, database: str) -> list[str]:
        names = _document_names(self._db_dir(database))
        return sorted(n[: -len(".json")] for n in names if n != "_database.json")

    def create_table(self, database: str, table_input: dict) -> dict:
        """CreateTable: fails if the table exists, as Glue's AlreadyExistsException."""
        if self.table_exists(database, table_input["Name"]):
            raise LakehouseError(f"table {database}.{table_input['Name']} already exists")
        return self.upsert_table(database, table_input)

    def update_table(self, database: str, table_input: dict) -> dict:
        self.get_table(database, table_input["Name"])
        return self.upsert_table(database, table_input)

    def upsert_table(self, database: str, table_input: dict) -> dict:
        check_catalog_name("table", table_input["Name"])
        if (table_input.get("StorageDescriptor") or {}).get("Location"):
            self.lake.local_path(table_location(table_input))  # a location outside the lake fails
        self.ensure_database(database)
        existing = _read_json(self._table_path(database, table_input["Name"]))
        created = existing["CreateTime"] if existing else _now()
        doc = {
            **table_input,
            "Name": table_input["Name"].lower(),
            "DatabaseName": database.lower(),
            "CreateTime": created,
            "UpdateTime": _now(),
        }
        _write_json(self._table_path(database, doc["Name"]), doc)
        return doc

    def delete_table(self, database: str, name: str) -> None:
        self._table_path(database, name).unlink(missing_ok=True)

    # -- partitions ------------------------------------------------------------
    def _partitions_dir(self, database: str, table: str) -> Path:
        return self._db_dir(database) / f"{check_catalog_name('table', table).lower()}.partitions"

    def get_partitions(self, database: str, table: str) -> list[dict]:
        """Every registered partition of the table (GetPartitions without an expression),
        in the order of their values."""
        folder = self._partitions_dir(database, table)
        docs = [_read_json(folder / n) for n in sorted(_document_names(folder))]
        return sorted((d for d in docs if d is not None), key=lambda d: d["Values"])

    def batch_create_partition(self, database: str, table: str, values: list[list[str]]) -> int:
        """BatchCreatePartition: one Partition per value set, its StorageDescriptor the
        table's with the partition's Location (`<table location>k1=v1/k2=v2/`). A value set
        already registered is left as it is (Glue reports it AlreadyExists); returns how
        many were created."""
        doc = self.get_table(database, table)
        keys = partition_keys(doc)
        folder = self._partitions_dir(database, table)
        base = table_location(doc)
        base = base if base.endswith("/") else base + "/"
        created = 0
        for vals in values:
            vals = [str(v) for v in vals]
            path = folder / f"{partition_name(keys, vals)}.json"
            if _read_json(path) is not None:
                continue
            sd = json.loads(json.dumps(doc.get("StorageDescriptor") or {}))
            sd["Location"] = base + partition_path(keys, vals)
            self.lake.local_path(sd["Location"])  # a location outside the lake fails
            now = _now()
            partition = {
                "Values": vals,
                "DatabaseName": database.lower(),
                "TableName": table.lower(),
                "CreationTime": now,
                "LastAccessTime": now,
                "StorageDescriptor": sd,
                "Parameters": {},
            }
            _write_json(path, partition)
            created += 1
        return created

    def delete_partition(self, database: str, table: str, values: list[str]) -> None:
        from localglue.transaction import delete_document

        doc = self.get_table(database, table)
        name = partition_name(partition_keys(doc), [str(v) for v in values])
        delete_document(self._partitions_dir(database, table) / f"{name}.json")

    def local_location(self, table: dict) -> str:
        """The on-disk folder behind a table's s3:// Location."""
        return self.lake.local_path(table_location(table))
