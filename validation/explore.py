"""The queries behind notebooks/explore_lakehouse.ipynb, kept here so tests pin them.

Every function takes an engine with `query(sql) -> (columns, rows)` (the local
DuckDB engine of validation.engines.local, whose views are named as the Glue
tables) and returns a pandas DataFrame ready to plot. Nothing here knows any
expected number: the notebook shows what the lake holds.

`lake_from_env` gives a notebook its lakes: $STEDI_LAKE (rubric) and
$STEDI_LAKE_STRICT (strict) when set; else the repository's lake-<profile>/ or lake/ when
its newest validation report of that profile (reports/[<lake>/]<profile>/report.json)
passed, as `make run` leaves lake/ (a failed one is refused, naming the command that builds
the right lake); else a lake built from the generated sample (the repository's sample/ when
`make run` made one) with the pipeline's own steps (generate, ingest, run). Paths are
the repository's wherever Jupyter was started.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.resources import project_root
from stedi.tables import ACCELEROMETER_TRUSTED, MACHINE_LEARNING_CURATED, TABLES

LAKE_ENV = {"rubric": "STEDI_LAKE", "strict": "STEDI_LAKE_STRICT"}


def frame(engine, sql: str):
    import pandas as pd

    columns, rows = engine.query(sql)
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


# -- lakes --------------------------------------------------------------------------------
def build_sample_lake(root: Path, profile: str, sample: Path | None = None) -> Lake:
    """generate (once) + ingest + run `profile`, without validation."""
    from stedi import pipeline
    from stedi.generator import generate
    from stedi.ingest import ingest

    sample = sample or root.parent / "sample"
    if not (sample / "manifest.json").is_file():
        generate(sample)
    lake = Lake(root)
    ingest(sample, lake)
    failed = [r for r in pipeline.run_profile(profile, lake) if not r.ok]
    if failed:
        raise LakehouseError(f"job {failed[0].name} failed on the sample lake: {failed[0].error}")
    return lake


def lake_from_env(profile: str) -> Lake:
    """The profile's lake: its env variable, the repository's validated lake, or a new one."""
    value = os.environ.get(LAKE_ENV[profile])
    if value:
        lake = Lake(value)
        if not lake.exists():
            raise LakehouseError(f"${LAKE_ENV[profile]} points at {value}, which does not exist")
        return lake
    repo_lake = _validated_repo_lake(profile)
    if repo_lake is not None:
        return repo_lake
    base = Path(os.environ.get("STEDI_NOTEBOOK_TMP") or tempfile.mkdtemp(prefix="stedi-nb-"))
    repo = project_root()
    sample = repo / "sample" if (repo / "sample" / "manifest.json").is_file() else None
    return build_sample_lake(base / f"lake-{profile}", profile, sample or base / "sample")


def _validated_repo_lake(profile: str) -> Lake | None:
    """<project>/lake-<profile>, else <project>/lake, if `python -m validation.run` last validated it
    under this profile and it PASSED. A lake whose validation of this profile failed is
    refused: the rubric lake validated as strict is not a strict lake (the notebook would
    label rubric numbers "strict")."""
    import json

    from validation.run import default_report_dir

    for lake in (Lake(project_root() / f"lake-{profile}"), Lake(project_root() / "lake")):
        report = default_report_dir(lake, profile) / "report.json"
        if not (report.is_file() and lake.exists()):
            continue
        recorded = json.loads(report.read_text())
        same_lake = Path(recorded.get("lake") or "").resolve() == lake.root
        if not (same_lake and recorded.get("profile") == profile):
            continue
        if recorded.get("status") == "failed":
            raise LakehouseError(
                f"the {profile} validation of {lake.root.name}/ failed ({report}), so it is no "
                f"{profile} lake; build one: .venv/bin/python -m lakehouse ingest sample --lake "
                f"lake-{profile} && .venv/bin/python -m lakehouse run --profile {profile} "
                f"--lake lake-{profile}"
            )
        return lake
    return None


# -- funnel -------------------------------------------------------------------------------
def funnel(engine):
    """Rows per table, in pipeline order, with the zone of each table."""
    import pandas as pd

    present = set(engine.tables())
    rows = [(t.zone, t.name, engine.count(t.name) if t.name in present else None) for t in TABLES]
    return pd.DataFrame(rows, columns=["zone", "table", "rows"])


# -- consent --------------------------------------------------------------------------------
def consent_timeline(engine):
    """Every registration and every research consent as an event in time, oldest first.

    Columns: time (UTC), kind ('registered' | 'consented'), customers (running total of
    that kind). A customer without consent (no key, NULL) or with 0 adds no 'consented'
    event: 0 is present for the rubric's IS NOT NULL test but is not a date.
    """
    return frame(
        engine,
        """
        WITH c AS (
          SELECT email, MIN(registrationDate) AS registered, MAX(shareWithResearchAsOfDate) AS consent
          FROM customer_landing GROUP BY email
        ), events AS (
          SELECT to_timestamp(registered / 1000) AS time, 'registered' AS kind FROM c
          WHERE registered IS NOT NULL
          UNION ALL
          SELECT to_timestamp(consent / 1000), 'consented' FROM c WHERE consent > 0
        )
        SELECT time, kind, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY time) AS customers
        FROM events ORDER BY time, kind
        """,
    )


def consent_kinds(engine):
    """How many landing customers have a consent date, a zero, or none at all."""
    return frame(
        engine,
        """
        SELECT CASE WHEN shareWithResearchAsOfDate IS NULL THEN 'absent (blank)'
                    WHEN shareWithResearchAsOfDate <= 0 THEN 'zero'
                    ELSE 'consent date' END AS consent,
               COUNT(*) AS customers
        FROM customer_landing GROUP BY 1 ORDER BY 1
        """,
    )


# -- one customer ---------------------------------------------------------------------------
def busy_consenting_customer(engine) -> tuple[str, str, int]:
    """(email, serialNumber, consent ms) of the curated customer with the most step readings."""
    cols, rows = engine.query(
        """
        SELECT c.email, c.serialNumber, MAX(c.shareWithResearchAsOfDate) AS consent,
               COUNT(*) AS readings
        FROM customer_curated c JOIN step_trainer_trusted s ON s.serialNumber = c.serialNumber
        GROUP BY c.email, c.serialNumber
        ORDER BY readings DESC, c.email
        LIMIT 1
        """
    )
    if not rows:
        raise LakehouseError("no curated customer has step-trainer readings in this lake")
    email, serial, consent, _ = rows[0]
    return email, serial, int(consent)


def customer_readings(engine, email: str, serial: str):
    """(accelerometer x/y/z, step-trainer distance) of one customer, by time."""
    esc = _literal
    accel = frame(
        engine,
        f"""SELECT to_timestamp("timestamp" / 1000) AS time, x, y, z FROM accelerometer_trusted
        WHERE "user" = {esc(email)} ORDER BY "timestamp" """,
    )
    steps = frame(
        engine,
        f"""SELECT to_timestamp(sensorReadingTime / 1000) AS time, distanceFromObject
        FROM step_trainer_trusted WHERE serialNumber = {esc(serial)} ORDER BY sensorReadingTime""",
    )
    return accel, steps


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- the timestamp-only join -----------------------------------------------------------------
def rubric_pairs(engine):
    """machine_learning_curated rows of the RUBRIC lake, split by who the two readings belong to.

    same customer: the accelerometer's user owns the step trainer's serial in customer_curated;
    different customers: the rows the timestamp-only join adds by pairing strangers whose
    readings happen to share a millisecond.
    """
    return frame(
        engine,
        """
        SELECT CASE WHEN EXISTS (
                 SELECT 1 FROM customer_curated c
                 WHERE c.email = m."user" AND c.serialNumber = m.serialNumber)
               THEN 'same customer' ELSE 'different customers' END AS pairing,
               COUNT(*) AS rows
        FROM machine_learning_curated m GROUP BY 1 ORDER BY 1 DESC
        """,
    )


def users_per_timestamp(engine):
    """How many accelerometer_trusted readings share their timestamp with N distinct users."""
    return frame(
        engine,
        """
        WITH t AS (
          SELECT "timestamp", COUNT(DISTINCT "user") AS users, COUNT(*) AS readings
          FROM accelerometer_trusted GROUP BY "timestamp"
        )
        SELECT users AS users_sharing_the_timestamp, SUM(readings) AS readings
        FROM t GROUP BY users ORDER BY users
        """,
    )


def join_comparison(rubric_engine, strict_engine):
    """One table for the plot: accelerometer_trusted vs machine_learning_curated, both profiles."""
    import pandas as pd

    pairs = rubric_pairs(rubric_engine).set_index("pairing")["rows"]
    accel, ml = ACCELEROMETER_TRUSTED.name, MACHINE_LEARNING_CURATED.name
    rows = [
        ("rubric", accel, "readings", rubric_engine.count(accel)),
        ("rubric", ml, "same customer", int(pairs.get("same customer", 0))),
        ("rubric", ml, "different customers", int(pairs.get("different customers", 0))),
        ("strict", accel, "readings", strict_engine.count(accel)),
        ("strict", ml, "same customer", strict_engine.count(ml)),
    ]
    return pd.DataFrame(rows, columns=["profile", "table", "part", "rows"])
