"""The job commit protocol (localglue/transaction.py): inside a runner job, purges, writes,
catalog updates and bookmarks are staged and become visible together at commit; the end
result is Glue's (a sink appends; purge-then-write replaces). A failed job leaves the previous
table. Outside a runner the Glue API acts at once, as on Glue."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from localglue import transaction
from localglue.catalog import Catalog
from localglue.runner import run_script

TARGET = "s3://stedi-lake-house/t/out/"
HEADER = """\
import sys, os, json
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue import DynamicFrame
args = getResolvedOptions(sys.argv, ['JOB_NAME', 'ROWS'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)
rows = [(i, 'v%d' % i) for i in range(int(args['ROWS']))]
frame = DynamicFrame.fromDF(spark.createDataFrame(rows, ['id', 'v']), glueContext, 'frame')
def write(f):
    sink = glueContext.getSink(path="{target}", connection_type="s3",
        updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True,
        transformation_ctx="sink")
    sink.setCatalogInfo(catalogDatabase="stedi", catalogTableName="t_out")
    sink.setFormat("glueparquet", compression="snappy")
    sink.writeFrame(f)
def purge():
    glueContext.purge_s3_path("{target}", {{"retentionPeriod": 0}})
def observe(name):
    local = glueContext.lake.local_path("{target}")
    seen = sorted(os.listdir(local)) if os.path.isdir(local) else []
    with open(os.path.join(os.environ["OBSERVE_DIR"], name + ".json"), "w") as fh:
        json.dump(seen, fh)
"""


def script(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "job.py"
    path.write_text(HEADER.format(target=TARGET) + textwrap.dedent(body))
    return path


def target_files(lake) -> list[str]:
    folder = Path(lake.local_path(TARGET))
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def target_rows(lake) -> int:
    folder = Path(lake.local_path(TARGET))
    return ds.dataset(str(folder), format="parquet").count_rows() if folder.is_dir() else 0


@pytest.fixture(autouse=True)
def stedi_database(lake):
    """Sinks with enableUpdateCatalog create tables, not databases (as on Glue)."""
    from localglue.catalog import Catalog

    Catalog(lake).ensure_database("stedi")


@pytest.fixture
def observe(tmp_path, monkeypatch):
    folder = tmp_path / "observed"
    folder.mkdir()
    monkeypatch.setenv("OBSERVE_DIR", str(folder))
    return lambda name: json.loads((folder / f"{name}.json").read_text())


def run(path, lake, rows, spark):
    result = run_script(path, ["--JOB_NAME", "t", "--ROWS", str(rows)], lake, spark=spark)
    staging = lake.staging_dir
    assert not staging.is_dir() or not any(staging.iterdir()), "staging is cleaned up"
    return result


REPLACE = """
purge()
write(frame)
observe("before_commit")
job.commit()
observe("after_commit")
"""


def test_purge_then_write_replaces_the_table_only_at_commit(spark, lake, tmp_path, observe):
    path = script(tmp_path, REPLACE)
    assert run(path, lake, 5, spark).ok
    first = target_files(lake)
    assert target_rows(lake) == 5
    assert run(path, lake, 3, spark).ok
    assert observe("before_commit") == first, "nothing visible before job.commit()"
    after = observe("after_commit")
    assert after == target_files(lake) and not set(after) & set(first)
    assert target_rows(lake) == 3, "Glue: purge + append = the new rows only"


def test_a_sink_without_purge_appends_as_on_glue(spark, lake, tmp_path):
    """Glue S3 sinks add files; a re-run without a purge duplicates the rows."""
    path = script(tmp_path, "write(frame)\njob.commit()\n")
    assert run(path, lake, 4, spark).ok and run(path, lake, 4, spark).ok
    assert target_rows(lake) == 8


def test_writes_after_the_last_commit_are_committed_when_the_script_ends(spark, lake, tmp_path):
    """A script without job.commit() still writes (Glue writes as it goes)."""
    assert run(script(tmp_path, "write(frame)\n"), lake, 2, spark).ok
    assert target_rows(lake) == 2


@pytest.mark.parametrize(
    "body",
    [
        "purge()\nraise RuntimeError('boom after the purge')\n",
        "purge()\nwrite(frame)\nraise RuntimeError('boom after the write')\n",
        "purge()\nwrite(frame)\nsys.exit(3)\n",
    ],
    ids=["after purge", "after write", "sys.exit"],
)
def test_a_failed_job_leaves_the_previous_table_and_catalog(spark, lake, tmp_path, body):
    assert run(script(tmp_path / "first", "purge()\nwrite(frame)\n"), lake, 5, spark).ok
    files, table = target_files(lake), Catalog(lake).get_table("stedi", "t_out")
    result = run(script(tmp_path, body), lake, 3, spark)
    assert not result.ok
    assert target_files(lake) == files and target_rows(lake) == 5
    assert Catalog(lake).get_table("stedi", "t_out") == table


def test_a_purge_after_a_write_in_the_same_job_removes_that_write(spark, lake, tmp_path):
    """Glue's purge_s3_path deletes every file older than retentionPeriod hours (0: all),
    including files this job wrote a moment ago."""
    body = "write(frame)\nimport time; time.sleep(0.01)\npurge()\n"
    assert run(script(tmp_path, body), lake, 3, spark).ok
    assert target_rows(lake) == 0


def test_reads_after_a_purge_in_the_same_job_no_longer_see_the_files(
    spark, lake, tmp_path, observe
):
    assert run(script(tmp_path / "first", "write(frame)\n"), lake, 4, spark).ok
    body = f"""
    purge()
    got = glueContext.create_dynamic_frame.from_options(connection_type="s3", format="parquet",
        connection_options={{"paths": ["{TARGET}"], "recurse": True}}, transformation_ctx="src")
    with open(os.path.join(os.environ["OBSERVE_DIR"], "read.json"), "w") as fh:
        json.dump(got.count(), fh)
    """
    assert run(script(tmp_path, body), lake, 1, spark).ok
    assert observe("read") == 0


def test_the_job_sees_its_own_staged_catalog_table(spark, lake, tmp_path, observe):
    body = """
    write(frame)
    table = glueContext.catalog.get_table("stedi", "t_out")
    on_disk = os.path.exists(os.path.join(str(glueContext.lake.catalog_dir), "stedi", "t_out.json"))
    with open(os.path.join(os.environ["OBSERVE_DIR"], "catalog.json"), "w") as fh:
        json.dump([table["Name"], on_disk, glueContext.catalog.list_tables("stedi")], fh)
    """
    assert run(script(tmp_path, body), lake, 1, spark).ok
    assert observe("catalog") == ["t_out", False, ["t_out"]]
    assert Catalog(lake).table_exists("stedi", "t_out")


def test_outside_a_runner_purge_and_write_act_at_once(spark, lake):
    from localglue.awsglue.context import GlueContext
    from localglue.awsglue.dynamicframe import DynamicFrame
    from localglue.lake import using

    with using(lake):
        glue = GlueContext(spark.sparkContext)
        df = spark.createDataFrame([(1, "a")], ["id", "v"])
        glue.write_dynamic_frame.from_options(
            DynamicFrame.fromDF(df, glue, "f"), "s3", {"path": TARGET}, "glueparquet"
        )
        assert target_rows(lake) == 1
        glue.purge_s3_path(TARGET, {"retentionPeriod": 0})
        assert target_rows(lake) == 0
    assert not lake.staging_dir.exists()


# -- recovery, without Spark ---------------------------------------------------------------
def _staged_commit(lake):
    """A transaction that replaces old.parquet by new.parquet and updates a document."""
    folder = Path(lake.local_path(TARGET))
    folder.mkdir(parents=True)
    (folder / "old.parquet").write_text("old")
    txn = transaction.Transaction(lake, "jr_test")
    txn.purge(str(folder), cutoff=float("inf"))
    staged = txn.dir / "write-0001" / "out" / "part-0"
    staged.parent.mkdir(parents=True)
    staged.write_text("new")
    txn.stage_move(str(staged), str(folder / "new.parquet"))
    txn.stage_document(lake.catalog_dir / "stedi" / "t_out.json", '{"Name": "t_out"}')
    return txn, folder


def test_recover_discards_a_run_that_never_reached_its_journal(lake):
    txn, folder = _staged_commit(lake)
    assert transaction.recover(lake) == ["discarded the uncommitted writes of job run jr_test"]
    assert sorted(os.listdir(folder)) == ["old.parquet"]
    assert not (lake.catalog_dir / "stedi" / "t_out.json").exists()
    assert not any(lake.staging_dir.iterdir())


@pytest.mark.parametrize("applied_moves", [0, 1])
def test_recover_rolls_a_written_journal_forward(lake, applied_moves):
    txn, folder = _staged_commit(lake)
    journal = txn.journal()
    transaction.write_text_atomic(txn.dir / transaction.JOURNAL, json.dumps(journal))
    for staged, final in journal["moves"][:applied_moves]:  # crashed part-way through step 2
        os.replace(lake.root / staged, lake.root / final)
    assert transaction.recover(lake) == ["rolled forward the commit of job run jr_test"]
    assert sorted(os.listdir(folder)) == ["new.parquet"]
    assert (folder / "new.parquet").read_text() == "new"
    assert json.loads((lake.catalog_dir / "stedi" / "t_out.json").read_text()) == {"Name": "t_out"}
    assert not any(lake.staging_dir.iterdir())
    transaction.roll_forward(lake, journal)  # idempotent: a second pass changes nothing
    assert sorted(os.listdir(folder)) == ["new.parquet"]
