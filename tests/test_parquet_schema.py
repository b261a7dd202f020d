"""The Parquet schema from Spark's own footers (localglue/parquet_schema.py) is exactly the
schema Spark's mergeSchema inference gives, and anything it cannot vouch for is left to Spark."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from localglue.parquet_schema import footer_schema


def _parts(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.parquet"))


def _spark_inferred(spark, files, base):
    return spark.read.option("mergeSchema", "true").option("basePath", base).parquet(*files).schema


@pytest.mark.parametrize(
    "columns",
    [
        ["CAST(id AS STRING) AS user", "id AS timestamp", "id * 0.5 AS x"],  # non-nullable
        [
            "CAST(NULL AS STRING) AS customerName",
            "DATE'2024-01-02' AS birthDay",
            "TIMESTAMP'2024-01-02 03:04:05' AS seen",
            "CAST(id AS INT) AS n",
            "id > 1 AS ok",
            "CAST(id AS DECIMAL(10,2)) AS d",
        ],
        ["named_struct('distance', id, 'at', id) AS reading", "array('a', NULL) AS tags"],
    ],
    ids=["non-nullable", "typed", "nested"],
)
def test_the_footer_schema_is_the_schema_spark_infers_with_merge_schema(spark, tmp_path, columns):
    folder = tmp_path / "table"
    spark.range(4).selectExpr(*columns).repartition(2).write.parquet(str(folder))
    files = _parts(folder)
    assert len(files) == 2
    schema = footer_schema(files, str(folder))
    given = spark.read.option("basePath", str(folder)).schema(schema).parquet(*files)
    assert given.schema == _spark_inferred(spark, files, str(folder))
    assert given.collect() == spark.read.parquet(*files).collect()


def test_files_with_different_schemas_are_left_to_spark_to_merge(spark, tmp_path):
    folder = tmp_path / "table"
    spark.createDataFrame([("a", 1)], "user string, n bigint").write.parquet(str(folder / "a"))
    spark.createDataFrame([("b", 2.0)], "user string, x double").write.parquet(str(folder / "b"))
    assert footer_schema(_parts(folder), str(folder)) is None


def test_partition_folders_are_left_to_spark(spark, tmp_path):
    folder = tmp_path / "table"
    df = spark.createDataFrame([("a", 1)], "user string, day int")
    df.write.partitionBy("day").parquet(str(folder))
    assert footer_schema(_parts(folder), str(folder)) is None


def test_parquet_from_another_writer_is_left_to_spark(tmp_path):
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"user": ["a"]}), path)
    assert footer_schema([str(path)], str(tmp_path)) is None


def test_a_file_that_is_not_parquet_is_left_to_spark(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet")
    assert footer_schema([str(path)], str(tmp_path)) is None
