"""How a `from_catalog` read names its fields: the files' own names, or lower-case.

Glue computes a DynamicFrame's schema from the data, so a catalog read of camelCase JSON
keeps `serialNumber` although the catalog's column is `serialnumber` ("data", the default).
Some real runs show every name lower-cased instead ("lower"): a Filter on
`row["sharewithresearchasofdate"]` that kept 482 customers, joins on `serialnumber`. Both
are in learners' own Athena results and nothing they hold tells the two apart
(docs/fidelity.md), so the runtime follows the first and a grader can choose the second:
`--catalog-case lower` on `job`, `run` and `grade`, or STEDI_CATALOG_CASE=lower.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from localglue.errors import LakehouseError

DATA, LOWER = "data", "lower"
CHOICES = (DATA, LOWER)
ENV = "STEDI_CATALOG_CASE"

_chosen: str | None = None  # set by chosen() for the jobs it runs


def checked(case: str) -> str:
    """`case` if it is a model, else an error that lists the models."""
    if case not in CHOICES:
        raise LakehouseError(
            f"catalog case {case!r} is not one of {', '.join(CHOICES)}: use `data` (the "
            f"files' own field names, Glue's model) or `lower` (lower-cased names)"
        )
    return case


def current() -> str:
    """The model in force: the one `chosen()` set, else $STEDI_CATALOG_CASE, else `data`."""
    return _chosen or checked(os.environ.get(ENV) or DATA)


@contextlib.contextmanager
def chosen(case: str | None) -> Iterator[None]:
    """Inside: catalog reads follow `case` (None keeps what is in force). Restored after."""
    global _chosen
    before = _chosen
    _chosen = checked(case) if case else before
    try:
        yield
    finally:
        _chosen = before
