"""`python -m lakehouse ingest` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("ingest", help="(ingest: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'ingest' is not built yet")
