"""What every engine offers, and the SQL text shared by all of them."""

from __future__ import annotations

from typing import Any


def count_sql(table: str) -> str:
    """The row-count query: the SAME text on DuckDB and Athena."""
    return f"SELECT COUNT(*) AS row_count FROM {table}"


class Engine:
    name = "base"
    # The schema GX's table assets live in (None: the connection's default).
    gx_schema: str | None = None

    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        raise NotImplementedError

    def count(self, table: str) -> int:
        _, rows = self.query(count_sql(table))
        return int(rows[0][0])

    def columns(self, table: str) -> list[tuple[str, str | None]]:
        """(name, SQL type or None when unknown) of a table's columns, in order."""
        names, _ = self.query(f"SELECT * FROM {table} LIMIT 0")
        return [(name, None) for name in names]

    def tables(self) -> list[str]:
        """Glue table names this engine can see."""
        raise NotImplementedError

    def see(self, tables: list[str]) -> None:
        """Make these tables visible too (an engine built for some tables only); by default
        every table already is."""

    def describe(self) -> str:
        """Where the tables come from, for error messages."""
        return self.name

    def gx_connection_string(self) -> str:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
