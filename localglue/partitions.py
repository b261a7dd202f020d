"""Catalog partitions in a job: which registered partitions a read or a purge takes, and
which partitions a sink wrote.

Glue keeps a partitioned table's partitions in the Data Catalog, one Partition per value set
(catalog.py stores them). `from_catalog` lists those partitions, not the files under the
table's location; `push_down_predicate` ("any Boolean expression supported by Spark SQL",
Glue developer guide, "Pre-filtering using pushdown predicates") and `catalogPartitionPredicate`
(server-side pruning) keep the partitions whose values satisfy them, before any file is
listed. Both are evaluated here with Spark SQL over a small frame holding one row of
partition values per partition, typed as the table's partition keys: a predicate that names
any other column cannot be resolved there, and is an error, as on Glue.
"""

from __future__ import annotations

import logging
import os

from localglue.catalog import partition_keys, unescape_path_name
from localglue.errors import LakehouseError
from localglue.gluetypes import from_hive

log = logging.getLogger("localglue.partitions")


class PartitionPredicateError(LakehouseError):
    """A partition predicate that names something other than the table's partition keys."""


def _key_types(table: dict) -> list[tuple[str, str]]:
    return [(k["Name"], k.get("Type") or "string") for k in table.get("PartitionKeys") or []]


def select(spark, table: dict, partitions: list[dict], predicate: str, option: str) -> list[dict]:
    """The partitions whose values satisfy `predicate` (Spark SQL over the partition keys).

    `option` names the predicate in errors (push_down_predicate, catalogPartitionPredicate,
    partitionPredicate). A table without partition keys has nothing to prune: the predicate
    is ignored with a warning."""
    if not predicate or not str(predicate).strip():
        return partitions
    label = f"{table.get('DatabaseName')}.{table.get('Name')}"
    keys = _key_types(table)
    if not keys:
        log.warning("%s: %s ignored: %s has no partition keys", label, option, label)
        return partitions
    from pyspark.errors import AnalysisException, ParseException
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    index = "__glue_partition_index"
    schema = T.StructType(
        [T.StructField(index, T.IntegerType())]
        + [T.StructField(name, T.StringType()) for name, _ in keys]
    )
    rows = [(i, *p["Values"]) for i, p in enumerate(partitions)]
    values = spark.createDataFrame(rows, schema).select(
        index, *[F.col(f"`{name}`").cast(from_hive(hive)).alias(name) for name, hive in keys]
    )
    try:
        chosen = values.where(predicate).select(index)
        picked = {row[0] for row in chosen.collect()}
    except (AnalysisException, ParseException) as exc:
        first = str(exc).strip().splitlines()[0]
        names = ", ".join(name for name, _ in keys)
        raise PartitionPredicateError(
            f"{option} {predicate!r} on {label} must name its partition keys only ({names}): "
            f"{first}; filter other columns after the read (Filter, or a SQL Query node)"
        ) from None
    return [p for i, p in enumerate(partitions) if i in picked]


def typed_values(table: dict, partition: dict) -> list[tuple[str, str, object]]:
    """(key, value, Spark type of the key) per partition key, for adding partition columns."""
    return [
        (name, value, from_hive(hive))
        for (name, hive), value in zip(_key_types(table), partition["Values"], strict=True)
    ]


def written(target: str, files: list[str], keys: list[str]) -> list[list[str]]:
    """The value sets a partitioned write produced, from its files' `k=v/` folders under
    target (Spark's partitionBy layout), in first-written order."""
    found: dict[tuple[str, ...], None] = {}
    for file in files:
        parts = os.path.relpath(file, target).split(os.sep)[: len(keys)]
        if len(parts) < len(keys) or not all("=" in p for p in parts):
            continue
        found[tuple(unescape_path_name(p.partition("=")[2]) for p in parts)] = None
    return [list(v) for v in found]


def check_keys(table: dict, keys: list[str]) -> None:
    """Glue: "Your partitionKeys must be equivalent, and in the same order, between your
    parameter passed in your ETL script and the partitionKeys in your Data Catalog table"."""
    expected = partition_keys(table)
    if [k.lower() for k in keys] != expected:
        raise LakehouseError(
            f"partitionKeys {keys} differ from the partition keys of catalog table "
            f"{table.get('DatabaseName')}.{table.get('Name')} ({expected}); Glue requires the "
            "same keys in the same order to add partitions"
        )
