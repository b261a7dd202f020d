"""Find the eight rubric tables among a grade's outputs and count them with DuckDB.

A table is found where a job that succeeded wrote it: by its catalog name, else by what its
catalog name, its location or its job's file name mean (names.rubric_table); landing tables
are the files laid for each source. Counting reads the files in whatever format and codec
the job wrote them (grading.formats) with DuckDB, never through Spark: the count is evidence
independent of the runtime that wrote the data. A table found with no files holds "0 rows
written by <script>"; a file nothing can read makes its table "unreadable", with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grading import names, setup
from grading.execute import SUCCEEDED, JobRun
from grading.formats import REASON_CHARS, Reader, Unreadable
from grading.messages import one_line
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
    format: str | None = None  # as written: json | csv | parquet | orc | avro | mixed
    how: str | None = None  # "catalog name" | "name" | "location" | "job name" | "landing"
    compression: str | None = None  # as written: none | gzip | snappy | ...
    text_format: str | None = None  # json | csv: what the writing sink named for text files
    header: bool = True  # a CSV sink's writeHeader

    def relation(self, reader: Reader) -> str:
        return reader.relation(self.files, self.text_format, self.header)


@dataclass
class TableCount:
    rows: int | None  # None: not found, or not readable
    status: str | None = None  # "empty" | "unreadable": overrides the comparison
    reason: str | None = None  # one line


def unreadable(error: Exception) -> str:
    """The one-line reason a table's files could not be read (decoder or DuckDB error)."""
    return one_line(str(error), REASON_CHARS) or type(error).__name__


def count_table(con, reader: Reader, entry: FoundTable) -> TableCount:
    if not entry.files:
        if entry.produced_by:
            return TableCount(0, "empty", f"0 rows written by {entry.produced_by}")
        return TableCount(None)
    import duckdb

    try:
        sql = reader.count_sql(entry.files, entry.text_format, entry.header)
        rows = int(con.execute(sql).fetchone()[0])
    except (Unreadable, duckdb.Error) as exc:
        return TableCount(None, "unreadable", unreadable(exc))
    if rows == 0 and entry.produced_by:
        return TableCount(0, "empty", f"0 rows written by {entry.produced_by}")
    return TableCount(rows)


RANKS = ("catalog name", "name", "location", "job name")


def _text_format(write) -> str | None:
    fmt = (write.format or "").lower()
    return fmt if fmt in ("json", "csv") else None


def _header(write) -> bool:
    flag = (write.format_options or {}).get("writeHeader", True)
    return str(flag).lower() not in ("false", "0", "no")


def written_files(lake: Lake, location: str, plan: Plan) -> list[str]:
    """The data files at a location, without the folders of other tables inside it (a job
    writing s3://b/customer/ leaves customer/landing/ and customer/trusted/ theirs)."""
    known = {x.location for x in plan.landing} | {t.location for t in plan.tables.values()}
    known |= {w.location for job in plan.jobs for w in job.writes}
    inside = [
        Path(lake.local_path(k))
        for k in known
        if k and k != location and names.folder(k).startswith(names.folder(location))
    ]
    return [
        str(p)
        for p in setup.data_files(Path(lake.local_path(location)))
        if not any(folder in p.parents for folder in inside)
    ]


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
                files = written_files(lake, location, plan)
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
                        text_format=_text_format(write),
                        header=_header(write),
                    ),
                )
                break
    found.update({name: entry for name, (_, entry) in best.items()})
    return found


def describe(found: dict[str, FoundTable], reader: Reader) -> None:
    """Each found table's format and compression as its files hold them."""
    for entry in found.values():
        if not entry.files:
            continue
        try:
            kind = reader.written(entry.files, entry.text_format)
        except Unreadable:
            continue
        entry.format, entry.compression = kind.format, kind.codec


def count_tables(found: dict[str, FoundTable], reader: Reader) -> dict[str, TableCount]:
    import duckdb

    describe(found, reader)
    con = duckdb.connect()
    try:
        return {name: count_table(con, reader, found[name]) if name in found
                else TableCount(None) for name in TABLE_NAMES}  # fmt: skip
    finally:
        con.close()
