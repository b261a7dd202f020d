"""`python -m lakehouse job` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("job", help="(job: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'job' is not built yet")
