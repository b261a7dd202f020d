"""The schema of Spark-written Parquet files, read from their footers with pyarrow.

Reading Parquet with mergeSchema (as Glue's catalog and S3 readers do) makes Spark run a job
that opens every footer before the real read: about a second per table read on a small lake.
Spark stores the exact schema it wrote in each footer (key
org.apache.spark.sql.parquet.row.metadata) and schema inference uses that; when every file
carries it and all agree, the merged schema IS that schema, so it is passed to the reader and
the inference job is skipped. Anything else (files from another writer, differing schemas,
partition folders, an unreadable footer) returns None and Spark infers as before.
"""

from __future__ import annotations

import os

SPARK_SCHEMA_KEY = b"org.apache.spark.sql.parquet.row.metadata"


def footer_schema(files: list[str], base: str | None = None):
    """The StructType every file's footer records, or None when Spark must infer it."""
    import pyarrow.parquet as pq
    from pyspark.sql.types import StructType

    if not files:
        return None
    found = None
    for path in files:
        folders = os.path.relpath(os.path.dirname(path), base or os.path.dirname(path))
        if "=" in folders:
            return None  # partition columns come from folder names: Spark infers them
        try:
            meta = pq.read_metadata(path).metadata or {}
        except Exception:  # noqa: BLE001 - not Parquet, unreadable: Spark reports it
            return None
        text = meta.get(SPARK_SCHEMA_KEY)
        if text is None or (found is not None and text != found):
            return None
        found = text
    import json

    return StructType.fromJson(json.loads(found))
