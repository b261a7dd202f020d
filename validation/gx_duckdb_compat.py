"""Let GX 1.24's SQL datasource run on duckdb-engine.

WHY: GX opens a fresh SQLAlchemy connection per metric query and closes it
before the rows are fetched; duckdb-engine's cursor cannot fetch after its
connection closed, and each validation then fails with no clear error. GX
already solves this for sqlite/mssql by keeping one persisted connection
(StaticPool + a kept reference) for dialects in
`sqlalchemy_execution_engine._PERSISTED_CONNECTION_DIALECTS`. We add "duckdb"
to that tuple; nothing else in GX changes.

The tuple holds GXSqlDialect members, compared two ways: `name in tuple`
(string equality) and `drivername.startswith(member.value)`. `_DialectName`
is a str with a `.value`, so it answers both like an enum member would.
"""

from __future__ import annotations

DUCKDB = "duckdb"


class _DialectName(str):
    @property
    def value(self) -> str:
        return str(self)


def install() -> None:
    """Idempotent: mark duckdb as a persisted-connection dialect in GX."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

    dialects = engine._PERSISTED_CONNECTION_DIALECTS
    if any(getattr(d, "value", d) == DUCKDB for d in dialects):
        return
    engine._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DialectName(DUCKDB))


def installed() -> bool:
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine

    return any(getattr(d, "value", d) == DUCKDB for d in engine._PERSISTED_CONNECTION_DIALECTS)


def release(execution_engine) -> None:
    """Close the connection GX keeps for a persisted-connection dialect.

    GX's own close() only disposes the pool and leaves the kept connection
    open; DuckDB then refuses another connection to the same file with a
    different configuration (we read sample rows after the checkpoint).
    """
    connection = getattr(execution_engine, "_connection", None)
    if connection is not None:
        connection.close()
        execution_engine._connection = None
    execution_engine.engine.dispose()
