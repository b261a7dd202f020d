"""Evidence images for graders: one PNG (+ JSON sidecar) per query the rubric asks for.

    python -m validation.screenshots [--lake DIR] [--engine local|athena] [--profile P]
                                     [--database stedi] [--out reports/screenshots/] [--no-rows]

The same SQL text runs on DuckDB over the local lake (validation.engines.local)
and on Athena; each image names the engine that ran it (with the Athena query
execution id), the database, the profile and the time, and says plainly that it
is a rendering, not an AWS console capture (see validation.render).

Queries (file stem -> what a grader checks):
  count_<table>                    SELECT COUNT(*) for each of the 8 tables
  customer_landing_blank_consent   COUNT of rows without shareWithResearchAsOfDate: many
  customer_trusted_blank_consent   the same query on customer_trusted: 0
  machine_learning_curated_sample  a few rows of the ML table, without its identifier
                                   columns (skipped with --no-rows)

Images go to reports/screenshots/ (not committed) unless --out names a folder. The
committed docs/screenshots/ are made from the shared STEDI data with --no-rows and
--out docs/screenshots: no row of that data may enter the repository, only counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.tables import (
    CUSTOMER_LANDING,
    CUSTOMER_TRUSTED,
    DATABASE,
    MACHINE_LEARNING_CURATED,
    PROFILES,
    TABLE_NAMES,
    ZONE,
)
from validation.engines.base import count_sql
from validation.render import QueryShot, render_png, write_sidecar

DEFAULT_OUT = Path("reports/screenshots")
# The ML table's columns that identify no one, present in both profiles (the rubric's table
# also has serialNumber and user: never shown).
SAMPLE_COLUMNS = ("sensorReadingTime", "distanceFromObject", "timestamp", "x", "y", "z")
SAMPLE_ROWS = 10


def blank_consent_sql(table: str) -> str:
    """How many rows have no consent date: a count, so the image copies no customer data."""
    return (
        "SELECT COUNT(*) AS blank_consent_rows\n"
        f"FROM {table}\n"
        "WHERE shareWithResearchAsOfDate IS NULL"
    )


def sample_sql(table: str) -> str:
    # Columns present in both profiles' ML table give a stable order on every engine.
    return (
        f"SELECT {', '.join(SAMPLE_COLUMNS)}\nFROM {table}\n"
        f"ORDER BY sensorReadingTime, x, y, z\nLIMIT {SAMPLE_ROWS}"
    )


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    sql: str
    note: str
    shows_rows: bool = False  # True: the image copies table rows (skipped with --no-rows)


def queries() -> list[Query]:
    """Every query a grader asks for, in the order the rubric lists them."""
    found = [
        Query(
            f"count_{t}", f"Row count of {t}", count_sql(t), f"Rows in the {ZONE[t]} zone table {t}"
        )
        for t in TABLE_NAMES
    ]
    found.append(
        Query(
            "customer_landing_blank_consent",
            "customer_landing: customers with a blank shareWithResearchAsOfDate",
            blank_consent_sql(CUSTOMER_LANDING.name),
            "Landing keeps every customer: many must have no consent date",
        )
    )
    found.append(
        Query(
            "customer_trusted_blank_consent",
            "customer_trusted: customers with a blank shareWithResearchAsOfDate",
            blank_consent_sql(CUSTOMER_TRUSTED.name),
            "Trusted keeps only consenting customers: the count must be 0",
        )
    )
    found.append(
        Query(
            "machine_learning_curated_sample",
            "machine_learning_curated: sample rows",
            sample_sql(MACHINE_LEARNING_CURATED.name),
            f"The first {SAMPLE_ROWS} rows by reading time",
            shows_rows=True,
        )
    )
    return found


def engine_detail(engine) -> str:
    """A one-line description of who ran the SQL, shown on the image."""
    if engine.name == "local":
        import duckdb

        return f"DuckDB {duckdb.__version__} on the local lake {engine.lake.root}"
    settings = getattr(engine, "settings", engine)
    parts = ["Amazon Athena"]
    for attr in ("workgroup", "region"):
        value = getattr(settings, attr, None)
        if value:
            parts.append(f"{attr} {value}")
    return ", ".join(parts)


def execute(engine, sql: str) -> tuple[list[str], list, str | None]:
    """(columns, rows, Athena query execution id or None).

    The id is the engine's `last_query_execution_id` when it keeps one; otherwise an
    Athena engine's query is run on its own DB-API connection so the cursor's id is known.
    """
    if engine.name == "athena" and not hasattr(engine, "last_query_execution_id"):
        cursor = engine.connection().cursor()
        try:
            cursor.execute(sql)
        except Exception as exc:
            raise LakehouseError(f"Athena query failed: {str(exc).splitlines()[0]}") from exc
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, [tuple(r) for r in cursor.fetchall()], cursor.query_id
    columns, rows = engine.query(sql)
    return columns, rows, getattr(engine, "last_query_execution_id", None)


def dataset_name(engine) -> str | None:
    lake = getattr(engine, "lake", None)
    if lake is None:
        return None
    path = lake.root / "_dataset.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text()).get("name")
    except json.JSONDecodeError:
        return None


def run_query(engine, query: Query, *, profile: str, database: str) -> QueryShot:
    columns, rows, execution_id = execute(engine, query.sql)
    return QueryShot(
        name=query.name,
        title=query.title,
        sql=query.sql,
        columns=list(columns),
        rows=[list(r) for r in rows],
        engine=engine.name,
        engine_detail=engine_detail(engine),
        database=database,
        profile=profile,
        query_execution_id=execution_id,
        dataset=dataset_name(engine),
        note=query.note,
    )


def take_screenshots(
    engine, out_dir, *, profile: str, database: str = DATABASE, rows: bool = True
) -> list[Path]:
    """Run every grader query on `engine`; write <name>.png and <name>.json into out_dir.

    rows=False skips the queries whose images copy table rows (the ML sample): use it
    for images that leave the lake owner's hands, e.g. the ones committed from the
    shared STEDI data. Returns the PNG paths; images of the same names are replaced.
    """
    if profile not in PROFILES:
        raise LakehouseError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for query in queries():
        if query.shows_rows and not rows:
            for stale in (out / f"{query.name}.png", out / f"{query.name}.json"):
                stale.unlink(missing_ok=True)
            continue
        shot = run_query(engine, query, profile=profile, database=database)
        written.append(render_png(shot, out / f"{query.name}.png"))
        write_sidecar(shot, out / f"{query.name}.json")
    return written


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m validation.screenshots",
        description="Render the grader queries (row counts, consent checks, ML sample) as PNG "
        "images with JSON sidecars. Images are renderings, never AWS console captures.",
    )
    parser.add_argument("--lake", help="local lake root (default: $STEDI_LAKE or ./lake)")
    parser.add_argument("--engine", choices=("local", "athena"), default="local")
    parser.add_argument("--profile", choices=PROFILES, default="rubric")
    parser.add_argument("--database", default=DATABASE, help="Glue database (default stedi)")
    parser.add_argument(
        "--out",
        default=str(DEFAULT_OUT),
        help=f"output folder (default {DEFAULT_OUT}; docs/screenshots only when named)",
    )
    parser.add_argument(
        "--no-rows",
        action="store_true",
        help="skip the images that show table rows (the machine_learning_curated sample); "
        "use it for images you commit or share",
    )
    athena = parser.add_argument_group(
        "athena (as validation.run; or env ATHENA_DATABASE, ATHENA_WORKGROUP, "
        "ATHENA_OUTPUT_LOCATION, AWS_REGION, AWS_ENDPOINT_URL)"
    )
    athena.add_argument("--athena-database")
    athena.add_argument("--athena-workgroup")
    athena.add_argument("--athena-output", help="S3 query result location, s3://bucket/prefix/")
    athena.add_argument("--region")
    athena.add_argument("--endpoint-url")
    return parser


def open_engine(args):
    from validation.engines import make_engine

    if args.engine == "local":
        from validation.engines.local import LocalEngine

        return LocalEngine(Lake(args.lake), args.database)
    options = {
        # --athena-database, else ATHENA_DATABASE, else --database (default stedi)
        "database": args.athena_database or os.environ.get("ATHENA_DATABASE") or args.database,
        "workgroup": args.athena_workgroup,
        "output_location": args.athena_output,
        "region": args.region,
        "endpoint_url": args.endpoint_url,
    }
    return make_engine("athena", Lake(args.lake), **options)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with open_engine(args) as engine:
            settings = getattr(engine, "settings", engine)
            database = getattr(settings, "database", None) or args.database
            paths = take_screenshots(
                engine, args.out, profile=args.profile, database=database, rows=not args.no_rows
            )
    except LakehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
