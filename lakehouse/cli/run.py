"""`python -m lakehouse run [--profile rubric|strict] [--lake DIR] [--master URL] [--no-validate]
[--catalog-case data|lower]`."""

from __future__ import annotations

from lakehouse.cli import catalog_case
from stedi.tables import PROFILES


def register(sub) -> None:
    parser = sub.add_parser(
        "run",
        help="run a profile's five Glue Studio jobs in order, then validate the lake",
        description="Run studio_jobs/<profile>/*.py unchanged, in dependency order, in one "
        "Spark session; stop at the first failure (exit 1); then run `python -m "
        "validation.run` on the lake unless --no-validate.",
    )
    parser.add_argument("--profile", choices=PROFILES, default="rubric")
    parser.add_argument("--lake", help="lake root (default: $STEDI_LAKE, else ./lake)")
    parser.add_argument("--master", help="Spark master URL (default: local[2])")
    parser.add_argument("--no-validate", action="store_true", help="skip the validation report")
    parser.add_argument(
        "--verbose", action="store_true", help="print the full Python trace of a failed job"
    )
    catalog_case.add_option(parser)
    parser.set_defaults(func=run)


def forwarded(args) -> list[str]:
    """This command's options, for the warm runtime."""
    options = ["--profile", args.profile]
    options += ["--lake", args.lake] if args.lake else []
    options += [
        flag
        for flag, on in (("--no-validate", args.no_validate), ("--verbose", args.verbose))
        if on
    ]
    return options + catalog_case.forwarded(args)


def run_and_report(
    profile: str, lake, master: str | None = None, verbose: bool = False, preloaded=None
) -> None:
    """Run the jobs; raise JobFailed (exit 1) with the first failing job's error.

    With `preloaded` (the validation child) each table is handed to it once final."""
    from lakehouse.cli.job import raise_failure
    from localglue.spark import get_spark
    from stedi import pipeline

    pipeline.plan(profile)  # a missing profile or job fails before the JVM starts
    pipeline.check_landing(lake)
    # A second run on the same lake fails here, at once, before Spark starts.
    with pipeline.hold(lake, f"run --profile {profile}"):
        results = pipeline.run_profile(
            profile,
            lake,
            spark=get_spark(master),
            on_final=early_validation(lake, profile, preloaded),
        )
    failed = [r for r in results if not r.ok]
    if failed:
        raise_failure(failed[0], verbose)


def print_counts(lake, profile: str) -> bool:
    """The expected-vs-actual counts table under its heading; whether every count matches."""
    from stedi import pipeline

    rows, counts_ok = pipeline.counts_table(lake, profile)
    print()
    print(f"row counts ({profile} profile)")
    print(pipeline.format_counts(rows))
    print()
    return counts_ok


PRELOAD_ENV = "STEDI_PRELOAD_VALIDATION"  # 0: validate in-process after the jobs (bench A/B)


def preload_validation(wanted: bool = True):
    """The validation child (validation/preload.py), started before the JVM so that GX
    imports while the jobs run; a null context when the run will not validate."""
    import contextlib
    import os

    if not wanted or os.environ.get(PRELOAD_ENV, "1") == "0":
        return contextlib.nullcontext()
    from validation.preload import Preloaded

    return Preloaded()


def validation_argv(lake, profile: str) -> list[str]:
    """With GX's Data Docs: the validation child imported GX while the jobs ran."""
    return ["--lake", str(lake.root), "--profile", profile, "--data-docs"]


def early_validation(lake, profile: str, preloaded):
    """A callback handing final tables to the validation child; None without one."""
    if preloaded is None:
        return None
    argv = validation_argv(lake, profile)
    return lambda tables: preloaded.early(argv, tables)


def validate(lake, profile: str, preloaded=None) -> int:
    """`python -m validation.run` on this lake; its exit code (a missing validation fails).

    With `preloaded` (a started validation/preload.py child) it runs there, GX already
    imported; a child that died before the request falls back to running here."""
    from localglue.errors import LakehouseError

    argv = validation_argv(lake, profile)
    if preloaded is not None:
        code = preloaded.run(argv)
        if code is not None:
            return code

    try:
        from validation.run import main as validation_main
    except ImportError as exc:
        raise LakehouseError(
            f"validation cannot run ({exc}); reinstall the project with `make venv`"
        ) from exc

    return int(validation_main(argv) or 0)


def run(args) -> int:
    from lakehouse.cli import warm

    code = warm.submit(["run", *forwarded(args)], args.master)
    if code is not None:  # ran on the warm runtime (lakehouse warm)
        return code
    from localglue.catalog_case import chosen
    from localglue.lake import Lake

    lake = Lake(args.lake)
    with preload_validation(not args.no_validate) as preloaded:
        with chosen(args.catalog_case):
            run_and_report(args.profile, lake, args.master, args.verbose, preloaded)
        print_counts(lake, args.profile)
        if args.no_validate:
            return 0
        return validate(lake, args.profile, preloaded)
