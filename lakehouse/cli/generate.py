"""`python -m lakehouse generate OUT_DIR [--customers N] [--seed S] [--type-drift]`."""

from __future__ import annotations


def register(sub) -> None:
    from stedi.generator import DEFAULT_CUSTOMERS, DEFAULT_SEED

    parser = sub.add_parser(
        "generate",
        help="write deterministic synthetic STEDI landing data with its expected counts",
        description="Write OUT_DIR/{customer,accelerometer,step_trainer}/landing/*.json with the "
        "quirks of the real export, and OUT_DIR/manifest.json with the row count every table "
        "must have under each profile.",
    )
    parser.add_argument("out_dir", metavar="OUT_DIR")
    parser.add_argument("--customers", type=int, default=DEFAULT_CUSTOMERS, metavar="N")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S")
    parser.add_argument(
        "--type-drift",
        action="store_true",
        help="write the customer files in the older encoding (explicit nulls, numeric phone, "
        "float dates)",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from stedi.generator import generate

    manifest = generate(args.out_dir, args.customers, args.seed, args.type_drift)
    counts = manifest["expected_counts"]
    print(f"wrote {manifest['name']} to {args.out_dir}")
    for table in counts["rubric"]:
        print(
            f"  {table:<26} rubric {counts['rubric'][table]:>7,}  strict {counts['strict'][table]:>7,}"
        )
    return 0
