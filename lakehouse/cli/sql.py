"""`python -m lakehouse sql` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("sql", help="(sql: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'sql' is not built yet")
