"""--catalog-case, shared by the commands that run Glue scripts (job, run, grade).

Its own module: `grade` may not import `job` (which imports the runner: the grading wall in
pyproject.toml). The model itself is localglue/catalog_case.py."""

from __future__ import annotations


def add_option(parser) -> None:
    from localglue.catalog_case import CHOICES, ENV

    parser.add_argument(
        "--catalog-case",
        choices=CHOICES,
        help="field names of a from_catalog read: data = the files' own names (Glue's model), "
        "lower = lower-cased, as some learners' runs on AWS show (docs/fidelity.md); "
        f"default ${ENV}, else data",
    )


def forwarded(args) -> list[str]:
    """--catalog-case as given, else as $STEDI_CATALOG_CASE sets it: for the warm runtime."""
    from localglue.catalog_case import current

    return ["--catalog-case", args.catalog_case or current()]
