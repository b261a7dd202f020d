"""Run the suites through Great Expectations: SQL datasource, one checkpoint, Data Docs.

GX's real Data Docs (SiteBuilder) are written to <report dir>/data_docs/index.html,
rebuilt on every run so they show exactly this run. The context is ephemeral
with a filesystem Data Docs site: a file-backed context renders the same pages
but rewrites its YAML config for every asset and suite (about 3 s more for the
8 tables, measured). Data Docs are built once after the checkpoint instead of
by UpdateDataDocsAction, which rebuilds the whole site after each suite.
GX is imported here, lazily: `import great_expectations` costs 3-5 s.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

# GX keeps unexpected values in its results and renders them into Data Docs: by default it
# keeps none (counts only), so the docs hold no personal data; --show-rows keeps five.
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 0}
RESULT_FORMAT_WITH_ROWS = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
DATASOURCE = "stedi"


def _quiet_gx(context) -> None:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False)


def _add_docs_site(context, docs_dir: Path) -> None:
    context.add_data_docs_site(
        "local_site",
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )


class GxSession:
    """One ephemeral GX context for one validation: suites checked in one or more passes
    (`check`), Data Docs built once over every pass (`build_docs`).

    WHY passes: `lakehouse run` validates each table as soon as its job has written it,
    while the later jobs run (validation/preload.py); the final pass then only has the last
    tables left. Every pass shares one run id, so the results and Data Docs read as one run.
    Each pass adds the SQL datasource, its assets and the checkpoint under the same names a
    single pass uses, and removes them afterwards: only the results stay in the context."""

    def __init__(
        self,
        report_dir: Path,
        profile: str,
        timings: dict | None = None,
        show_rows: bool = False,
        data_docs: bool = True,
    ):
        self.timings = {} if timings is None else timings
        start = time.perf_counter()
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        from validation import gx_duckdb_compat

        gx_duckdb_compat.install()
        self.gx, self.profile, self.data_docs = gx, profile, data_docs
        self.result_format = RESULT_FORMAT_WITH_ROWS if show_rows else RESULT_FORMAT
        self.docs_dir = report_dir / "data_docs"
        report_dir.mkdir(parents=True, exist_ok=True)
        self.context = gx.get_context(mode="ephemeral")
        for name in list(self.context.list_data_docs_sites()):
            self.context.delete_data_docs_site(name)
        if data_docs:
            _add_docs_site(self.context, self.docs_dir)
        _quiet_gx(self.context)
        self.run_id = RunIdentifier(run_time=datetime.now(UTC))
        self.suite_names: dict[str, str] = {}  # table -> its suite's name
        _add_time(self.timings, "gx_setup_s", start)

    def check(self, engine, suites: list) -> dict:
        """Validate these LoadedSuites on `engine` now; {table: suite result}."""
        gx, context = self.gx, self.context
        from validation import gx_duckdb_compat

        start = time.perf_counter()
        datasource = context.data_sources.add_sql(
            DATASOURCE, connection_string=engine.gx_connection_string()
        )
        definitions = []
        for loaded in suites:
            asset = datasource.add_table_asset(loaded.table, table_name=loaded.table)
            batch = asset.add_batch_definition_whole_table("whole_table")
            suite = context.suites.add(loaded.suite)
            self.suite_names[loaded.table] = suite.name
            definitions.append(
                context.validation_definitions.add(
                    gx.ValidationDefinition(
                        name=f"{loaded.table}.{self.profile}", data=batch, suite=suite
                    )
                )
            )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"stedi_{self.profile}",
                validation_definitions=definitions,
                actions=[],  # Data Docs are built once at the end: the action rebuilds per suite
                result_format=self.result_format,
            )
        )
        _add_time(self.timings, "gx_setup_s", start)
        start = time.perf_counter()
        try:
            result = checkpoint.run(run_id=self.run_id)
        finally:
            # Free the kept DuckDB connection so sample rows can be read afterwards.
            gx_duckdb_compat.release(datasource.get_execution_engine())
            context.checkpoints.delete(checkpoint.name)
            for definition in definitions:
                context.validation_definitions.delete(definition.name)
            context.data_sources.delete(DATASOURCE)
        _add_time(self.timings, "gx_validate_s", start)
        by_table = {}
        for suite_result in result.run_results.values():
            by_table[suite_result.suite_name.rsplit(".", 1)[0]] = suite_result
        return by_table

    def build_docs(self, warned: set[str] | frozenset = frozenset()) -> Path | None:
        """GX's HTML site over every pass, made to work offline (validation/data_docs.py);
        the tables in `warned` (failures all warnings) show as passed with warnings. None
        without Data Docs. The last run's site stays until now (a run that fails after
        early passes keeps it), and goes in any case: a site left from an earlier run would
        not show this one."""
        from validation import data_docs

        if self.docs_dir.exists():
            shutil.rmtree(self.docs_dir)
        if not self.data_docs:
            return None
        start = time.perf_counter()
        self.context.build_data_docs()
        if self.docs_dir.is_dir():
            data_docs.make_offline(self.docs_dir)
            data_docs.mark_warnings(self.docs_dir, {self.suite_names[t] for t in warned})
        _add_time(self.timings, "data_docs_s", start)
        docs = self.docs_dir / "index.html"
        return docs if docs.is_file() else None


def _add_time(timings: dict, key: str, since: float) -> None:
    timings[key] = round(timings.get(key, 0.0) + time.perf_counter() - since, 3)


def run_checkpoint(
    engine,
    suites: list,
    report_dir: Path,
    profile: str,
    timings: dict | None = None,
    show_rows: bool = False,
    data_docs: bool = True,
):
    """Validate every LoadedSuite on `engine` in one pass; ({table: suite result}, docs index).

    data_docs=False skips GX's HTML site (its jinja rendering is a sixth of a cold run);
    the index path is then None."""
    session = GxSession(report_dir, profile, timings, show_rows, data_docs)
    return session.check(engine, suites), session.build_docs()
