"""`python -m lakehouse demo` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("demo", help="(demo: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'demo' is not built yet")
