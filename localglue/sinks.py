"""Write DynamicFrames to the local lake the way Glue's S3 sinks do.

Glue sinks APPEND: every run adds new files named run-<epoch ms>-part-...,
so re-running a job duplicates its output unless the target is purged first.
Spark writes into a hidden staging folder inside the target; the finished files
are then moved up under Glue-style unique names. Inside a job transaction
(transaction.py) Spark writes under <lake>/_staging/<run id>/ instead and the moves
are only planned: they happen when the job commits. Rows written are counted from
the files themselves (Parquet footers, JSON/CSV lines), not by re-running the plan.
"""

from __future__ import annotations

import gzip
import os
import shutil
import time
import uuid
from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import types as T

from localglue.catalog import Catalog, make_table_input, table_format
from localglue.errors import LakehouseError
from localglue.gluetypes import hive_type

# Glue's compression names -> Spark's, per format.
_PARQUET_CODECS = {
    "snappy": "snappy",
    "gzip": "gzip",
    "uncompressed": "uncompressed",
    "none": "uncompressed",
    "lzo": "lzo",
    "brotli": "brotli",
    "lz4": "lz4",
    "zstd": "zstd",
}
_TEXT_CODECS = {
    "gzip": "gzip",
    "gz": "gzip",
    "bzip2": "bzip2",
    "bzip": "bzip2",  # the name the S3 connection-options page gives
    "bz2": "bzip2",
    "deflate": "deflate",
    "snappy": "snappy",
    "lz4": "lz4",
    "none": "none",
    "uncompressed": "none",
}
# Hadoop codecs' default extensions: what a compressed text part file ends with.
_TEXT_EXTENSIONS = {
    "gzip": ".gz",
    "bzip2": ".bz2",
    "deflate": ".deflate",
    "snappy": ".snappy",
    "lz4": ".lz4",
    "none": "",
}
FORMATS = ("glueparquet", "parquet", "json", "csv")


@dataclass
class WriteResult:
    path: str
    files: list[str]
    rows: int
    fmt: str


def storage_format(fmt: str) -> str:
    """glueparquet/parquet -> parquet; json; csv."""
    f = (fmt or "").lower()
    if f in ("glueparquet", "parquet"):
        return "parquet"
    if f in ("json", "csv"):
        return f
    raise LakehouseError(
        f"format {fmt!r} is not supported by this local Glue runtime; use one of {', '.join(FORMATS)}"
    )


def spark_codec(fmt: str, compression: str | None) -> str:
    kind = storage_format(fmt)
    if compression is None or compression == "":
        return "snappy" if kind == "parquet" else "none"
    table = _PARQUET_CODECS if kind == "parquet" else _TEXT_CODECS
    key = str(compression).lower()
    if key not in table:
        raise LakehouseError(
            f"compression {compression!r} is not valid for {fmt}; use one of {', '.join(sorted(table))}"
        )
    return table[key]


def _truthy(value) -> bool:
    return str(value).lower() in ("true", "1", "yes")


def sink_compression(connection_options: dict, format_options: dict) -> str | None:
    """The codec a Glue S3 sink uses: a format option (parquet's `compression`) or the S3
    connection option `compression` (getSink(compression=...), connection_options)."""
    for opts in (format_options, connection_options):
        value = (opts or {}).get("compression")
        if value not in (None, ""):
            return str(value)
    return None


def write_df(
    df: DataFrame,
    local_dir: str,
    fmt: str,
    partition_keys: list[str] | None = None,
    format_options: dict | None = None,
    txn=None,
) -> WriteResult:
    """Write df under local_dir; with a transaction (txn) the files are staged, not yet moved.

    For json, df holds the records' JSON text in one `value` column (json_records.record_line)
    plus the partition keys: Spark's JSON writer would drop the nulls Glue writes.
    """
    opts = dict(format_options or {})
    kind = storage_format(fmt)
    codec = spark_codec(fmt, opts.get("compression"))
    if txn is not None:
        staging = txn.new_write_dir()
    else:
        os.makedirs(local_dir, exist_ok=True)
        staging = os.path.join(local_dir, f".glue-staging-{uuid.uuid4().hex}")
    writer = df.write.mode("overwrite").option("compression", codec)
    if kind == "csv":
        writer = writer.option("header", _truthy(opts.get("writeHeader", True)))
        writer = writer.option("sep", opts.get("separator", ","))
        if "quoteChar" in opts:
            writer = writer.option("quote", opts["quoteChar"])
        if "escaper" in opts:
            writer = writer.option("escape", opts["escaper"])
    if partition_keys:
        writer = writer.partitionBy(*partition_keys)
    header = _truthy(opts.get("writeHeader", True))
    spark_format = "text" if kind == "json" else kind
    if txn is not None:
        writer.format(spark_format).save(staging)
        moves = _publish(staging, local_dir, fmt, codec, txn)
        rows = sum(count_file_rows(src, kind, header) for src, _ in moves)
        return WriteResult(local_dir, [dest for _, dest in moves], rows, fmt)
    try:
        writer.format(spark_format).save(staging)
        files = [dest for _, dest in _publish(staging, local_dir, fmt, codec)]
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    rows = sum(count_file_rows(f, kind, header) for f in files)
    return WriteResult(local_dir, files, rows, fmt)


def _publish(staging: str, target: str, fmt: str, codec: str, txn=None) -> list[tuple[str, str]]:
    """Move Spark's part files up into target under unique Glue-style names.

    With a transaction the move is only staged (txn.stage_move); returns (source, dest) pairs."""
    stamp = int(time.time() * 1000)
    published: list[tuple[str, str]] = []
    taken = txn.taken if txn is not None else os.path.exists
    index = 0
    for root, dirs, names in os.walk(staging):
        dirs.sort()
        rel = os.path.relpath(root, staging)
        for name in sorted(names):
            if not name.startswith("part-") or name.endswith(".crc"):
                continue
            src = os.path.join(root, name)
            if _is_empty_output(src, fmt):
                continue
            dest_dir = target if rel == "." else os.path.join(target, rel)
            while True:
                dest = os.path.join(dest_dir, _glue_name(stamp, index, name, fmt, codec))
                if not taken(dest):
                    break
                stamp += 1
            if txn is not None:
                txn.stage_move(src, dest)
            else:
                os.makedirs(dest_dir, exist_ok=True)
                os.replace(src, dest)
            published.append((src, dest))
            index += 1
    return published


def _glue_name(stamp: int, index: int, spark_name: str, fmt: str, codec: str) -> str:
    """File names as Glue's writers give them (seen in public S3 listings, docs/fidelity.md):

    glueparquet  run-<ms>-part-block-0-r-00000-snappy.parquet   (Glue's Parquet writer)
    parquet      part-00000-<uuid>-c000.snappy.parquet          (routed to Spark's sink)
    json, csv    run-<ms>-part-r-00000, plus .gz/.bz2/... when compressed (no .json/.csv)
    """
    if fmt.lower() == "glueparquet":
        suffix = "" if codec == "uncompressed" else f"-{codec}"
        return f"run-{stamp}-part-block-0-r-{index:05d}{suffix}.parquet"
    if storage_format(fmt) == "parquet":
        return spark_name
    return f"run-{stamp}-part-r-{index:05d}{_TEXT_EXTENSIONS.get(codec, '')}"


def _is_empty_output(path: str, fmt: str) -> bool:
    if storage_format(fmt) == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows == 0
    return os.path.getsize(path) == 0


def _open_text(path: str):
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    if path.endswith(".bz2"):
        import bz2

        return bz2.open(path, "rb")
    return open(path, "rb")


def count_file_rows(path: str, kind: str, header: bool) -> int:
    if kind == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    try:
        with _open_text(path) as fh:
            lines = sum(1 for line in fh if line.strip())
    except OSError:
        return 0
    return max(0, lines - 1) if kind == "csv" and header else lines


# -- catalog ------------------------------------------------------------------------------
def table_input_for(
    name: str,
    location: str,
    schema: T.StructType,
    fmt: str,
    partition_keys: list[str] | None = None,
) -> dict:
    """The TableInput a Glue sink with enableUpdateCatalog writes for this frame."""
    keys = list(partition_keys or [])
    lower_keys = {k.lower() for k in keys}
    columns = [
        (f.name, hive_type(f.dataType)) for f in schema.fields if f.name.lower() not in lower_keys
    ]
    by_name = {f.name.lower(): f for f in schema.fields}
    parts = [(k, hive_type(by_name[k.lower()].dataType)) for k in keys if k.lower() in by_name]
    kind = storage_format(fmt)
    params = {"useGlueParquetWriter": "true"} if fmt.lower() == "glueparquet" else {}
    return make_table_input(name, location, columns, kind, parts, params)


def update_catalog(
    catalog: Catalog,
    database: str,
    table: str,
    location: str,
    schema: T.StructType,
    fmt: str,
    partition_keys: list[str] | None,
    update_behavior: str = "UPDATE_IN_DATABASE",
) -> dict:
    """Create the table, or (UPDATE_IN_DATABASE) overwrite its schema; LOG keeps an existing one."""
    behavior = (update_behavior or "UPDATE_IN_DATABASE").upper()
    if behavior not in ("UPDATE_IN_DATABASE", "LOG"):
        raise LakehouseError(
            f"updateBehavior {update_behavior!r} must be UPDATE_IN_DATABASE or LOG"
        )
    new = table_input_for(table, location, schema, fmt, partition_keys)
    if catalog.table_exists(database, table):
        existing = catalog.get_table(database, table)
        if behavior == "LOG":
            return existing
        # Keep what Glue keeps on update (description, owner, extra parameters).
        merged = {k: v for k, v in existing.items() if k in ("Description", "Owner", "Retention")}
        merged.update(new)
        merged["Parameters"] = {**(existing.get("Parameters") or {}), **new["Parameters"]}
        return catalog.upsert_table(database, merged)
    return catalog.upsert_table(database, new)


def catalog_format(table: dict) -> str:
    return table_format(table)
