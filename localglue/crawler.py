"""Catalog tables for landing data, built the two ways the STEDI project builds them:

- `crawl_json(folder, location, name)`: what a Glue crawler with the built-in JSON classifier
  writes: the union of every record's fields (lower-case names, Hive types), `k=v` sub-folders
  as string partition keys, the OpenX JsonSerDe, and the crawler's table parameters
  (classification, compressionType, typeOfData, recordCount, averageRecordSize, objectCount,
  sizeKey, UPDATED_BY_CRAWLER, CrawlerSchema*Version); `partition_values(folder, keys)` the
  value sets of its `k=v` folders, which the crawler registers as the table's partitions;
- `table_input_from_ddl(sql)`: the TableInput Athena stores for a
  `CREATE EXTERNAL TABLE ... ROW FORMAT SERDE ... LOCATION ... TBLPROPERTIES ...` statement,
  parsed with sqlglot (dialect athena).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path

from localglue.catalog import STORAGE, make_table_input
from localglue.errors import LakehouseError

CRAWLER_NAME = "stedi-local-crawler"


# --------------------------------------------------------------------------- JSON types
def _merge(a: str | None, b: str | None) -> str | None:
    """The Hive type that holds values of both types (None: only nulls seen so far)."""
    if a is None or a == b:
        return b if a is None else a
    if b is None:
        return a
    if {a, b} == {"bigint", "double"}:
        return "double"
    if a.startswith("struct<") and b.startswith("struct<"):
        fa, fb = _struct_fields(a), _struct_fields(b)
        for name, t in fb.items():
            fa[name] = _merge(fa.get(name), t)
        return _struct(fa)
    if a.startswith("array<") and b.startswith("array<"):
        return f"array<{_merge(a[6:-1], b[6:-1])}>"
    return "string"


def _struct(fields: dict[str, str | None]) -> str:
    return "struct<" + ",".join(f"{k}:{v or 'string'}" for k, v in fields.items()) + ">"


def _struct_fields(t: str) -> dict[str, str]:
    """Split 'struct<a:int,b:struct<c:string>>' into its top-level fields."""
    body, fields, depth, start = t[7:-1], {}, 0, 0
    for i, ch in enumerate(body + ","):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "," and depth == 0:
            name, _, typ = body[start:i].partition(":")
            fields[name] = typ
            start = i + 1
    return fields


def hive_type_of(value) -> str | None:
    """Hive type of one JSON value, as the crawler's JSON classifier names it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "bigint"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        element = None
        for item in value:
            element = _merge(element, hive_type_of(item))
        return f"array<{element or 'string'}>"
    if isinstance(value, dict):
        fields: dict[str, str | None] = {}
        for k, v in value.items():
            key = k.lower()
            fields[key] = _merge(fields.get(key), hive_type_of(v))
        return _struct(fields)
    return "string"


def _records(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        text = handle.read()
    stripped = text.lstrip()
    if stripped.startswith("["):
        data = json.loads(stripped)
        yield from (r for r in data if isinstance(r, dict))
        return
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        try:
            record, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise LakehouseError(f"{path}: not JSON at offset {pos} ({exc.msg})") from exc
        if isinstance(record, dict):
            yield record


def _data_files(folder: Path) -> list[Path]:
    """The folder's data files; one that is a symbolic link out of the folder is refused."""
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        files += [Path(root) / n for n in sorted(names) if not n.startswith((".", "_"))]
    real_folder = folder.resolve()
    for file in files:
        if not file.resolve().is_relative_to(real_folder):
            raise LakehouseError(
                f"cannot crawl {file}: it is a symbolic link to {file.resolve()}, outside "
                f"{folder}; remove it"
            )
    return files


def partition_values(folder_local_path, keys: list[str]) -> list[list[str]]:
    """The value sets of the `k1=v1/k2=v2/` folders holding data files, in path order: the
    partitions a crawler adds for a table whose partition keys are `keys`."""
    from localglue.catalog import unescape_path_name

    found: dict[tuple[str, ...], None] = {}
    folder = Path(folder_local_path)
    for path in _data_files(folder) if keys else []:
        parts = path.relative_to(folder).parts[:-1][: len(keys)]
        pairs = [p.partition("=") for p in parts]
        if len(pairs) == len(keys) and all(
            eq and k.lower() == key for (k, eq, _), key in zip(pairs, keys, strict=True)
        ):
            found[tuple(unescape_path_name(v) for _, _, v in pairs)] = None
    return [list(v) for v in found]


def crawl_json(folder_local_path, location_uri: str, table_name: str) -> dict:
    """A crawler's TableInput for the JSON files under folder (recursively)."""
    folder = Path(folder_local_path)
    if not folder.is_dir():
        raise LakehouseError(f"cannot crawl {folder}: it is not a folder")
    files = _data_files(folder)
    if not files:
        raise LakehouseError(f"cannot crawl {folder}: it holds no data files")
    columns: dict[str, str | None] = {}
    original_names: dict[str, str] = {}
    partitions: list[str] = []
    records = size = 0
    compressed = False
    for path in files:
        for part in path.relative_to(folder).parts[:-1]:
            key, eq, _ = part.partition("=")
            if eq and key.lower() not in partitions:
                partitions.append(key.lower())
        size += path.stat().st_size
        compressed = compressed or path.suffix == ".gz"
        for record in _records(path):
            records += 1
            for name, value in record.items():
                key = name.lower()
                original_names.setdefault(key, name)
                columns[key] = _merge(columns.get(key), hive_type_of(value))
    data_columns = [(k, v or "string") for k, v in columns.items() if k not in partitions]
    table = make_table_input(
        table_name,
        location_uri,
        data_columns,
        "json",
        partition_keys=[(p, "string") for p in partitions],
        parameters={
            "compressionType": "gzip" if compressed else "none",
            "typeOfData": "file",
            "recordCount": str(records),
            "averageRecordSize": str(size // records if records else 0),
            "objectCount": str(len(files)),
            "sizeKey": str(size),
            "UPDATED_BY_CRAWLER": CRAWLER_NAME,
            "CrawlerSchemaDeserializerVersion": "1.0",
            "CrawlerSchemaSerializerVersion": "1.0",
        },
    )
    paths = ",".join(sorted(original_names[k] for k, _ in data_columns))
    table["StorageDescriptor"]["SerdeInfo"]["Parameters"] = {"paths": paths}
    table["StorageDescriptor"]["Parameters"] = dict(table["Parameters"])
    return table


# --------------------------------------------------------------------------- DDL
def _hive(datatype) -> str:
    """sqlglot DataType -> Glue's Hive type string (lower case, no spaces)."""
    return re.sub(r"\s+", "", datatype.sql(dialect="hive")).lower()


def _literal(node) -> str:
    return node.name if hasattr(node, "name") else str(node)


def _parse_create(sql_text: str):
    """The one CREATE TABLE statement of an Athena DDL text, its table and its columns."""
    import sqlglot
    from sqlglot import exp

    try:
        statements = [s for s in sqlglot.parse(sql_text, dialect="athena") if s is not None]
    except sqlglot.errors.ParseError as exc:
        raise LakehouseError(f"the DDL does not parse as Athena SQL: {exc}") from exc
    creates = [s for s in statements if isinstance(s, exp.Create) and s.args.get("kind") == "TABLE"]
    if len(creates) != 1:
        raise LakehouseError("the DDL must hold exactly one CREATE EXTERNAL TABLE statement")
    create = creates[0]
    schema = create.this
    table = schema.this if isinstance(schema, exp.Schema) else schema
    if not isinstance(schema, exp.Schema):
        raise LakehouseError(f"CREATE TABLE {table.sql()} has no column list")
    columns = [
        (c.name, _hive(c.args["kind"])) for c in schema.expressions if isinstance(c, exp.ColumnDef)
    ]
    return create, table, columns


def ddl_columns(sql_text: str) -> list[tuple[str, str]]:
    """(name, Hive type) as the DDL writes them: the JSON keys, before the catalog lower-cases."""
    return _parse_create(sql_text)[2]


def table_input_from_ddl(sql_text: str) -> tuple[str | None, dict]:
    """(database, TableInput) for an Athena/Hive CREATE EXTERNAL TABLE statement."""
    from sqlglot import exp

    create, table, columns = _parse_create(sql_text)
    database = table.args.get("db").name if table.args.get("db") else None

    props = create.args.get("properties")
    serde = input_format = output_format = location = None
    serde_params: dict[str, str] = {}
    table_params: dict[str, str] = {}
    partition_keys: list[tuple[str, str]] = []
    stored_as = None
    external = False
    for prop in props.expressions if props else []:
        if isinstance(prop, exp.ExternalProperty):
            external = True
        elif isinstance(prop, exp.PartitionedByProperty):
            part = prop.this
            cols = part.expressions if isinstance(part, exp.Schema) else [part]
            partition_keys = [
                (c.name, _hive(c.args["kind"])) for c in cols if isinstance(c, exp.ColumnDef)
            ]
        elif isinstance(prop, exp.RowFormatSerdeProperty):
            serde = _literal(prop.this)
            sp = prop.args.get("serde_properties")
            for p in sp.expressions if sp else []:
                serde_params[_literal(p.this)] = _literal(p.args["value"])
        elif isinstance(prop, exp.FileFormatProperty):
            fmt = prop.this
            if isinstance(fmt, exp.InputOutputFormat):
                input_format = _literal(fmt.args["input_format"])
                output_format = _literal(fmt.args["output_format"])
            else:
                stored_as = _literal(fmt).lower()
        elif isinstance(prop, exp.LocationProperty):
            location = _literal(prop.this)
        elif isinstance(prop, exp.Property):
            table_params[_literal(prop.this)] = _literal(prop.args["value"])
    if not location:
        raise LakehouseError(f"CREATE TABLE {table.name} has no LOCATION 's3://...'")

    fmt = stored_as if stored_as in STORAGE else None
    if fmt is None and serde:
        fmt = (
            "json"
            if "json" in serde.lower()
            else "parquet"
            if "parquet" in serde.lower()
            else "csv"
        )
    fmt = fmt or table_params.get("classification", "csv")
    doc = make_table_input(table.name, location, columns, fmt, partition_keys, table_params)
    sd = doc["StorageDescriptor"]
    if serde:
        sd["SerdeInfo"] = {"SerializationLibrary": serde, "Parameters": serde_params}
    if input_format:
        sd["InputFormat"] = input_format
    if output_format:
        sd["OutputFormat"] = output_format
    # Athena records EXTERNAL and only the TBLPROPERTIES given (no invented classification).
    doc["Parameters"] = {"EXTERNAL": "TRUE", **table_params} if external else dict(table_params)
    doc["TableType"] = "EXTERNAL_TABLE" if external else "MANAGED_TABLE"
    return database, doc
