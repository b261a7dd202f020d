"""Where a learner's landing data lives: a `--layout` template such as
`s3://my-bucket/{source}/landing/` or `s3://my-bucket/landing/{source}_landing/`.

WHY: learners' jobs read landing data under their own bucket and prefixes; `ingest --layout`
puts it there so their exported scripts run unchanged. `{source}` is customer,
accelerometer or step_trainer.
"""

from __future__ import annotations

from localglue.errors import LakehouseError
from stedi.tables import SOURCES


def check(template: str) -> str:
    if not template.startswith("s3://") or "{source}" not in template:
        raise LakehouseError(
            f"--layout {template!r} must be an s3:// location holding {{source}}, e.g. "
            "s3://my-bucket/{source}/landing/"
        )
    bucket = template[len("s3://") :].split("/", 1)[0]
    if not bucket or "{" in bucket:
        raise LakehouseError(f"--layout {template!r} must name a bucket before {{source}}")
    try:
        template.format(source="customer")
    except (KeyError, IndexError, ValueError) as exc:
        raise LakehouseError(f"--layout {template!r} may hold only {{source}} ({exc!r})") from exc
    return template if template.endswith("/") else template + "/"


def landing_location(template: str, source: str) -> str:
    if source not in SOURCES:
        raise LakehouseError(f"unknown source {source!r}; one of {', '.join(SOURCES)}")
    return check(template).format(source=source)
