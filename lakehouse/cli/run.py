"""`python -m lakehouse run` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("run", help="(run: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'run' is not built yet")
