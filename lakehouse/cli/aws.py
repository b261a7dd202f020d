"""`python -m lakehouse aws` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("aws", help="(aws: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'aws' is not built yet")
