"""The STEDI table contract: the one module that names the eight tables.

Every other module, the pipeline, validation, grading, the bench, the AWS path and the
tests, takes table names, zones, locations, columns and keys from here. Landing columns
are read from the committed Athena DDL (sql/*.sql), so the DDL stays the only place they
are typed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from stedi.resources import data_dir

SQL_DIR = data_dir("sql")
STUDIO_JOBS = data_dir("studio_jobs")

DATABASE = "stedi"
DEFAULT_BUCKET = "stedi-lake-house"
PROFILES = ("rubric", "strict")
SOURCES = ("customer", "accelerometer", "step_trainer")
ZONES = ("landing", "trusted", "curated")

# Columns that identify a person; none may reach machine_learning_curated under strict.
IDENTIFIER_COLUMNS = frozenset(
    {"email", "customername", "phone", "birthday", "serialnumber", "user"}
)


@dataclass(frozen=True)
class Table:
    name: str
    zone: str
    source: str
    folder: str  # key prefix under the bucket
    keys: tuple[str, ...]  # what identifies one row
    produced_by: str | None  # the job that writes it; None for landing

    @property
    def location(self) -> str:
        return f"s3://{DEFAULT_BUCKET}/{self.folder}"

    @property
    def is_landing(self) -> bool:
        return self.zone == "landing"


CUSTOMER_LANDING = Table(
    "customer_landing", "landing", "customer", "customer/landing/", ("email",), None
)
ACCELEROMETER_LANDING = Table(
    "accelerometer_landing",
    "landing",
    "accelerometer",
    "accelerometer/landing/",
    ("user", "timestamp"),
    None,
)
STEP_TRAINER_LANDING = Table(
    "step_trainer_landing",
    "landing",
    "step_trainer",
    "step_trainer/landing/",
    ("serialNumber", "sensorReadingTime"),
    None,
)
CUSTOMER_TRUSTED = Table(
    "customer_trusted",
    "trusted",
    "customer",
    "customer/trusted/",
    ("email",),
    "customer_landing_to_trusted",
)
ACCELEROMETER_TRUSTED = Table(
    "accelerometer_trusted",
    "trusted",
    "accelerometer",
    "accelerometer/trusted/",
    ("user", "timestamp"),
    "accelerometer_landing_to_trusted",
)
STEP_TRAINER_TRUSTED = Table(
    "step_trainer_trusted",
    "trusted",
    "step_trainer",
    "step_trainer/trusted/",
    ("serialNumber", "sensorReadingTime"),
    "step_trainer_trusted",
)
CUSTOMER_CURATED = Table(
    "customer_curated",
    "curated",
    "customer",
    "customer/curated/",
    ("email",),
    "customer_trusted_to_curated",
)
MACHINE_LEARNING_CURATED = Table(
    "machine_learning_curated",
    "curated",
    "step_trainer",
    "step_trainer/curated/",
    ("sensorReadingTime", "timestamp"),
    "machine_learning_curated",
)

# Zone order: how reports list them.
TABLES: tuple[Table, ...] = (
    CUSTOMER_LANDING,
    ACCELEROMETER_LANDING,
    STEP_TRAINER_LANDING,
    CUSTOMER_TRUSTED,
    ACCELEROMETER_TRUSTED,
    STEP_TRAINER_TRUSTED,
    CUSTOMER_CURATED,
    MACHINE_LEARNING_CURATED,
)
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
ZONE: dict[str, str] = {t.name: t.zone for t in TABLES}
LOCATIONS: dict[str, str] = {t.name: t.location for t in TABLES}
LANDING_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t.is_landing)
LANDING_BY_SOURCE: dict[str, str] = {t.source: t.name for t in TABLES if t.is_landing}

# The five jobs in dependency order: each reads only what the jobs before it wrote.
JOBS: tuple[str, ...] = (
    CUSTOMER_TRUSTED.produced_by,
    ACCELEROMETER_TRUSTED.produced_by,
    CUSTOMER_CURATED.produced_by,
    STEP_TRAINER_TRUSTED.produced_by,
    MACHINE_LEARNING_CURATED.produced_by,
)
OUTPUT_OF_JOB: dict[str, str] = {t.produced_by: t.name for t in TABLES if t.produced_by}


def ddl_file(table: str) -> Path:
    return SQL_DIR / f"{table}.sql"


@functools.cache
def landing_columns(table: str) -> tuple[tuple[str, str], ...]:
    """(name, Hive type) of a landing table, as its committed DDL declares them (JSON case)."""
    from localglue.crawler import ddl_columns

    return tuple(ddl_columns(ddl_file(table).read_text()))
