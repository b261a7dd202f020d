"""validation.gx_duckdb_compat: GX 1.24's SQL datasource on duckdb-engine.

Without the compat, GX runs each metric on a connection it closes before fetching, which
duckdb-engine cannot do: the expectations come back failed with no result. With DuckDB
registered as a persisted-connection dialect (as GX does for sqlite), they compute.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def gx_on_duckdb(db: str, compat: bool) -> list:
    """[success, unexpected_count or observed_value] of two expectations on a 3-row table."""
    import duckdb

    con = duckdb.connect(db)
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, NULL), (3, 'c')) v(id, name)"
    )
    con.close()
    if compat:
        from validation import gx_duckdb_compat

        gx_duckdb_compat.install()
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_sql("d", connection_string=f"duckdb:///{db}")
        .add_table_asset("t", table_name="t")
        .add_batch_definition_whole_table("all")
        .get_batch()
    )
    suite = gx.ExpectationSuite(
        "s",
        expectations=[
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"}},
            {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}},
        ],
    )
    result = batch.validate(suite)
    return [
        [r.success, r.result.get("unexpected_count", r.result.get("observed_value"))]
        for r in result.results
    ]


def test_without_the_compat_gx_computes_nothing_on_duckdb(tmp_path):
    """In a fresh interpreter: once installed, the compat patches GX process-wide."""
    script = tmp_path / "plain.py"
    script.write_text(
        "import json, sys\n"
        f"sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]\n"
        "from test_gx_compat import gx_on_duckdb\n"
        "print(json.dumps(gx_on_duckdb(sys.argv[1], compat=False)))\n"
    )
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "t.duckdb")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(tmp_path),
        env=dict(os.environ),
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [[False, None], [False, None]]


def test_with_the_compat_gx_computes_the_metrics_on_duckdb(tmp_path):
    assert gx_on_duckdb(str(tmp_path / "t.duckdb"), compat=True) == [[False, 1], [True, 3]]


def test_install_is_idempotent_and_registers_duckdb_as_persisted():
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

    from validation import gx_duckdb_compat

    gx_duckdb_compat.install()
    before = len(engine._PERSISTED_CONNECTION_DIALECTS)
    gx_duckdb_compat.install()
    assert len(engine._PERSISTED_CONNECTION_DIALECTS) == before
    assert gx_duckdb_compat.installed()
    assert engine._dialect_requires_persisted_connection(connection_string="duckdb:///x.duckdb")
    assert not engine._dialect_requires_persisted_connection(connection_string="postgresql://h/db")
