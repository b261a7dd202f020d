"""The local Glue Data Catalog: databases and tables as the Glue API's own JSON.

Each table is stored as the `Table` that GetTable would return (a `TableInput`
plus DatabaseName and timestamps), so the same documents go to AWS unchanged
with `glue.create_table(DatabaseName=..., TableInput=table_input(doc))`.

  <lake>/_catalog/<database>/_database.json   DatabaseInput (+ CreateTime)
  <lake>/_catalog/<database>/<table>.json     Table
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from lakehouse.errors import LakehouseError, TableNotFound
from lakehouse.lake import Lake

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
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


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


class Catalog:
    def __init__(self, lake: Lake | None = None):
        self.lake = lake or Lake()
        self.root = self.lake.catalog_dir

    # -- databases -------------------------------------------------------------
    def _db_dir(self, database: str) -> Path:
        return self.root / database.lower()

    def database_exists(self, database: str) -> bool:
        return (self._db_dir(database) / "_database.json").is_file()

    def create_database(self, database_input: dict) -> dict:
        doc = {**database_input, "Name": database_input["Name"].lower(), "CreateTime": _now()}
        path = self._db_dir(doc["Name"]) / "_database.json"
        if not path.exists():
            _write_json(path, doc)
        return json.loads(path.read_text())

    def ensure_database(self, database: str) -> dict:
        return self.create_database({"Name": database})

    def get_database(self, database: str) -> dict:
        path = self._db_dir(database) / "_database.json"
        if not path.is_file():
            raise LakehouseError(
                f"database {database!r} is not in the local catalog at {self.root}; "
                "run `python -m lakehouse ingest DIR` first"
            )
        return json.loads(path.read_text())

    def list_databases(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.parent.name for p in self.root.glob("*/_database.json"))

    # -- tables ----------------------------------------------------------------
    def _table_path(self, database: str, name: str) -> Path:
        return self._db_dir(database) / f"{name.lower()}.json"

    def table_exists(self, database: str, name: str) -> bool:
        return self._table_path(database, name).is_file()

    def get_table(self, database: str, name: str) -> dict:
        path = self._table_path(database, name)
        if not path.is_file():
            raise TableNotFound(
                f"table {database}.{name} is not in the catalog at {self.root}; "
                "run `python -m lakehouse ingest DIR` and `python -m lakehouse run` first"
            )
        return json.loads(path.read_text())

    def list_tables(self, database: str) -> list[str]:
        db = self._db_dir(database)
        if not db.is_dir():
            return []
        return sorted(p.stem for p in db.glob("*.json") if p.name != "_database.json")

    def create_table(self, database: str, table_input: dict) -> dict:
        """CreateTable: fails if the table exists, as Glue's AlreadyExistsException."""
        if self.table_exists(database, table_input["Name"]):
            raise LakehouseError(f"table {database}.{table_input['Name']} already exists")
        return self.upsert_table(database, table_input)

    def update_table(self, database: str, table_input: dict) -> dict:
        self.get_table(database, table_input["Name"])
        return self.upsert_table(database, table_input)

    def upsert_table(self, database: str, table_input: dict) -> dict:
        self.ensure_database(database)
        path = self._table_path(database, table_input["Name"])
        created = json.loads(path.read_text())["CreateTime"] if path.is_file() else _now()
        doc = {
            **table_input,
            "Name": table_input["Name"].lower(),
            "DatabaseName": database.lower(),
            "CreateTime": created,
            "UpdateTime": _now(),
        }
        _write_json(path, doc)
        return doc

    def delete_table(self, database: str, name: str) -> None:
        self._table_path(database, name).unlink(missing_ok=True)

    def local_location(self, table: dict) -> str:
        """The on-disk folder behind a table's s3:// Location."""
        return self.lake.local_path(table_location(table))
