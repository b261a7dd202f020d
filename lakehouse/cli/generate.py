"""`python -m lakehouse generate` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("generate", help="(generate: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'generate' is not built yet")
