"""Re-runs replace and ingest is order-free: 200-example properties that stay fast.

Idempotency lives in the runtime mechanism, not in the SQL: Glue S3 sinks append, so every
committed studio job purges its target in a CustomCode node
(`glueContext.purge_s3_path(path, {"retentionPeriod": 0})`) before `getSink(...).writeFrame`.
The property replays exactly that sequence, with the arguments read out of each committed
script, through the real runtime (GlueContext, sinks, job transaction, Job.init/commit, as
localglue.runner.run_script wraps a script), twice on a fresh lake, with the job's real
output for a random STEDI-shaped landing as the frame. Running the scripts themselves costs
about a second per run (JSON inference, DQ, SQL): too slow for 200 examples of 2 runs each.

Determinism: test_privacy_properties shuffles the readings after acceptance. Here the same
landing is split over several files and reordered *before* acceptance, so the ingest rules
(stedi.landing.scan_source: file order, duplicate customers) are inside the property too.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import Landing, landings

from localglue.errors import LakehouseError
from localglue.scripts import read_script
from stedi import landing as landing_rules

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # bench/ is a top-level package beside lakehouse/
    sys.path.insert(0, str(REPO))

from bench import jobsql  # noqa: E402

PROFILES = ("rubric", "strict")
SOURCES = ("customer", "accelerometer", "step_trainer")
MANY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def canonical_rows(rows: list[dict]) -> list[tuple[str, int]]:
    """A multiset of rows in an order-free, comparable form."""
    return sorted(Counter(json.dumps(r, sort_keys=True) for r in rows).items())


def accept(root: Path) -> dict[str, list[dict]]:
    """The landing tables as ingest accepts <root>/<source>/landing/ (stedi.landing)."""
    return {
        f"{source}_landing": [
            json.loads(line)
            for line in landing_rules.scan_source(
                root / source / "landing", source
            ).accepted_lines()
        ]
        for source in SOURCES
    }


# -- the purge and sink of each committed job, read out of its script -------------------


@dataclass(frozen=True)
class JobWrite:
    """What a committed job does to its target: purge_s3_path(...) then getSink(...)."""

    profile: str
    name: str
    target: str
    purge: tuple  # purge_s3_path positional arguments
    sink: dict  # getSink keyword arguments
    catalog: dict  # setCatalogInfo keyword arguments
    fmt: tuple  # setFormat positional arguments
    fmt_options: dict  # setFormat keyword arguments

    def __str__(self) -> str:
        return f"{self.profile}/{self.name}"


def read_job_write(profile: str, job: str) -> JobWrite:
    path = jobsql.STUDIO_JOBS / profile / f"{job}.py"
    script = read_script(path)
    assert len(script.purges) == 1 and len(script.sinks) == 1, f"{path}: one purge, one sink"
    [(purge_path, purge_options, _)] = script.purges
    [sink] = script.sinks
    assert sink.input, f"{path}: {sink.var}.writeFrame expected"
    catalog = {"catalogDatabase": sink.database, "catalogTableName": sink.table}
    return JobWrite(
        profile,
        job,
        sink.table,
        (purge_path, purge_options),
        dict(script.nodes[sink.var].options),
        catalog,
        (sink.format,),
        sink.format_options,
    )


JOB_WRITES = [read_job_write(p, j) for p in PROFILES for j in jobsql.JOB_ORDER]


# -- one job run: purge + write in a job transaction, as the runner runs a script -------


def _spark_frame(spark, table: jobsql.Table, partitions: int):
    """A job's DuckDB output (Arrow) as a Spark DataFrame with the same column types.

    Built through Arrow so the data sits in the JVM: a frame built from Python rows makes
    every write start Python workers (about twice the cost per example, measured)."""
    import pyarrow as pa
    from pyspark.sql import types as T

    kinds = {
        pa.string(): T.StringType(),
        pa.int64(): T.LongType(),
        pa.int32(): T.IntegerType(),
        pa.float64(): T.DoubleType(),
    }
    schema = T.StructType([T.StructField(f.name, kinds[f.type], True) for f in table.arrow.schema])
    if not table.rows:  # Arrow falls back to Python rows for an empty frame: keep it JVM-only
        return spark.createDataFrame(spark.sparkContext.emptyRDD(), schema)
    key = "spark.sql.execution.arrow.pyspark.enabled"
    before = spark.conf.get(key)
    spark.conf.set(key, "true")
    try:
        with warnings.catch_warnings():  # pyspark 3.5 calls a pandas API pandas 2 deprecates
            warnings.simplefilter("ignore", DeprecationWarning)
            df = spark.createDataFrame(table.arrow.to_pandas(), schema)
    finally:
        spark.conf.set(key, before)
    return df.coalesce(partitions)


def run_job_write(spark, lake, job: JobWrite, df, purge: bool = True) -> dict[str, int]:
    """One run of the job's tail, inside the same context localglue.runner.run_script gives a
    script (current lake, event collection, job transaction, Job.init/commit, then apply)."""
    from localglue import bookmarks, events, transaction
    from localglue.awsglue.context import GlueContext
    from localglue.awsglue.dynamicframe import DynamicFrame
    from localglue.awsglue.job import Job
    from localglue.lake import using
    from localglue.runner import _written

    with (
        using(lake),
        events.collect() as collected,
        transaction.job_transaction(lake) as txn,
    ):
        glue = GlueContext(spark.sparkContext)
        run = Job(glue)
        run.init(job.name, {"JOB_NAME": job.name})
        try:
            frame = DynamicFrame.fromDF(df, glue, "frame")
            glue.catalog.ensure_database(job.catalog["catalogDatabase"])  # as ingest leaves it
            if purge:
                glue.purge_s3_path(*job.purge)
            sink = glue.getSink(**job.sink)
            sink.setCatalogInfo(**job.catalog)
            sink.setFormat(*job.fmt, **job.fmt_options)
            sink.writeFrame(frame)
            run.commit()
        finally:
            bookmarks.end_run()
        txn.apply()
    return _written(collected)


def table_rows(lake, job: JobWrite) -> list[dict]:
    """The target's rows as a reader sees the folder (DuckDB over the visible Parquet files)."""
    folder = Path(lake.local_path(job.sink["path"]))
    files = [
        str(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
    ]
    if not files:
        return []
    con = jobsql.shared_connection()
    return con.execute("SELECT * FROM read_parquet(?)", [files]).to_arrow_table().to_pylist()


def job_output(job: JobWrite, data: Landing, root: Path) -> jobsql.Table:
    """The frame the job writes for this landing: its committed SQL over the accepted rows."""
    data.write(root)
    tables = accept(root)
    return jobsql.run_duckdb(jobsql.read_profile(job.profile), tables)[job.target]


def _runnable(data: Landing) -> bool:
    return bool(data.customers and data.accelerometer and data.step_trainer)


# -- idempotency -------------------------------------------------------------------------


def test_every_committed_job_purges_the_folder_its_sink_writes_with_retention_zero():
    """The premise of the property below, read from the scripts (all 10 committed jobs)."""
    assert len(JOB_WRITES) == 2 * len(jobsql.JOB_ORDER)
    for job in JOB_WRITES:
        assert job.purge == (job.sink["path"], {"retentionPeriod": 0}), job


@MANY
@given(
    job=st.sampled_from(JOB_WRITES),
    data=landings().filter(_runnable),
    partitions=st.integers(1, 2),
    empty_too=st.integers(0, 9).map(lambda n: n == 0),
)
def test_a_rerun_of_a_committed_job_leaves_the_same_table(
    spark, tmp_path_factory, job, data, partitions, empty_too
):
    """Run the job's purge + sink twice on one lake: the table after the second run is the
    table after the first, and both hold exactly the frame's rows (re-runs replace), whether
    the frame is written as one part file or two, or is empty."""
    from localglue.catalog import Catalog, table_columns
    from localglue.lake import Lake

    work = tmp_path_factory.mktemp("rerun")
    out = job_output(job, data, work / "src")
    # Random landings often give a job nothing to write (strict ML most of all): keep those
    # to about one example in ten, the rest write rows (rejections cost no Spark work).
    assume(out.rows or empty_too)
    df = _spark_frame(spark, out, partitions)
    lake = Lake(work / "lake")
    label = f"{job.catalog['catalogDatabase']}.{job.target}"

    assert run_job_write(spark, lake, job, df) == {label: len(out.rows)}
    first = table_rows(lake, job)
    columns = table_columns(Catalog(lake).get_table("stedi", job.target))
    assert run_job_write(spark, lake, job, df) == {label: len(out.rows)}
    again = table_rows(lake, job)

    assert canonical_rows(again) == canonical_rows(first), f"{job}: a re-run changed the table"
    assert canonical_rows(first) == canonical_rows(out.rows), f"{job}: the table is not the frame"
    assert table_columns(Catalog(lake).get_table("stedi", job.target)) == columns
    assert not any(Path(lake.staging_dir).glob("*")), "a committed run left staging behind"


@pytest.mark.parametrize(
    ("purge", "options"),
    [(False, None), (True, {})],
    ids=["without the purge node", "purge with the default 168 h retention"],
)
def test_without_an_effective_purge_a_rerun_duplicates_the_rows(spark, lake, purge, options):
    """The control: Glue S3 sinks append, and purge_s3_path keeps files younger than
    retentionPeriod hours (default 168), so only the committed purge makes a re-run replace."""
    from dataclasses import replace

    job = next(j for j in JOB_WRITES if j.name == "accelerometer_landing_to_trusted")
    if options is not None:
        job = replace(job, purge=(job.purge[0], options))
    rows = [{"user": "a@test.invalid", "timestamp": 1, "x": 1.0, "y": 0.0, "z": -1.0}]
    df = spark.createDataFrame(
        [tuple(r.values()) for r in rows],
        "user string, timestamp bigint, x double, y double, z double",
    )
    run_job_write(spark, lake, job, df, purge=purge)
    assert canonical_rows(table_rows(lake, job)) == canonical_rows(rows)
    run_job_write(spark, lake, job, df, purge=purge)
    assert canonical_rows(table_rows(lake, job)) == canonical_rows(rows * 2)


# -- determinism ---------------------------------------------------------------------------


def _ordered_customers(rng, customers: list[dict]) -> list[dict]:
    """Any order in which each email's records keep their relative order: the one order the
    duplicate rule (the later of two records tied on lastUpdateDate wins) depends on."""
    slots = [c["email"] for c in customers]
    rng.shuffle(slots)
    queues: dict[str, list[dict]] = {}
    for c in customers:
        queues.setdefault(c["email"], []).append(c)
    return [queues[email].pop(0) for email in slots]


def _split(rng, records: list[dict], files: int) -> list[list[dict]]:
    """Cut records into `files` consecutive chunks (some may be empty)."""
    cuts = sorted(rng.randint(0, len(records)) for _ in range(files - 1))
    bounds = [0, *cuts, len(records)]
    return [records[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _write_split(root: Path, source: str, chunks: list[list[dict]]) -> None:
    """Chunk k goes to <source>/landing/part-<k>.json: names sort in chunk order, so path
    order (the order ingest reads files in) is the chunk order."""
    folder = root / source / "landing"
    folder.mkdir(parents=True, exist_ok=True)
    for k, chunk in enumerate(chunks):
        (folder / f"part-{k:02d}.json").write_text("".join(json.dumps(r) + "\n" for r in chunk))


def _outcome(profile: str, root: Path):
    """The job outputs for this landing folder (order-free), or the refusal ingest gives."""
    try:
        tables = accept(root)
    except LakehouseError:
        return "ingest refuses this landing"
    out = jobsql.run_duckdb(jobsql.read_profile(profile), tables)
    return {t: (tuple(v.columns), canonical_rows(v.rows)) for t, v in out.items()}


@pytest.mark.parametrize("profile", PROFILES)
@MANY
@given(
    data=landings(),
    seed=st.randoms(use_true_random=False),
    files=st.integers(1, 4),
)
def test_ingest_and_job_sql_give_the_same_tables_whatever_the_file_split_and_order(
    tmp_path_factory, profile, data, seed, files
):
    """The same landing, split over 1-4 files (some possibly empty), readings
    in any order and customers in any order that keeps each email's records in sequence,
    is accepted into the same tables and the committed SQL gives the same rows."""
    work = tmp_path_factory.mktemp("split")
    data.write(work / "one-file")
    reordered = {
        "customer": _ordered_customers(seed, data.customers),
        "accelerometer": seed.sample(data.accelerometer, len(data.accelerometer)),
        "step_trainer": seed.sample(data.step_trainer, len(data.step_trainer)),
    }
    for source, records in reordered.items():
        _write_split(work / "split", source, _split(seed, records, files))
    assert _outcome(profile, work / "split") == _outcome(profile, work / "one-file")
