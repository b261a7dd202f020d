"""The learner's AWS account, rebuilt in a fresh lake.

- landing files laid under each landing location byte for byte (no normalising: the
  learner's jobs must see what S3 held);
- every database their jobs name created, as they created it in Athena (a Glue sink with a
  catalog update does not create one);
- their DDL registered under the database it names, else the one their scripts use;
- before each job: a catalog table it reads that nobody defined is crawled from its matched
  location ("crawled", as the learner's crawler did on AWS), and a table it writes with
  `write_dynamic_frame.from_catalog` that no DDL defines is created ("created for the grade:
  no DDL in the project"); after the job, a created table without columns takes the columns
  of what was written, as the learner's Athena table had them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from grading.plan import JobPlan, Plan
from localglue.catalog import Catalog, make_table_input, partition_keys
from localglue.crawler import crawl_json, partition_values
from localglue.lake import Lake

CRAWLED = "crawled"
CREATED = "created for the grade: no DDL in the project"


def landing_files(data: Path, source: str) -> list[Path]:
    folder = data / source / "landing"
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def lay_landing(lake: Lake, data: Path, plan: Plan) -> dict[str, list[str]]:
    """Copy each source's files to its landing locations; {location: [local file paths]}."""
    laid = {}
    for landing in plan.landing:
        dest = Path(lake.local_path(landing.location))
        dest.mkdir(parents=True, exist_ok=True)
        laid[landing.location] = []
        for f in landing_files(data, landing.source):
            shutil.copyfile(f, dest / f.name)
            laid[landing.location].append(str(dest / f.name))
    return laid


def register_ddl(lake: Lake, plan: Plan) -> list[str]:
    """Their databases (every one a job reads or writes: they made them in Athena, and a
    Glue sink does not create one), then their DDL's tables."""
    catalog = Catalog(lake)
    databases = {plan.database, *(t.database for t in plan.tables.values())}
    for job in plan.jobs:
        databases.update(a.database for a in job.reads + job.writes)
    for database in sorted(d for d in databases if d):
        catalog.ensure_database(database)
    done = []
    for table in plan.tables.values():
        if table.how == "ddl":
            catalog.upsert_table(table.database, table.ddl.table_input)
            done.append(f"{table.database}.{table.name}")
    return done


def data_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(("_", ".")) for part in p.relative_to(folder).parts)
        and not p.name.endswith(".crc")
    )


def is_parquet(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PAR1"


def crawl(lake: Lake, location: str, name: str) -> dict | None:
    """A crawler's TableInput for the files at location (JSON or Parquet); None if empty."""
    folder = Path(lake.local_path(location))
    files = data_files(folder)
    if not files:
        return None
    if is_parquet(files[0]):
        import pyarrow.parquet as pq

        schema = pq.read_schema(files[0])
        columns = [(f.name, _hive_type(f.type)) for f in schema]
        return make_table_input(name, location, columns, "parquet")
    return crawl_json(folder, location, name)


def _hive_type(arrow_type) -> str:
    import pyarrow as pa

    checks = [
        (pa.types.is_int64, "bigint"),
        (pa.types.is_integer, "int"),
        (pa.types.is_float64, "double"),
        (pa.types.is_floating, "float"),
        (pa.types.is_boolean, "boolean"),
        (pa.types.is_timestamp, "timestamp"),
        (pa.types.is_date, "date"),
    ]
    return next((name for check, name in checks if check(arrow_type)), "string")


def before_job(lake: Lake, job: JobPlan, plan: Plan) -> list[tuple[str, str]]:
    """Crawl or create what this job needs in the catalog; [(db.table, how)]."""
    catalog = Catalog(lake)
    made = []
    for read in job.reads:
        if read.kind != "catalog" or catalog.table_exists(read.database, read.table):
            continue
        known = plan.tables.get(read.table)
        # "sink": the writing job did not register it (no enableUpdateCatalog): a crawler did.
        if known is None or known.how not in ("crawled", "sink") or not read.location:
            continue
        table_input = crawl(lake, read.location, read.table)
        if table_input is not None:
            stored = catalog.upsert_table(read.database, table_input)
            folder = lake.local_path(read.location)  # a crawler adds the k=v partitions
            values = partition_values(folder, partition_keys(stored))
            catalog.batch_create_partition(read.database, stored["Name"], values)
            made.append((f"{read.database}.{read.table}", CRAWLED))
    for write in job.writes:
        if write.kind != "catalog" or catalog.table_exists(write.database, write.table):
            continue
        known = plan.tables.get(write.table)
        if known is None or known.how != "created":
            continue
        table_input = make_table_input(write.table, known.location, [], known.format or "json")
        catalog.upsert_table(write.database, table_input)
        made.append((f"{write.database}.{write.table}", CREATED))
    return made


def after_job(lake: Lake, job: JobPlan, plan: Plan) -> None:
    """A created table with no columns takes the columns of what the job wrote."""
    catalog = Catalog(lake)
    for write in job.writes:
        known = plan.tables.get(write.table or "")
        if write.kind != "catalog" or known is None or known.how != "created":
            continue
        if not catalog.table_exists(write.database, write.table):
            continue
        table = catalog.get_table(write.database, write.table)
        if table["StorageDescriptor"]["Columns"]:
            continue
        crawled = crawl(lake, known.location, write.table)
        if crawled is not None:
            catalog.upsert_table(write.database, crawled)
