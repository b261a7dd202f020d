"""`python -m lakehouse ingest SRC_DIR [--lake DIR] [--layout TEMPLATE] [--database DB]`:
landing files + landing tables."""

from __future__ import annotations


def register(sub) -> None:
    parser = sub.add_parser(
        "ingest",
        help="copy SRC_DIR/<source>/landing/*.json into the lake and register the landing tables",
        description="Make s3://stedi-lake-house/<source>/landing/ in the lake mirror "
        "SRC_DIR/<source>/landing/ (idempotent), create customer_landing, accelerometer_landing "
        "and step_trainer_landing in database stedi from sql/*.sql, and record the dataset "
        "(with SRC_DIR/manifest.json's expected counts) in <lake>/_dataset.json.",
    )
    parser.add_argument("src", metavar="SRC_DIR")
    parser.add_argument("--lake", help="lake root (default: $STEDI_LAKE, else ./lake)")
    parser.add_argument(
        "--layout",
        metavar="TEMPLATE",
        help="your landing locations, e.g. s3://my-bucket/{source}/landing/ "
        "(default: s3://stedi-lake-house/{source}/landing/)",
    )
    parser.add_argument("--database", help="Glue database for the landing tables (default: stedi)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from localglue.lake import Lake
    from stedi.ingest import ingest

    lake = Lake(args.lake)
    report = ingest(args.src, lake, layout=args.layout, database=args.database)
    print(f"ingested {report.dataset['name']} into {lake.root}")
    for line in report.lines():
        print(f"  {line}")
    print(f"  tables: {', '.join(report.tables)}")
    return 0
