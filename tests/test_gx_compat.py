"""validation.gx_duckdb_compat: GX 1.24's SQL datasource on duckdb-engine.

Without the compat, GX runs each metric on a connection it closes before fetching, which
duckdb-engine cannot do: the expectations come back failed with no result. With DuckDB
registered as a persisted-connection dialect (as GX does for sqlite), they compute.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json, sys, duckdb
    db = sys.argv[1]
    con = duckdb.connect(db)
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a'), (2, NULL), (3, 'c')) v(id, name)")
    con.close()
    if sys.argv[2] == "compat":
        from validation import gx_duckdb_compat
        gx_duckdb_compat.install()
    import great_expectations as gx
    context = gx.get_context(mode="ephemeral")
    batch = (context.data_sources.add_sql("d", connection_string=f"duckdb:///{db}")
             .add_table_asset("t", table_name="t").add_batch_definition_whole_table("all").get_batch())
    suite = gx.ExpectationSuite("s", expectations=[
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "name"}},
        {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}},
    ])
    result = batch.validate(suite)
    print(json.dumps([[r.success, r.result.get("unexpected_count", r.result.get("observed_value"))]
                      for r in result.results]))
    """
)


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        pytest.param(
            "plain", [[False, None], [False, None]], id="without-compat-gx-computes-nothing"
        ),
        pytest.param("compat", [[False, 1], [True, 3]], id="with-compat-gx-computes-the-metrics"),
    ],
)
def test_gx_sql_datasource_on_duckdb(tmp_path, mode, expected):
    """Run in a fresh interpreter: the compat patches GX process-wide."""
    script = tmp_path / "gx_on_duckdb.py"
    script.write_text(SCRIPT)
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "t.duckdb"), mode],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(tmp_path),
        env={
            **__import__("os").environ,
            "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[1]),
        },
    )
    assert out.returncode == 0, out.stderr[-2000:]
    import json

    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


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
