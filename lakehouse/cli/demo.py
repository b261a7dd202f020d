"""`python -m lakehouse demo [--lake DIR] [--sample DIR]`: the README's one command.

Generates the default synthetic sample (if the folder has none), ingests it, runs the
rubric jobs, prints expected vs actual row counts and the validation report.
"""

from __future__ import annotations

from pathlib import Path

from stedi.tables import PROFILES


def register(sub) -> None:
    parser = sub.add_parser(
        "demo",
        help="generate a sample, ingest it, run the rubric jobs, show counts and validation",
    )
    parser.add_argument("--lake", help="lake root (default: $STEDI_LAKE, else ./lake)")
    parser.add_argument("--sample", default="sample", help="sample folder (default: ./sample)")
    parser.add_argument("--profile", choices=PROFILES, default="rubric")
    parser.add_argument("--master", help="Spark master URL (default: local[2])")
    parser.set_defaults(func=run)


def run(args) -> int:
    from lakehouse.cli.run import preload_validation

    with preload_validation() as preloaded:
        return _demo(args, preloaded)


def _demo(args, preloaded) -> int:
    from lakehouse.cli.run import print_counts, run_and_report, validate
    from localglue.lake import Lake
    from stedi.generator import generate
    from stedi.ingest import ingest

    sample = Path(args.sample)
    if (sample / "manifest.json").is_file():
        print(f"using the sample in {sample}")
    else:
        manifest = generate(sample)
        print(f"generated {manifest['name']} in {sample}")
    lake = Lake(args.lake)
    report = ingest(sample, lake)
    print(f"ingested {report.dataset['name']} into {lake.root}")
    for line in report.lines():
        print(f"  {line}")
    run_and_report(args.profile, lake, args.master, preloaded=preloaded)
    counts_ok = print_counts(lake, args.profile)
    status = validate(lake, args.profile, preloaded)
    return status or (0 if counts_ok else 1)
