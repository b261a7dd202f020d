"""`python -m lakehouse crawl` (placeholder: replaced by its owner)."""

from lakehouse.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser("crawl", help="(crawl: not built yet)")
    parser.set_defaults(func=run)


def run(args) -> int:
    raise LakehouseError("'crawl' is not built yet")
