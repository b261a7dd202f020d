"""The eight STEDI tables in pipeline order, with the zone each one lives in.

Zones order the report and pick the suite folder (expectations/<zone>/<table>.json).
"""

from __future__ import annotations

DATABASE = "stedi"

# (zone, table) in the order the pipeline produces them.
TABLES: list[tuple[str, str]] = [
    ("landing", "customer_landing"),
    ("landing", "accelerometer_landing"),
    ("landing", "step_trainer_landing"),
    ("trusted", "customer_trusted"),
    ("trusted", "accelerometer_trusted"),
    ("trusted", "step_trainer_trusted"),
    ("curated", "customer_curated"),
    ("curated", "machine_learning_curated"),
]
TABLE_NAMES = [t for _, t in TABLES]
ZONE = {t: z for z, t in TABLES}
PROFILES = ("rubric", "strict")
