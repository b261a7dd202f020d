"""`python -m lakehouse sql "SELECT ..."`: query the local lake by its Glue table names.

Tables are DuckDB views built from the local catalog (validation.engines.local), one
schema per Glue database, as Athena sees them: `db.table` for every database
(`"stedi-db".t` when the name has a hyphen), plain `table` in `--database` (default
stedi). `SHOW DATABASES` (Athena's statement; DuckDB's own lists attached files) lists
the catalog's databases.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import re
import sys

from localglue.errors import LakehouseError

FORMATS = ("table", "csv", "json")


def register(sub) -> None:
    parser = sub.add_parser(
        "sql",
        help="run SQL on the local lake's Glue tables (DuckDB)",
        description="Run a SQL query on the local lake. Table names are the Glue catalog's "
        "(stedi.customer_trusted or customer_trusted).",
    )
    parser.add_argument(
        "query", help='SQL text, e.g. "SELECT COUNT(*) FROM stedi.customer_trusted"'
    )
    parser.add_argument("--lake", help="lake root (default: $STEDI_LAKE or ./lake)")
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    parser.add_argument(
        "--database",
        help="database of unqualified table names, as Athena's current database "
        "(default: stedi, else the catalog's only database)",
    )
    parser.set_defaults(func=run)


def _jsonable(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


SHOW_DATABASES = re.compile(r"^\s*SHOW\s+(DATABASES|SCHEMAS)\s*;?\s*$", re.I)


def execute(
    query: str, lake_dir: str | None = None, database: str | None = None
) -> tuple[list[str], list[tuple]]:
    import duckdb

    from localglue.lake import Lake
    from validation.engines.local import catalog_tables, connect_memory

    lake = Lake(lake_dir)
    con = connect_memory(lake, database)
    try:
        if SHOW_DATABASES.match(query):
            query = (
                "SELECT schema_name AS database_name FROM information_schema.schemata "
                "WHERE catalog_name = current_database() AND schema_name <> 'main' ORDER BY 1"
            )
        cur = con.execute(query)
    except duckdb.CatalogException as exc:
        tables = ", ".join(catalog_tables(lake))
        raise LakehouseError(
            f"query failed: {str(exc).splitlines()[0]}; tables in the local catalog: {tables}"
        ) from exc
    except duckdb.Error as exc:
        raise LakehouseError(f"query failed: {str(exc).splitlines()[0]}") from exc
    columns = [d[0] for d in cur.description] if cur.description else []
    rows = cur.fetchall() if cur.description else []
    con.close()
    return columns, rows


def render(columns, rows, fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
    elif fmt == "json":
        docs = [{c: _jsonable(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        out.write(json.dumps(docs, indent=2) + "\n")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False)
        for c in columns:
            table.add_column(c)
        for row in rows:
            table.add_row(*("NULL" if v is None else str(v) for v in row))
        console = Console(file=out) if out is not sys.stdout else Console()
        console.print(table)
        console.print(f"{len(rows)} row(s)")


def run(args) -> int:
    columns, rows = execute(args.query, args.lake, args.database)
    render(columns, rows, args.format)
    return 0
