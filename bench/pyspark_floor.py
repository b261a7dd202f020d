"""The PySpark floor: the five rubric tables written by a plain PySpark script.

    python -m bench.pyspark_floor SOURCE_DIR [--out DIR]

What a learner would write without Glue: one SparkSession (local[2], the pipeline's driver
memory so 100x fits), the landing JSON read with explicit schemas (the DDL's columns, so no
inference pass), the rubric jobs' own SQL (read out of studio_jobs/rubric by bench/jobsql.py)
and each table written as Parquet and read back by the jobs after it. No Glue layer, no
catalog, no transactions, no validation. Issue 14's target: the full local run (ingest + 5
jobs + validation) takes no longer than this. Prints JSON: phases and per-table rows.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.pyspark_floor")
    parser.add_argument("source", type=Path, help="folder with <source>/landing/*.json")
    parser.add_argument("--out", type=Path, help="where the Parquet goes (default: a temp dir)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    from bench import jobsql
    from localglue.spark import driver_memory  # the same heap as the pipeline's

    out = args.out or Path(tempfile.mkdtemp(prefix="pyspark-floor-"))
    phases: dict[str, float] = {}
    try:
        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.driver.memory", driver_memory())
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        phases["startup"] = time.perf_counter() - T0
        started = time.perf_counter()
        frames = {}
        for table in jobsql.LANDING_COLUMNS:
            source = table.removesuffix("_landing")
            path = str(args.source / source / "landing")
            frames[table] = spark.read.schema(jobsql.spark_schema(table)).json(path)

        def build(frame):
            if isinstance(frame, jobsql.Source):
                return frames[frame.table]
            for alias, inner in frame.mapping:
                build(inner).createOrReplaceTempView(alias)
            return spark.sql(frame.sql)

        rows = {}
        for job in jobsql.read_profile("rubric"):
            df = build(job.frame)
            target = str(out / job.target)
            df.write.mode("overwrite").parquet(target)
            frames[job.target] = spark.read.schema(df.schema).parquet(target)
        phases["jobs"] = time.perf_counter() - started
        import pyarrow.dataset as ds

        for job in jobsql.read_profile("rubric"):
            rows[job.target] = ds.dataset(str(out / job.target), format="parquet").count_rows()
        spark.stop()
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    print(json.dumps({"phases": phases, "rows": rows, "seconds": time.perf_counter() - T0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
