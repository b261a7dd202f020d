"""Query engines behind the validation run: the local DuckDB lake and Amazon Athena.

Both expose the same small interface (see base.Engine): `query(sql)` returning
(columns, rows), `count(table)` running the shared COUNT SQL, and
`gx_connection_string()` for Great Expectations' SQL datasource.
"""

from __future__ import annotations


def make_engine(name: str, lake, **options):
    """Build the engine named on the command line ('local' or 'athena').

    Local options: `tables`, views for these tables only (a pass over tables already final);
    `for_gx` (default True), whether GX will open the engine's DuckDB file."""
    if name == "local":
        from validation.engines.local import LocalEngine

        return LocalEngine(lake, tables=options.get("tables"), for_gx=options.get("for_gx", True))
    if name == "athena":
        from validation.engines.athena import AthenaEngine

        return AthenaEngine.from_options(**options)
    from localglue.errors import LakehouseError

    raise LakehouseError(f"unknown engine {name!r}; use --engine local or --engine athena")
