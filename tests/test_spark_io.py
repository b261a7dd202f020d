"""Plain Spark inside a job, as on Glue: `spark.read`/`df.write` on s3:// paths map into the
lake (and never out of it), and Spark SQL sees the local Data Catalog, as a Glue job run with
`--enable-glue-datacatalog` sees the Glue Data Catalog.

Pinned behaviour:
- a path a job names resolves inside the lake or is refused with one line (`..`, an absolute
  or file:// path outside the lake, a symbolic link out), for reads and writes alike;
- Spark's save modes keep their meaning on s3:// targets, and writes land with the job's
  commit (transaction.py);
- `spark.sql`, `spark.table` and `spark.read.table` read catalog tables as Glue does (JSON
  tables' lower-case columns over camelCase keys, only the registered partitions), and
  `INSERT INTO`/`insertInto`/`saveAsTable` write into them; nothing a job does to Spark's
  catalog reaches the next job.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import duckdb
import pytest

from localglue.lake import OutsideLakeError

HANDWRITTEN = Path(__file__).parent / "fixtures" / "handwritten"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from stedi.generator import generate

    out = tmp_path_factory.mktemp("sample")
    generate(out, 40)
    return out


@pytest.fixture
def landed(sample, lake):
    from stedi.ingest import ingest

    ingest(sample, lake)
    return lake


@contextlib.contextmanager
def in_job(lake):
    """What a running job has: the lake, the shim, a transaction (committed on success)."""
    from localglue import transaction
    from localglue.lake import using
    from localglue.shim import glue_shim

    with using(lake), glue_shim(), transaction.job_transaction(lake) as txn:
        yield txn
        txn.apply()


def test_a_handwritten_job_with_spark_io_on_s3_paths_and_spark_sql_on_catalog_tables_runs(
    spark, landed
):
    from lakehouse.cli import main

    script = HANDWRITTEN / "trusted_with_spark_io.py"
    assert main(["job", "--lake", str(landed.root), str(script)]) == 0
    root = landed.root / "stedi-lake-house"
    con = duckdb.connect()
    # The same rules, computed by DuckDB from the landing files.
    con.execute(
        f"CREATE VIEW customers AS SELECT * FROM read_json_auto('{root}/customer/landing/*.json')"
    )
    expected_customers = con.execute(
        "SELECT count(*) FROM customers WHERE shareWithResearchAsOfDate IS NOT NULL"
        " AND shareWithResearchAsOfDate <> 0"
    ).fetchone()[0]
    expected_readings = con.execute(
        f"SELECT count(*) FROM read_json_auto('{root}/accelerometer/landing/*.json') r"
        " WHERE r.user IN (SELECT email FROM customers WHERE shareWithResearchAsOfDate"
        " IS NOT NULL AND shareWithResearchAsOfDate <> 0)"
    ).fetchone()[0]
    trusted = con.execute(
        f"SELECT * FROM read_parquet('{root}/customer/trusted_handwritten/*.parquet')"
    )
    columns = [d[0] for d in trusted.description]
    assert len(trusted.fetchall()) == expected_customers > 0
    assert columns[:3] == ["customername", "email", "phone"]  # the catalog's lower-case names
    readings = con.execute(
        f"SELECT count(*) FROM read_json_auto('{root}/accelerometer/trusted_handwritten/part-*')"
    ).fetchone()[0]
    assert readings == expected_readings > 0
    assert not list((landed.root / "_staging").glob("*"))  # committed, nothing left staged


def hostile_paths(lake):
    outside = lake.root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "x.json").write_text('{"secret": 1}\n')
    (lake.root / "b").mkdir(parents=True, exist_ok=True)
    link = lake.root / "b" / "link"
    if not link.exists():
        os.symlink(outside, link)
    return [
        "s3://b/../../etc",
        "s3://../x",
        "s3a://b//etc/passwd",
        str(outside),
        (outside / "x.json").as_uri(),
        "s3://b/link/x.json",
        "../outside",
    ]


HOSTILE_IDS = [
    "dotdot-key",
    "dotdot-bucket",
    "absolute-key",
    "abs-path",
    "file-uri",
    "symlink",
    "relative",
]


@pytest.mark.parametrize(
    "use",
    [
        lambda spark, p: spark.read.json(p),
        lambda spark, p: spark.read.parquet("s3://b/ok/", p),
        lambda spark, p: spark.read.format("json").load(p),
        lambda spark, p: spark.read.format("json").option("path", p).load(),
        lambda spark, p: spark.read.text([p]),
        lambda spark, p: spark.range(1).write.parquet(p),
        lambda spark, p: spark.range(1).write.mode("append").csv(p),
        lambda spark, p: spark.range(1).write.format("json").save(path=p),
        lambda spark, p: spark.range(1).write.option("path", p).save(),
    ],
    ids=[
        "read.json",
        "read.parquet",
        "load",
        "option-path",
        "read.text",
        "write.parquet",
        "write.csv",
        "save",
        "write-option-path",
    ],
)
@pytest.mark.parametrize("index", range(len(HOSTILE_IDS)), ids=HOSTILE_IDS)
def test_a_spark_path_that_would_leave_the_lake_is_refused_with_one_line(spark, lake, use, index):
    path = hostile_paths(lake)[index]
    before = sorted(os.listdir(lake.root.parent / "outside"))
    with in_job(lake), pytest.raises(OutsideLakeError) as caught:
        use(spark, path)
    message = str(caught.value)
    assert "\n" not in message and path in message
    assert sorted(os.listdir(lake.root.parent / "outside")) == before


def test_spark_paths_are_plain_again_after_the_job(spark, lake, tmp_path):
    with in_job(lake):
        pass
    out = tmp_path / "plain"
    spark.range(2).write.parquet(str(out))  # no lake mapping outside a job
    assert spark.read.parquet(str(out)).count() == 2


def test_a_spark_write_lands_with_the_job_commit_not_before(spark, lake):
    from localglue import transaction
    from localglue.lake import using
    from localglue.shim import glue_shim

    target = lake.root / "b" / "out"
    with using(lake), glue_shim(), transaction.job_transaction(lake) as txn:
        spark.range(3).write.parquet("s3://b/out/")
        assert not target.exists()  # staged
        txn.discard()  # the job failed
    assert not target.exists()
    with in_job(lake):
        spark.range(3).write.parquet("s3://b/out/")
    assert spark.read.parquet(str(target)).count() == 3


@pytest.mark.parametrize(
    ("mode", "rows"),
    [("append", 5), ("overwrite", 3), ("ignore", 2)],
)
def test_save_modes_keep_their_spark_meaning_on_s3_paths(spark, lake, mode, rows):
    with in_job(lake):
        spark.range(2).write.json("s3://b/modes/")
    with in_job(lake):
        spark.range(3).write.mode(mode).json("s3://b/modes/")
    assert spark.read.json(str(lake.root / "b" / "modes")).count() == rows


def test_errorifexists_is_the_default_save_mode(spark, lake):
    from localglue.spark_paths import PathAlreadyExists

    with in_job(lake):
        spark.range(2).write.parquet("s3://b/once/")
    with in_job(lake), pytest.raises(PathAlreadyExists, match=r"Path s3://b/once.* already exists"):
        spark.range(2).write.parquet("s3://b/once/")


def test_overwrite_of_a_partitioned_path_is_static_unless_the_job_asks_for_dynamic(spark, lake):
    df = spark.createDataFrame([(1, "a"), (2, "b")], "id long, k string")
    with in_job(lake):
        df.write.partitionBy("k").parquet("s3://b/parts/")
    with in_job(lake):
        df.where("k = 'a'").write.mode("overwrite").partitionBy("k").parquet("s3://b/parts/")
    assert sorted(os.listdir(lake.root / "b" / "parts")) == ["_SUCCESS", "k=a"]
    with in_job(lake):
        df.where("k = 'b'").write.partitionBy("k").mode("append").parquet("s3://b/parts/")
        spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
        df.where("k = 'b'").write.mode("overwrite").partitionBy("k").parquet("s3://b/parts/")
        spark.conf.unset("spark.sql.sources.partitionOverwriteMode")
    assert spark.read.parquet(str(lake.root / "b" / "parts")).count() == 2


# -- the Data Catalog in Spark SQL --------------------------------------------------------------
def test_spark_sql_reads_a_json_catalog_table_with_its_lower_case_columns(spark, landed):
    with in_job(landed):
        df = spark.sql("SELECT * FROM stedi.customer_landing")
        names = df.columns
        consenting = df.where("sharewithresearchasofdate IS NOT NULL").count()
        same = spark.table("stedi.customer_landing").count()
        also = spark.read.table("`stedi`.`customer_landing`").count()
    assert names == [n.lower() for n in names] and "sharewithresearchasofdate" in names
    assert 0 < consenting < same == also == 40


def test_spark_sql_sees_the_current_database_after_use(spark, landed):
    with in_job(landed):
        spark.sql("USE stedi")
        count = spark.sql("SELECT count(*) AS n FROM step_trainer_landing").first()["n"]
        tables = {r.tableName for r in spark.sql("SHOW TABLES").collect()}
        spark.sql("USE default")
    assert count > 0
    assert {"customer_landing", "accelerometer_landing", "step_trainer_landing"} <= tables


def test_spark_sql_reads_only_the_registered_partitions(spark, glue, lake):
    from localglue.catalog import Catalog, make_table_input

    table = make_table_input("t", "s3://b/t/", [("id", "bigint")], "parquet", [("k", "string")])
    Catalog(lake).upsert_table("db", table)
    for k in ("a", "b"):
        spark.createDataFrame([(1,)], "id long").write.parquet(lake.local_path(f"s3://b/t/k={k}/"))
    Catalog(lake).batch_create_partition("db", "t", [["a"]])
    with in_job(lake):
        rows = spark.sql("SELECT id, k FROM db.t").collect()
    assert [tuple(r) for r in rows] == [(1, "a")]


def test_nothing_a_job_registers_in_spark_s_catalog_reaches_the_next_job(spark, landed):
    with in_job(landed):
        spark.sql("SELECT count(*) FROM stedi.customer_landing").collect()
        spark.sql("CREATE DATABASE scratch")
    names = {d.name for d in spark.catalog.listDatabases()}
    assert "stedi" not in names and "scratch" not in names


@pytest.mark.parametrize("how", ["sql", "insertInto"])
def test_inserts_into_a_catalog_table_land_in_its_location_and_add_its_partitions(spark, lake, how):
    from localglue.catalog import Catalog, make_table_input

    cols, keys = [("id", "bigint"), ("email", "string")], [("year", "string")]
    Catalog(lake).upsert_table("db", make_table_input("r", "s3://b/r/", cols, "parquet", keys))
    rows = spark.createDataFrame(
        [(1, "a@x", "2023"), (2, "b@x", "2024")], "id long, email string, year string"
    )
    with in_job(lake):
        if how == "sql":
            rows.createOrReplaceTempView("new_rows")
            spark.sql("INSERT INTO db.r SELECT * FROM new_rows")
        else:
            rows.write.insertInto("db.r")
        assert not (lake.root / "b" / "r").exists()  # staged until the job commits
    assert [p["Values"] for p in Catalog(lake).get_partitions("db", "r")] == [["2023"], ["2024"]]
    assert spark.read.parquet(str(lake.root / "b" / "r")).count() == 2
    with in_job(lake):
        assert spark.sql("SELECT count(*) FROM db.r").first()[0] == 2


def test_save_as_table_follows_spark_s_rules_for_the_catalog_s_hive_tables(spark, landed):
    from localglue.catalog import Catalog
    from localglue.spark_catalog import TableWriteError

    df = spark.createDataFrame([(1, "x")], "id long, name string")
    with in_job(landed), pytest.raises(TableWriteError, match="already exists"):
        df.write.saveAsTable("stedi.customer_landing")
    with in_job(landed), pytest.raises(TableWriteError, match="Hive serde table"):
        df.write.mode("append").saveAsTable("stedi.customer_landing")
    with in_job(landed), pytest.raises(TableWriteError, match="has no LocationUri"):
        df.write.saveAsTable("stedi.brand_new")
    catalog = Catalog(landed)
    catalog.create_database({"Name": "curated", "LocationUri": "s3://stedi-lake-house/curated"})
    with in_job(landed):
        df.write.saveAsTable("curated.names")
        df.write.mode("append").saveAsTable("curated.names")
    table = catalog.get_table("curated", "names")
    assert table["StorageDescriptor"]["Location"] == "s3://stedi-lake-house/curated/names/"
    assert spark.read.parquet(str(landed.root / "stedi-lake-house/curated/names")).count() == 2
