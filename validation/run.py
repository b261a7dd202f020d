"""`python -m validation.run`: validate the STEDI lake: row counts, the GX suites, privacy.

    python -m validation.run [--lake DIR] [--profile rubric|strict] [--dataset NAME]
                             [--engine local|athena] [--report-dir DIR] [--tables T ...]
                             [--data-docs | --no-data-docs]

For every table: the row-count check (expected counts from
expectations/counts.json[dataset][profile], else the lake's _dataset.json) and the
expectations of the table's suite (expectations/<zone>/<table>[.<profile>].json), each run as
SQL on DuckDB (local) or Athena (validation/sql_suites.py: the verdict needs no GX import,
which alone takes 5-6 s). With --data-docs (what `lakehouse run` and `make run` pass) GX also
runs the same suites through its SQL datasource and writes its Data Docs; a check the two
judge differently is reported, and a check GX fails fails the run.

Writes to the report dir (default: <lake>/../reports/<profile>, i.e. ./reports/rubric for the
default lake ./lake; <lake>/../reports/<lake name>/<profile> for another): report.json (schema
in validation/report.py), report.md, and with --data-docs GX Data Docs at data_docs/index.html
(they work offline, validation/data_docs.py).

Exit 0: every critical check passed (warnings are reported only);
exit 1: a critical check failed; exit 2: usage or configuration error (the
message names what is missing). Gating uses each failed check's severity (GX's
get_max_severity_failure), never GX's ValidationResult.success.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.extras import missing_extra
from localglue.lake import Lake
from stedi.tables import PROFILES, TABLE_NAMES, ZONE


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m validation.run",
        description="Validate the STEDI lake: row counts and GX suites per table.",
    )
    p.add_argument("--lake", help="lake root (default: $STEDI_LAKE or ./lake)")
    p.add_argument(
        "--profile", choices=PROFILES, default="rubric", help="job profile (default rubric)"
    )
    p.add_argument(
        "--dataset",
        help="dataset name in expectations/counts.json (default: the lake's _dataset.json)",
    )
    p.add_argument(
        "--engine",
        choices=("local", "athena"),
        default="local",
        help="query engine (default local)",
    )
    p.add_argument("--report-dir", help="where reports go (default: <lake>/../reports)")
    p.add_argument(
        "--tables",
        nargs="+",
        metavar="TABLE",
        help=f"tables to check (default: all 8: {' '.join(TABLE_NAMES)})",
    )
    p.add_argument("--expectations", help="suites folder (default: ./expectations of the project)")
    p.add_argument("--quiet", action="store_true", help="no terminal table")
    docs = p.add_mutually_exclusive_group()
    docs.add_argument(
        "--data-docs",
        action="store_true",
        help="also run the suites through Great Expectations and write its Data Docs (the "
        "HTML site); GX's import and checkpoint add 5-10 s. `lakehouse run` and `make run` do",
    )
    docs.add_argument(
        "--no-data-docs",
        action="store_true",
        help="the default: the verdict from the SQL checks alone, no GX, no Data Docs",
    )
    p.add_argument(
        "--screenshots",
        nargs="?",
        const="",
        metavar="DIR",
        help="also render the grader screenshots into DIR (default <lake>/../reports/screenshots)",
    )
    p.add_argument(
        "--show-rows",
        action="store_true",
        help="show offending rows unmasked in the terminal, reports and Data Docs "
        "(default: emails masked as a***@test.com, other identifiers hashed, none in Data Docs)",
    )
    athena = p.add_argument_group(
        "athena (or env ATHENA_DATABASE, ATHENA_WORKGROUP, ATHENA_OUTPUT_LOCATION, AWS_REGION, AWS_ENDPOINT_URL)"
    )
    athena.add_argument("--athena-database")
    athena.add_argument("--athena-workgroup")
    athena.add_argument("--athena-output", help="S3 query result location, s3://bucket/prefix/")
    athena.add_argument("--region")
    athena.add_argument("--endpoint-url")
    return p


DEFAULT_LAKE_NAME = "lake"


def default_report_dir(lake: Lake, profile: str | None = None) -> Path:
    """<lake>/../reports/<profile>/ for the default ./lake: one folder per profile, so neither
    overwrites the other; <lake>/../reports/<lake name>/<profile>/ for any other lake, so two
    lakes in one folder keep their own reports."""
    reports = lake.root.parent / "reports"
    if lake.root.name != DEFAULT_LAKE_NAME:
        reports = reports / lake.root.name
    return reports / profile if profile else reports


def _sample_unexpected_rows(engine, table: str, entry: dict) -> None:
    """SUMMARY results carry no rows for SQL checks: fetch a few offending rows ourselves."""
    from validation.report import SAMPLE_ROWS, jsonable

    query = entry["kwargs"].get("unexpected_rows_query")
    if not query or entry["sample"]:
        return
    sql = query.replace("{batch}", table)
    try:
        columns, rows = engine.query(f"SELECT * FROM ({sql}) sample_rows LIMIT {SAMPLE_ROWS}")
    except Exception as exc:  # the check already failed; a sample is a bonus
        entry["sample"] = [f"(could not fetch sample rows: {str(exc).splitlines()[0]})"]
        return
    entry["sample"] = [jsonable(dict(zip(columns, r, strict=True))) for r in rows]


class _NoPySpark:
    """A meta-path finder that makes `import pyspark...` fail while GX imports.

    GX imports pyspark (and pyspark.ml) when it can, for its Spark datasource, about 1 s of a
    cold validation (measured with -X importtime); validation runs GX on DuckDB or Athena, so
    in a process without Spark GX gets its documented "pyspark not installed" path instead."""

    def find_spec(self, name, path=None, target=None):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def _import_gx() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    if "great_expectations" in sys.modules or "pyspark" in sys.modules:
        import great_expectations  # noqa: F401 - a process with Spark keeps GX's Spark path

        return
    blocker = _NoPySpark()
    sys.meta_path.insert(0, blocker)
    try:
        import great_expectations  # noqa: F401
    finally:
        sys.meta_path.remove(blocker)


class Validation:
    """One validation of a lake: tables checked in passes, then one report (`finish`).

    `validate()` is a single pass over every table. `lakehouse run` also checks each table
    early, once its job has written it (`check`, in the validation child while the later
    jobs run); `finish` then checks what is left and writes the report. A table is checked
    once, with the counts check, its suite and its sample rows in the same pass.

    The verdict comes from the suites run as SQL (validation/sql_suites.py). data_docs=True
    (the default here; `python -m validation.run` needs --data-docs) also runs GX's
    checkpoint of the same suites and writes its Data Docs."""

    def __init__(
        self,
        *,
        lake: Lake,
        profile: str = "rubric",
        dataset: str | None = None,
        engine_name: str = "local",
        report_dir: Path | None = None,
        tables: list[str] | None = None,
        expectations: str | None = None,
        engine_options: dict | None = None,
        show_rows: bool = False,
        data_docs: bool = True,
    ):
        from validation.suites import expectations_dir, load_counts

        started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.tables = tables or list(TABLE_NAMES)
        unknown = [t for t in self.tables if t not in ZONE]
        if unknown:
            raise LakehouseError(
                f"unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLE_NAMES)}"
            )
        self.root = expectations_dir(expectations)
        if engine_name == "local" and not lake.exists():
            raise LakehouseError(
                f"lake not found at {lake.root}; pass --lake DIR or run `python -m lakehouse ingest` first"
            )
        self.lake, self.profile, self.engine_name = lake, profile, engine_name
        self.engine_options, self.show_rows, self.data_docs = engine_options, show_rows, data_docs
        self.counts = load_counts(lake, profile, dataset, self.root)
        self.report_dir = Path(report_dir) if report_dir else default_report_dir(lake, profile)
        self.entries: dict[str, dict] = {}
        self.ready: set[str] = set()  # tables declared final by the caller (`check`)
        self.uses: dict[str, set[str]] | None = None  # table -> the tables its suite queries
        self.passes = 0
        self.disagreements: list[str] = []  # checks GX and the SQL checks judged differently
        self.gx = None
        self.engine = None
        self._add("setup_s", started)
        if data_docs:  # timed apart (seconds of pure Python); a missing extra said at once
            mark = time.perf_counter()
            _import_gx()
            self._add("gx_import_s", mark)

    def _add(self, key: str, since: float) -> None:
        self.timings[key] = round(self.timings.get(key, 0.0) + time.perf_counter() - since, 3)

    def _engine(self, tables: list[str] | None):
        """The pass's engine, seeing these tables (None: all). One local engine serves every
        pass, so each table is read into DuckDB once."""
        mark = time.perf_counter()
        if self.engine is None:
            from validation.engines import make_engine

            options = dict(self.engine_options or {})
            if self.engine_name == "local":
                options["for_gx"] = self.data_docs
                if tables is not None:
                    options["tables"] = tables
            self.engine = make_engine(self.engine_name, self.lake, **options)  # errors first
        else:
            self.engine.see(list(TABLE_NAMES) if tables is None else tables)
        self._add("engine_s", mark)
        return self.engine

    def _gx_session(self):
        if self.gx is None:
            from validation.gx_runner import GxSession  # GX imported in __init__

            self.gx = GxSession(
                self.report_dir, self.profile, self.timings, self.show_rows, self.data_docs
            )
        return self.gx

    def check(self, tables: list[str]) -> None:
        """These tables are final: check, in one pass, every table not checked yet whose
        suite only queries final tables (the others wait for a later pass or `finish`)."""
        from validation.suites import referenced_tables

        self.ready.update(tables)
        if self.uses is None:  # read from the suite files once, not at every pass
            self.uses = {t: referenced_tables(t, self.profile, self.root) for t in self.tables}
        uses = self.uses
        todo = [
            t
            for t in self.tables
            if t in self.ready and t not in self.entries and uses[t] <= self.ready
        ]
        if todo:
            try:
                self._check(self._engine(sorted(set(todo).union(*(uses[t] for t in todo)))), todo)
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None

    def _check(self, engine, tables: list[str]) -> None:
        """One pass: the count check and the suite of each table, as SQL on the engine (the
        verdict); with data_docs, GX's checkpoint of the same suites too (its Data Docs)."""
        from validation import report as rep
        from validation.checks import count_check
        from validation.sql_suites import check_suite, refuse_unsupported
        from validation.suites import read_suite

        if not tables:
            return
        specs = [read_suite(t, self.profile, self.root) for t in tables]
        for spec in specs:
            refuse_unsupported(spec)  # a suite error (exit 2) before any query
        missing = [t for t in tables if t not in engine.tables()]
        if missing:
            raise LakehouseError(
                f"table(s) {', '.join(missing)} not in the {engine.describe()}; "
                "run `python -m lakehouse run` (or crawl the tables) first"
            )
        mark = time.perf_counter()
        count_results = {t: count_check(engine, t, self.counts.counts) for t in tables}
        self._add("counts_s", mark)
        mark = time.perf_counter()
        outcomes = {s.table: check_suite(engine, s, samples=self.show_rows) for s in specs}
        self._add("sql_checks_s", mark)
        if self.data_docs:
            self._gx_check(engine, tables, outcomes)
        for spec in specs:
            entry = rep.table_entry(
                ZONE[spec.table],
                spec,
                count_results[spec.table],
                outcomes[spec.table],
                self.root.parent,
            )
            for failure in entry["failures"]:
                _sample_unexpected_rows(engine, spec.table, failure)
            self.entries[spec.table] = entry
        self.passes += 1

    def _gx_check(self, engine, tables: list[str], outcomes: dict[str, list]) -> None:
        """GX's checkpoint of the same suites (for its Data Docs). A check GX fails that the
        SQL checks passed is added to the verdict as GX reports it, and the disagreement is
        recorded: the two must agree (tests/test_validation_paths.py)."""
        from validation.report import gx_outcome
        from validation.suites import load_suite

        session = self._gx_session()
        results = session.check(engine, [load_suite(t, self.profile, self.root) for t in tables])
        for table in tables:
            ours = {o.name: o for o in outcomes[table]}
            for theirs in map(gx_outcome, results[table].results):
                mine = ours.get(theirs.name)
                if mine is None or mine.success != theirs.success:
                    self.disagreements.append(
                        f"{table}:{theirs.name} {'passed' if theirs.success else 'failed'} in GX, "
                        f"{'passed' if mine and mine.success else 'failed'} in the SQL checks"
                    )
                    if mine is not None and not theirs.success:
                        outcomes[table][outcomes[table].index(mine)] = theirs

    def finish(self) -> dict:
        """Check the tables left, then the privacy section, the ledger and the reports."""
        from validation import report as rep

        started = time.perf_counter()
        early = self.passes
        try:
            engine = self._engine(None)
            self._check(engine, [t for t in self.tables if t not in self.entries])
            privacy = None
            if self.profile == "rubric":  # what the rubric lets through and strict would not
                from validation.privacy import privacy_section

                privacy = privacy_section(engine)
        finally:
            self.close()
        if self.gx is not None:
            warned = {t for t, e in self.entries.items() if e["status"] == "warning"}
            docs = self.gx.build_docs(warned)
        else:  # a site left from an earlier run would not show this one
            shutil.rmtree(self.report_dir / "data_docs", ignore_errors=True)
            docs = None
        entries = [self.entries[t] for t in self.tables]
        if not self.show_rows:
            from validation.masking import mask_failures

            mask_failures(entries)
        # Landing ledger (stedi/ledger.py): landing lines = accepted + quarantined, per source.
        from stedi import ledger

        accounts = ledger.check(self.lake) if self.lake.exists() else None
        if accounts is not None:
            ledger.add_to_report_tables(accounts, entries)
        self.timings["early_passes"] = early
        self._add("total_s", started)  # after the request: early passes are not in it
        report = rep.build_report(
            lake=self.lake,
            engine=self.engine_name,
            profile=self.profile,
            counts=self.counts,
            tables=entries,
            data_docs=docs,
        )
        if self.data_docs:
            report["gx"] = {"checked": True, "agrees": not self.disagreements}
            report["gx"]["disagreements"] = self.disagreements
        if privacy is not None:
            report["privacy"] = privacy
            report["summary"]["privacy_warnings"] = privacy["warnings"]
        if accounts is not None:
            report["quarantine"] = accounts.to_report()
            if accounts.status == "failed":  # critical even when --tables left out landing
                report.update(status="failed", exit_code=1, max_severity_failure="critical")
        report["timings"] = self.timings
        self.report_dir.mkdir(parents=True, exist_ok=True)
        rep.write_json(report, self.report_dir / "report.json")
        rep.write_markdown(report, self.report_dir / "report.md")
        return report


def validate(**options) -> dict:
    """Run every check in one pass and write the reports; return the report dict.

    Options are Validation's. Personal data in samples is masked unless `show_rows`
    (validation/masking.py)."""
    return Validation(**options).finish()


def prepare(args: argparse.Namespace) -> Validation:
    """The Validation that `python -m validation.run` with these arguments performs."""
    options = {
        "database": args.athena_database,
        "workgroup": args.athena_workgroup,
        "output_location": args.athena_output,
        "region": args.region,
        "endpoint_url": args.endpoint_url,
    }
    lake = Lake(args.lake)
    return Validation(
        lake=lake,
        profile=args.profile,
        dataset=args.dataset,
        engine_name=args.engine,
        report_dir=_report_dir(args, lake),
        tables=args.tables,
        expectations=args.expectations,
        engine_options=options,
        show_rows=args.show_rows,
        data_docs=args.data_docs,
    )


def _report_dir(args, lake: Lake) -> Path:
    return Path(args.report_dir) if args.report_dir else default_report_dir(lake, args.profile)


def main(argv: list[str] | None = None, prepared: Validation | None = None) -> int:
    """The command; `prepared` is this argv's Validation with tables already checked early
    (validation/preload.py), finished here."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help exits 0, usage errors exit 2
        return int(exc.code or 0)
    lake = Lake(args.lake)
    report_dir = _report_dir(args, lake)
    try:
        try:
            report = (prepared or prepare(args)).finish()
        except ModuleNotFoundError as exc:  # a runtime-only install: name the extra
            extra = "aws" if args.engine == "athena" else "validation"
            error = missing_extra(exc, "python -m validation.run", extra)
            if error is None:
                raise
            raise error from exc
    except LakehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    if not args.quiet:
        from validation.report import print_table

        print_table(report)
        print(f"reports: {report_dir / 'report.json'}, {report_dir / 'report.md'}")
        if report["data_docs"]:
            print(f"GX Data Docs: {report['data_docs']}")
        else:
            print("GX Data Docs: not written (--data-docs runs GX and writes them)")
    if args.screenshots is not None:
        from validation import screenshots

        out = args.screenshots or str(default_report_dir(lake) / "screenshots")
        shots = ["--lake", str(lake.root), "--engine", args.engine, "--profile", args.profile]
        athena = {
            "--athena-database": args.athena_database,
            "--athena-workgroup": args.athena_workgroup,
            "--athena-output": args.athena_output,
            "--region": args.region,
            "--endpoint-url": args.endpoint_url,
        }
        shots += [part for flag, value in athena.items() if value for part in (flag, value)]
        code = screenshots.main([*shots, "--out", out])
        if code:
            return code
    return report["exit_code"]


def exit_now(code: int):
    """Exit at once with `code`, output flushed: the interpreter's own teardown of GX's
    modules (sqlalchemy, pandas, scipy...) takes about 2 s (measured: 12.5 s vs 10.5 s for the
    same cold run), and every file of the run is closed by then."""
    import logging

    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
