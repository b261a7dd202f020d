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


def run_checkpoint(
    engine,
    suites: list,
    report_dir: Path,
    profile: str,
    timings: dict | None = None,
    show_rows: bool = False,
    data_docs: bool = True,
):
    """Validate every LoadedSuite on `engine`; return ({table: suite result}, docs index path).

    data_docs=False skips GX's HTML site (its jinja rendering is a sixth of a cold run);
    the index path is then None."""
    timings = {} if timings is None else timings
    start = time.perf_counter()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    from validation import gx_duckdb_compat

    gx_duckdb_compat.install()
    docs_dir = report_dir / "data_docs"
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="ephemeral")
    for name in list(context.list_data_docs_sites()):
        context.delete_data_docs_site(name)
    if data_docs:
        _add_docs_site(context, docs_dir)
    _quiet_gx(context)
    datasource = context.data_sources.add_sql(
        DATASOURCE, connection_string=engine.gx_connection_string()
    )
    definitions = []
    for loaded in suites:
        asset = datasource.add_table_asset(loaded.table, table_name=loaded.table)
        batch = asset.add_batch_definition_whole_table("whole_table")
        suite = context.suites.add(loaded.suite)
        definitions.append(
            context.validation_definitions.add(
                gx.ValidationDefinition(name=f"{loaded.table}.{profile}", data=batch, suite=suite)
            )
        )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"stedi_{profile}",
            validation_definitions=definitions,
            actions=[],  # Data Docs are built once below: the action rebuilds them per suite
            result_format=RESULT_FORMAT_WITH_ROWS if show_rows else RESULT_FORMAT,
        )
    )
    timings["gx_setup_s"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    try:
        result = checkpoint.run()
    finally:
        # Free the kept DuckDB connection so sample rows can be read afterwards.
        gx_duckdb_compat.release(datasource.get_execution_engine())
    timings["gx_validate_s"] = round(time.perf_counter() - start, 3)
    if data_docs:
        start = time.perf_counter()
        context.build_data_docs()
        timings["data_docs_s"] = round(time.perf_counter() - start, 3)
    by_table = {}
    for suite_result in result.run_results.values():
        table = suite_result.suite_name.rsplit(".", 1)[0]
        by_table[table] = suite_result
    docs = docs_dir / "index.html"
    return by_table, (docs if docs.is_file() else None)
