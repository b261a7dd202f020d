"""Find the eight rubric tables among a grade's outputs and count them with DuckDB.

A table is found by its catalog name, else by what its catalog name, its location or its
job's file name mean (names.rubric_table); landing tables are the files laid for each
source. Counting reads the files (JSON lines, gzip or not, and Parquet) with DuckDB, never
through Spark: the count is evidence independent of the runtime that wrote the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grading import names, setup
from grading.execute import SUCCEEDED, JobRun
from grading.plan import Plan
from localglue.lake import Lake
from stedi.tables import LANDING_BY_SOURCE, TABLE_NAMES


@dataclass
class FoundTable:
    name: str  # the rubric table
    location: str | None = None
    database: str | None = None
    table: str | None = None  # the learner's catalog name
    produced_by: str | None = None  # script, None for landing
    files: list[str] = field(default_factory=list)
    format: str | None = None
    how: str | None = None  # "catalog name" | "name" | "location" | "job name" | "landing"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def relation(files: list[str]) -> str:
    """The DuckDB table function reading these files (all Parquet or all JSON)."""
    listed = "[" + ", ".join(_literal(f) for f in files) + "]"
    if setup.is_parquet(Path(files[0])):
        return f"read_parquet({listed}, union_by_name=true)"
    return (
        f"read_json_auto({listed}, format='newline_delimited', union_by_name=true, "
        "sample_size=-1, ignore_errors=true)"
    )


def count_files(con, files: list[str]) -> int | None:
    if not files:
        return None
    listed = "[" + ", ".join(_literal(f) for f in files) + "]"
    if setup.is_parquet(Path(files[0])):
        sql = f"SELECT count(*) FROM read_parquet({listed})"
    else:
        sql = f"SELECT count(*) FROM read_json_objects({listed}, format='auto')"
    return int(con.execute(sql).fetchone()[0])


RANKS = ("catalog name", "name", "location", "job name")


def identify(plan: Plan, runs: list[JobRun], lake: Lake, laid: dict[str, list[str]]):
    """{rubric table: FoundTable} for every rubric table found."""
    found: dict[str, FoundTable] = {}
    for landing in plan.landing:
        table = LANDING_BY_SOURCE[landing.source]
        if table in found:
            continue
        found[table] = FoundTable(
            table,
            landing.location,
            plan.tables[landing.tables[0]].database if landing.tables else None,
            landing.tables[0] if landing.tables else None,
            None,
            laid.get(landing.location, []),
            how="landing",
        )
    status = {r.name: r.status for r in runs}
    best: dict[str, tuple[int, FoundTable]] = {}
    for job in plan.jobs:
        if status.get(job.name) != SUCCEEDED:
            continue
        for write in job.writes:
            location = write.location
            if write.kind == "catalog" and write.table in plan.tables:
                location = plan.tables[write.table].location
            guesses = (
                write.table if write.table in TABLE_NAMES else None,
                names.rubric_table(write.table or ""),
                names.rubric_table(names.location_name(location)) if location else None,
                names.rubric_table(job.name),
            )
            for rank, guess in enumerate(guesses):
                if guess is None or guess in LANDING_BY_SOURCE.values():
                    continue
                if guess in best and best[guess][0] < rank:
                    break
                files = [str(p) for p in setup.data_files(Path(lake.local_path(location)))]
                best[guess] = (
                    rank,
                    FoundTable(
                        guess,
                        location,
                        write.database,
                        write.table,
                        job.path.relative_to(plan.project).as_posix(),
                        files,
                        how=RANKS[rank],
                    ),
                )
                break
    found.update({name: entry for name, (_, entry) in best.items()})
    for entry in found.values():
        if entry.files:
            entry.format = "parquet" if setup.is_parquet(Path(entry.files[0])) else "json"
    return found


def count_tables(found: dict[str, FoundTable]) -> dict[str, int | None]:
    import duckdb

    con = duckdb.connect()
    try:
        return {name: count_files(con, found[name].files) if name in found else None
                for name in TABLE_NAMES}  # fmt: skip
    finally:
        con.close()
