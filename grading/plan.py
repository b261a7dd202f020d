"""What each script reads and writes, where the landing data goes, and the job order.

Everything is read statically (localglue.scripts), before anything runs, with the job
arguments a grader passes (`--job-arg S3_SOURCE=...`, for paths built from them):
- a catalog table's location comes from the project's DDL, else from the sink that registers
  it, else (a `write_dynamic_frame.from_catalog` target with no DDL) the S3 folder the jobs
  that read it look in, else a location created for the grade under the job's bucket, else
  from a known location matched by name ("crawled", as the learner's crawler did on AWS);
- landing locations are the locations read but written by no other job whose folder, table
  and DDL names do not say trusted or curated (a `customer/curated/` folder no job writes
  starts empty, as in a fresh account); each is identified as a STEDI source from its folder
  and table names or its DDL columns, else its bucket;
- a bucket written as a placeholder (`${{ secrets.BUCKET }}`, `<your-bucket>`) is graded as
  a stand-in bucket;
- a job runs after the jobs that write what it reads; two scripts writing one table run in
  the order a learner would have run them (a draft or old copy first), or `--order`'s;
- a script that asks getResolvedOptions for an argument nobody passed fails as Glue would,
  naming the `--job-arg` that fixes it.
Whatever the plan decided for the learner is one line in `notes` (the report's). A cycle or
an unidentified landing location is one PlanError (exit 2) naming the `--order` flag.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from grading import names
from grading.discover import DdlTable
from localglue.errors import LakehouseError
from localglue.scripts import Script, read_script

DEFAULT_DATABASE = "default"  # what Athena and Glue use when none is named
DEFAULT_BUCKET = "grade-bucket"
STAND_IN_BUCKET = "stand-in-bucket"  # what a placeholder bucket is graded as
# Arguments Glue always passes or lets a script ask for without a value.
GLUE_ARGUMENTS = {"JOB_NAME", "TempDir", "RedshiftTempDir"}
# Words of a script's path that mark a copy a learner ran before the one they kept.
DRAFT_WORDS = {"old", "draft", "drafts", "backup", "bak", "copy", "test", "tmp", "temp",
               "unused", "archive", "archived", "previous", "deprecated", "v1"}  # fmt: skip


class PlanError(LakehouseError):
    """The project cannot be planned as it is; exit 2."""


@dataclass
class Access:
    kind: str  # "s3" | "catalog"
    location: str | None
    line: int
    database: str | None = None
    table: str | None = None
    format: str | None = None
    format_options: dict = field(default_factory=dict)
    run_file: str | None = None  # the one file a past Glue run wrote, when the path names it


@dataclass
class JobPlan:
    path: Path
    name: str
    script: Script | None
    reads: list[Access] = field(default_factory=list)
    writes: list[Access] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # names of the jobs it depends on
    error: str | None = None  # the script does not parse

    @property
    def buckets(self) -> list[str]:
        """The buckets the script names, most used first."""
        script = self.script
        paths = [p for s in script.sources for p in s.paths] if script else []
        paths += [k.path for k in script.sinks if k.path] if script else []
        found = [names.bucket(p) for p in paths if p.startswith("s3")]
        return [b for b, _ in Counter(found).most_common()]


@dataclass
class CatalogTable:
    database: str
    name: str
    location: str | None
    how: str  # "ddl" | "sink" | "created" | "crawled"
    format: str | None = None
    ddl: DdlTable | None = None


@dataclass
class Landing:
    location: str
    source: str
    tables: list[str] = field(default_factory=list)


@dataclass
class Plan:
    project: Path
    jobs: list[JobPlan]  # in run order
    landing: list[Landing]
    tables: dict[str, CatalogTable]  # lower-case name -> where it lives
    database: str
    not_run: list[str] = field(default_factory=list)  # scripts left out by --order
    job_args: dict[str, str] = field(default_factory=dict)  # --job-arg KEY=VALUE
    stand_ins: dict[str, str] = field(default_factory=dict)  # placeholder bucket -> stand-in
    notes: list[str] = field(default_factory=list)  # what the grade decided for the learner
    catalog_case: str = "data"  # how the jobs' catalog reads name fields (--catalog-case)

    def job(self, name: str) -> JobPlan:
        return next(j for j in self.jobs if j.name == name)

    @property
    def argv(self) -> list[str]:
        """The job arguments every job is started with, after --JOB_NAME."""
        return [item for key, value in self.job_args.items() for item in (f"--{key}", value)]


def _rel(project: Path, path: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return str(path)


def _read_job(project: Path, path: Path, job_args: dict[str, str]) -> JobPlan:
    job = JobPlan(path, path.stem, None)
    try:
        job.script = read_script(path, arguments={"JOB_NAME": job.name, **job_args})
    except (SyntaxError, ValueError) as exc:
        job.error = f"{type(exc).__name__}: {exc}"
        return job
    missing = [a for a in job.script.arguments if a not in GLUE_ARGUMENTS | job_args.keys()]
    if missing:
        flags = ", ".join(f"--{m}" for m in missing)
        fixes = " ".join(f"--job-arg {m}=VALUE" for m in missing)
        job.error = (
            f"GlueArgumentError: the following arguments are required: {flags} (the script "
            f"asks getResolvedOptions for them; on AWS the job's parameters passed them): "
            f"grade with {fixes}"
        )
    return job


def _default_database(jobs: list[JobPlan], ddl: list[DdlTable]) -> str:
    found = Counter(d for j in jobs if j.script for d in j.script.databases)
    found.update(t.database for t in ddl if t.database)
    return found.most_common(1)[0][0] if found else DEFAULT_DATABASE


def _catalog_tables(jobs, ddl, database) -> dict[str, CatalogTable]:
    tables: dict[str, CatalogTable] = {}
    for t in ddl:
        db = t.database or _reader_database(jobs, t.name) or database
        tables[t.name.lower()] = CatalogTable(
            db.lower(), t.name.lower(), t.location, "ddl", _ddl_format(t), t
        )
    for job in jobs:
        for sink in job.script.sinks if job.script else []:
            if not sink.table or sink.table.lower() in tables:
                continue
            key = sink.table.lower()
            db = (sink.database or database).lower()
            if sink.kind == "s3" and sink.path:
                tables[key] = CatalogTable(db, key, names.folder(sink.path), "sink", sink.format)
            elif sink.kind == "catalog":
                bucket = (job.buckets or [_project_bucket(jobs)])[0]
                location = f"s3://{bucket}/{key}/"
                tables[key] = CatalogTable(db, key, location, "created", _job_format(job))
    return tables


def _ddl_format(t: DdlTable) -> str | None:
    from localglue.catalog import table_format

    try:
        return table_format(t.table_input)
    except LakehouseError:
        return None


def _job_format(job: JobPlan) -> str:
    """The format a from_catalog target is made in: Parquet if the script names it, else JSON."""
    return "parquet" if "parquet" in job.script.text.lower() else "json"


def _reader_database(jobs, table: str) -> str | None:
    for job in jobs:
        for source in job.script.sources if job.script else []:
            if source.table and source.table.lower() == table.lower() and source.database:
                return source.database
    return None


def _project_bucket(jobs) -> str:
    found = Counter(b for j in jobs for b in j.buckets)
    return found.most_common(1)[0][0] if found else DEFAULT_BUCKET


def _accesses(job: JobPlan, tables: dict[str, CatalogTable], database: str) -> None:
    script = job.script
    for s in script.sources:
        if s.kind == "s3":
            for p in s.paths:
                job.reads.append(Access("s3", names.folder(p), s.line, format=s.format))
                if names.run_file_stamp(p):
                    job.reads[-1].run_file = p
        else:
            known = tables.get((s.table or "").lower())
            job.reads.append(
                Access(
                    "catalog",
                    known.location if known else None,
                    s.line,
                    (s.database or database).lower(),
                    (s.table or "").lower(),
                )
            )
    for k in script.sinks:
        if k.kind == "s3":
            location = names.folder(k.path) if k.path else None
            job.writes.append(
                Access("s3", location, k.line, k.database, k.table, k.format, k.format_options)
            )
        else:
            known = tables.get((k.table or "").lower())
            job.writes.append(
                Access(
                    "catalog",
                    known.location if known else None,
                    k.line,
                    (k.database or database).lower(),
                    (k.table or "").lower(),
                    known.format if known else None,
                )
            )


def _writes(job: JobPlan, access: Access, inside: bool = True) -> bool:
    """Whether `job` writes what `access` reads: the table, the folder, a folder inside the
    one read (a reader recurses; not counted with `inside=False`), or a partition folder
    (`key=value/`) of the one written. A job writing `customer/` does not write
    `customer/landing/`: its files land beside it."""
    for w in job.writes:
        if access.kind == "catalog" and w.table and w.table.lower() == access.table:
            return True
        if not (access.location and w.location):
            continue
        read, written = names.folder(access.location), names.folder(w.location)
        if written == read or (inside and written.startswith(read)):
            return True
        below = read[len(written) :].strip("/").split("/") if read.startswith(written) else []
        if below and all("=" in part for part in below):
            return True
    return False


def _crawl_locations(jobs, tables, database) -> None:
    """Catalog reads nobody defines: matched by name to a known location, as a crawler made them."""
    known = [a.location for j in jobs for a in j.reads + j.writes if a.location]
    known += [t.location for t in tables.values() if t.location]
    for job in jobs:
        for read in job.reads:
            if read.kind != "catalog" or read.location:
                continue
            scored = sorted(
                ((names.name_matches(read.table, loc), loc) for loc in dict.fromkeys(known)),
                key=lambda x: -x[0],
            )
            best = [loc for score, loc in scored if score and score == scored[0][0]]
            if len(set(best)) == 1:
                location = best[0]
            else:
                source = names.source_of(read.table)
                zone = names.zone_of(read.table) or "landing"
                if source is None or zone != "landing":
                    continue  # reported by the plan as unidentified
                bucket = (job.buckets or [_project_bucket(jobs)])[0]
                location = f"s3://{bucket}/{source}/landing/"
            tables[read.table] = CatalogTable(read.database, read.table, location, "crawled")
            for j in jobs:
                for a in j.reads:
                    if a.kind == "catalog" and a.table == read.table:
                        a.location = location


def _says_written(read: Access, tables: dict[str, CatalogTable]) -> str | None:
    """The zone (trusted, curated) a read's folder, table or DDL name gives it, unless one of
    them says landing: such a folder holds what a job wrote, not source data."""
    names_of = [names.folder(read.location)[len("s3://") :].split("/", 1)[-1]]
    if read.table:
        names_of.append(read.table)
        known = tables.get(read.table)
        if known and known.ddl:
            names_of.append(known.ddl.name)
    zones = {names.zone_of(n) for n in names_of} - {None}
    if "landing" in zones:
        return None
    return next((z for z in ("curated", "trusted") if z in zones), None)


def _past_run_note(project: Path, job: JobPlan, read: Access, writer: JobPlan) -> str:
    """A path naming one file a Glue run wrote (`run-<ms>-part-r-00000`) reads that file only:
    a new run, here or on Glue, writes the folder under new names, so the read finds nothing."""
    stamp = names.run_file_stamp(read.run_file)
    written = datetime.fromtimestamp(stamp / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{_rel(project, job.path)} line {read.line} reads {read.run_file}, one file a Glue run "
        f"wrote ({written}); {_rel(project, writer.path)} writes {read.location} under new file "
        "names each run, so the read finds nothing, as in a fresh account"
    )


def _landing(jobs, tables, notes: list[str], project: Path) -> list[Landing]:
    found: dict[str, Landing] = {}
    for job in jobs:
        for read in job.reads:
            # A folder whose sub-folders jobs write (`accelerometer/`, read to copy it into
            # `accelerometer/landing/`) still holds the delivered files when nobody writes it.
            if not read.location:
                continue
            writers = [o for o in jobs if o is not job and _writes(o, read, False)]
            if writers and read.run_file:
                notes.append(_past_run_note(project, job, read, writers[0]))
            if writers:
                continue
            zone = _says_written(read, tables)
            if zone:
                notes.append(
                    f"{_rel(project, job.path)} line {read.line} reads {read.location}, which no "
                    f"job in the project writes and whose name says {zone}, not landing: it "
                    "starts empty, as in a fresh account"
                )
                continue
            columns = []
            if read.kind == "catalog" and tables[read.table].ddl:
                columns = tables[read.table].ddl.columns
            key = read.location[len("s3://") :].split("/", 1)[-1]
            source = (
                names.source_of(key)
                or names.source_of(read.table or "", columns)
                or names.source_of(names.bucket(read.location))
            )
            if source is None:
                raise PlanError(
                    f"{job.path.name} line {read.line} reads {read.location}, which no job "
                    "writes and whose name or DDL columns name no STEDI source (customer, "
                    "accelerometer, step_trainer); rename the folder or add its DDL"
                )
            entry = found.setdefault(read.location, Landing(read.location, source))
            if read.table and read.table not in entry.tables:
                entry.tables.append(read.table)
    # A folder holding another landing folder is read through it (a recursive read of
    # `customer/` sees `customer/landing/`): the delivered files are laid once, inside.
    folders = {loc: names.folder(loc) for loc in found}
    return [
        entry
        for loc, entry in found.items()
        if not any(o != loc and f.startswith(folders[loc]) for o, f in folders.items())
    ]


def _is_draft(job: JobPlan, project: Path) -> bool:
    return bool(DRAFT_WORDS & set(names.words(_rel(project, job.path))))


STUDIO_NODE = re.compile(r"_node(\d{13})\b")  # Glue Studio node ids: epoch ms of creation


def _created(job: JobPlan) -> int:
    """When Glue Studio made the job's first node (its node ids are epoch milliseconds);
    hand-written scripts, which have none, sort last."""
    stamps = [int(n) for n in STUDIO_NODE.findall(job.script.text)] if job.script else []
    return min(stamps, default=1 << 62)


def _shared_targets(jobs) -> dict[str, list[JobPlan]]:
    """{target: its writers} for every table or location two or more jobs write."""
    by_target: dict[str, list[JobPlan]] = {}
    for job in jobs:
        for w in job.writes:
            for key in (w.table and f"table {w.table}", w.location and f"location {w.location}"):
                if key and job not in by_target.setdefault(key, []):
                    by_target[key].append(job)
    return {k: v for k, v in by_target.items() if len(v) > 1}


def _writers_note(shared, ordered: list[JobPlan], project: Path, order) -> list[str]:
    notes, seen = [], set()
    for key, writers in shared.items():
        run = [j for j in ordered if j in writers]
        names_ = tuple(_rel(project, j.path) for j in run)
        if len(run) < 2 or names_ in seen:
            continue
        seen.add(names_)
        how = "in the --order given" if order else "in the order a learner would have run them"
        notes.append(
            f"{' and '.join(names_)} all write {key}: they ran {how} ({', '.join(names_)}), so "
            "it holds what each wrote, as on AWS after running them in turn; pass --order "
            "with the scripts you submit to grade only those"
        )
    return notes


def _order(jobs: list[JobPlan], project: Path, notes: list[str]) -> list[JobPlan]:
    """Each job after the jobs that write what it reads; of two ready, a draft or old copy
    first, then the one Glue Studio made first (a learner ran it before the one they kept).

    A job that reads a parent folder recursively (`accelerometer/`, to copy it into
    `accelerometer/landing/`) also reads what later jobs write inside it; when that alone
    closes a cycle, the job runs before them, as the learner must have run it."""
    try:
        return _topological(jobs, project, inside=True)
    except PlanError:
        ordered = _topological(jobs, project, inside=False)
    for at, job in enumerate(ordered):
        later = [o for o in ordered[at + 1 :] if any(_writes(o, r) for r in job.reads)]
        if later:
            notes.append(
                f"{_rel(project, job.path)} reads a folder that holds the output of "
                f"{', '.join(_rel(project, o.path) for o in later)}; it ran first, before "
                "those outputs existed (the order the jobs' other reads allow)"
            )
    return ordered


def _topological(jobs: list[JobPlan], project: Path, inside: bool) -> list[JobPlan]:
    for job in jobs:
        reads = job.reads
        job.after = [
            o.name for o in jobs if o is not job and any(_writes(o, r, inside) for r in reads)
        ]
    done: list[JobPlan] = []
    pending = list(jobs)
    while pending:
        ready = [j for j in pending if all(a in {d.name for d in done} for a in j.after)]
        if not ready:
            listed = ", ".join(_rel(project, j.path) for j in pending)
            raise PlanError(
                f"the jobs {listed} read each other's outputs in a cycle; pass --order "
                "SCRIPT ... to give the order they ran in"
            )
        first = min(ready, key=lambda j: (not _is_draft(j, project), _created(j)))
        done.append(first)
        pending.remove(first)
    return done


def _pick(jobs: list[JobPlan], order: list[str], project: Path) -> list[JobPlan]:
    picked = []
    for wanted in order:
        matches = [
            j
            for j in jobs
            if wanted in (j.path.name, j.name, _rel(project, j.path), str(j.path))
            or Path(wanted).resolve() == j.path.resolve()
        ]
        if len(matches) != 1:
            known = ", ".join(_rel(project, j.path) for j in jobs)
            raise PlanError(f"--order {wanted!r} names {len(matches)} scripts; scripts: {known}")
        picked.append(matches[0])
    return picked


def _where_readers_look(jobs, tables) -> None:
    """A from_catalog target no DDL defines lives where the other jobs' S3 reads look for it
    (matched by name), not at a location made up for the grade."""
    for key, table in tables.items():
        if table.how != "created":
            continue
        writers = [j for j in jobs if any(w.table == key for w in j.writes)]
        looked = {
            r.location
            for j in jobs
            if j not in writers
            for r in j.reads
            if r.kind == "s3" and r.location and not any(_writes(o, r) for o in jobs)
        }
        scored = sorted(((names.name_matches(key, loc), loc) for loc in looked), reverse=True)
        best = [loc for score, loc in scored if score and score == scored[0][0]]
        if len(best) != 1:
            continue
        table.location = best[0]
        for job in writers:
            for w in job.writes:
                if w.kind == "catalog" and w.table == key:
                    w.location = best[0]


def _stand_ins(jobs, ddl, notes: list[str]) -> dict[str, str]:
    """{placeholder bucket: the stand-in it is graded as}, each said in the notes."""
    uris = [t.location for t in ddl]
    for job in jobs:
        script = job.script
        uris += [p for s in script.sources for p in s.paths] if script else []
        uris += [k.path for k in script.sinks if k.path] if script else []
    found = sorted({names.bucket(u) for u in uris if isinstance(u, str) and u.startswith("s3")})
    placeholders = [b for b in found if names.is_placeholder(b)]
    for bucket in placeholders:
        notes.append(
            f"bucket {bucket!r} is a placeholder, not a bucket name: graded with the stand-in "
            f"bucket s3://{STAND_IN_BUCKET}/"
        )
    return dict.fromkeys(placeholders, STAND_IN_BUCKET)


SQL_QUERY_NAME = re.compile(r"\bSqlQuery\d+\b")  # Glue Studio renumbers it on every export


def _copies_run_once(jobs: list[JobPlan], project: Path, notes: list[str]) -> list[JobPlan]:
    """Scripts identical but for Glue Studio's `SqlQuery<N>` name are one Glue job saved twice
    (a copy per folder, or one job exported again under another name; their node ids, the
    nodes' creation times, are the same): run once."""
    kept: dict[str, JobPlan] = {}
    for job in jobs:
        text = job.script.text if job.script else job.path.read_bytes().decode("latin-1")
        first = kept.setdefault(SQL_QUERY_NAME.sub("SqlQuery", text), job)
        if first is not job:
            renamed = first.script is not None and first.script.text != text
            same = "script but for Glue Studio's SqlQuery<N> name" if renamed else "script"
            notes.append(
                f"{_rel(project, job.path)} is a copy of {_rel(project, first.path)} (the same "
                f"{same}): run once, as one Glue job"
            )
    return list(kept.values())


def make_plan(
    project: Path,
    scripts: list[Path],
    ddl: list[DdlTable],
    order: list[str] | None = None,
    job_args: dict[str, str] | None = None,
) -> Plan:
    if not scripts:
        raise PlanError(
            f"no Glue job scripts under {project}: a script imports awsglue and makes a "
            "GlueContext; pass the folder that holds your exported jobs"
        )
    job_args = dict(job_args or {})
    notes = [
        f"{_rel(project, f)}: DDL read from an RTF document (the SQL inside, control words "
        "stripped)"
        for f in dict.fromkeys(t.file for t in ddl if t.from_rtf)
    ]
    jobs = [_read_job(project, p, job_args) for p in scripts]
    stand_ins = _stand_ins(jobs, ddl, notes)
    database = _default_database(jobs, ddl)
    tables = _catalog_tables(jobs, ddl, database)
    for job in jobs:
        if job.script:
            _accesses(job, tables, database)
    chosen = _pick(jobs, order, project) if order else _copies_run_once(jobs, project, notes)
    not_run = [_rel(project, j.path) for j in jobs if j not in chosen]
    if order and not_run:
        notes.append(f"--order leaves out {', '.join(not_run)}: not run")
    _where_readers_look(chosen, tables)
    _crawl_locations(chosen, tables, database)
    shared = _shared_targets(chosen)
    landing = _landing(chosen, tables, notes, project)
    if order:
        for i, job in enumerate(chosen):  # --order: a job depends on earlier jobs only
            job.after = [o.name for o in chosen[:i] if any(_writes(o, r) for r in job.reads)]
        ordered = chosen
    else:
        ordered = _order(chosen, project, notes)
    notes += _writers_note(shared, ordered, project, order)
    return Plan(project, ordered, landing, tables, database, not_run, job_args, stand_ins, notes)
