"""An independent implementation of both profiles in DuckDB, straight over landing JSON.

It shares no code with the Glue jobs or the generator: the Glue SQL runs on Spark through
the local Glue runtime, the generator counts from its own ground truth, and this module
computes the same tables its own way (DuckDB, semi-joins and per-customer sets). Other test
modules import `reference_counts` to derive expected counts; the tests here pin that the
reference itself reproduces the graders' rubric counts and the recorded strict counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
TABLES = (
    "customer_landing",
    "accelerometer_landing",
    "step_trainer_landing",
    "customer_trusted",
    "accelerometer_trusted",
    "customer_curated",
    "step_trainer_trusted",
    "machine_learning_curated",
)
GRADER_RUBRIC_COUNTS = {
    "customer_landing": 956,
    "accelerometer_landing": 81273,
    "step_trainer_landing": 28680,
    "customer_trusted": 482,
    "accelerometer_trusted": 40981,
    "customer_curated": 482,
    "step_trainer_trusted": 14460,
    "machine_learning_curated": 43681,
}

# Dates are read as DOUBLE so the older float encoding (1655564376361.0) compares the same.
_CUSTOMER_COLUMNS = (
    "{'customerName': 'VARCHAR', 'email': 'VARCHAR', 'phone': 'VARCHAR', 'birthDay': 'VARCHAR',"
    " 'serialNumber': 'VARCHAR', 'registrationDate': 'DOUBLE', 'lastUpdateDate': 'DOUBLE',"
    " 'shareWithResearchAsOfDate': 'DOUBLE', 'shareWithPublicAsOfDate': 'DOUBLE',"
    " 'shareWithFriendsAsOfDate': 'DOUBLE'}"
)
_ACCEL_COLUMNS = (
    "{'user': 'VARCHAR', 'timestamp': 'BIGINT', 'x': 'DOUBLE', 'y': 'DOUBLE', 'z': 'DOUBLE'}"
)
_STEP_COLUMNS = (
    "{'sensorReadingTime': 'BIGINT', 'serialNumber': 'VARCHAR', 'distanceFromObject': 'BIGINT'}"
)


def _connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()

    def view(name, source, columns):
        files = str(data_dir / source / "landing" / "*.json")
        con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_json('{files}', "
            f"format='newline_delimited', columns={columns})"
        )

    view("cust", "customer", _CUSTOMER_COLUMNS)
    view("accel", "accelerometer", _ACCEL_COLUMNS)
    view("step", "step_trainer", _STEP_COLUMNS)
    return con


RUBRIC = {
    # consent key present and not null; joins exactly as the Udacity rubric states them
    "customer_trusted": "SELECT * FROM cust WHERE shareWithResearchAsOfDate IS NOT NULL",
    "accelerometer_trusted": """
        SELECT a.* FROM accel a JOIN customer_trusted c ON a.user = c.email""",
    "customer_curated": """
        SELECT DISTINCT * FROM customer_trusted
        WHERE email IN (SELECT user FROM accelerometer_trusted)""",
    "step_trainer_trusted": """
        SELECT * FROM step WHERE serialNumber IN (SELECT serialNumber FROM customer_curated)""",
    "machine_learning_curated": """
        SELECT s.*, a.* FROM step_trainer_trusted s
        JOIN accelerometer_trusted a ON a.timestamp = s.sensorReadingTime""",
}

STRICT = {
    # an email consents when every record of it has a positive date; its window opens at the latest
    "consent": """
        SELECT email, max(shareWithResearchAsOfDate) AS since FROM cust GROUP BY email
        HAVING bool_and(coalesce(shareWithResearchAsOfDate, 0) > 0)""",
    "customer_trusted": "SELECT DISTINCT * FROM cust WHERE email IN (SELECT email FROM consent)",
    "accelerometer_trusted": """
        SELECT a.* FROM accel a JOIN consent k ON a.user = k.email WHERE a.timestamp >= k.since""",
    "customer_curated": """
        SELECT * FROM customer_trusted WHERE email IN (SELECT user FROM accelerometer_trusted)""",
    # a device belongs to someone only when all its customer records agree on one email
    "owner": """
        SELECT serialNumber, min(email) AS email FROM cust GROUP BY serialNumber
        HAVING count(DISTINCT email) = 1 AND count(email) = count(*)""",
    "step_trainer_trusted": """
        SELECT s.* FROM step s
        JOIN owner o USING (serialNumber)
        JOIN consent k ON k.email = o.email
        WHERE o.email IN (SELECT email FROM customer_curated) AND s.sensorReadingTime >= k.since""",
    "machine_learning_curated": """
        SELECT s.sensorReadingTime, s.distanceFromObject, a.timestamp, a.x, a.y, a.z
        FROM step_trainer_trusted s
        JOIN owner o USING (serialNumber)
        JOIN accelerometer_trusted a ON a.user = o.email AND a.timestamp = s.sensorReadingTime""",
}


def reference_tables(data_dir: Path, profile: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding every table of the profile, computed from landing JSON."""
    con = _connect(Path(data_dir))
    for name, sql in (RUBRIC if profile == "rubric" else STRICT).items():
        con.execute(f"CREATE TABLE {name} AS {sql}")
    return con


def reference_counts(data_dir: Path) -> dict[str, dict[str, int]]:
    out = {}
    for profile in ("rubric", "strict"):
        con = reference_tables(data_dir, profile)
        landing = {
            "customer_landing": "cust",
            "accelerometer_landing": "accel",
            "step_trainer_landing": "step",
        }
        out[profile] = {
            t: con.execute(f"SELECT count(*) FROM {landing.get(t, t)}").fetchone()[0]
            for t in TABLES
        }
    return out


@pytest.fixture(scope="module")
def shared_reference(shared_data):
    return reference_counts(shared_data)


def test_reference_reproduces_the_graders_rubric_counts(shared_reference):
    assert shared_reference["rubric"] == GRADER_RUBRIC_COUNTS


def test_recorded_counts_are_the_reference_counts(shared_reference):
    """expectations/counts.json (both profiles) is what the independent reference derives."""
    recorded = json.loads((REPO / "expectations" / "counts.json").read_text())["stedi-udacity"]
    assert recorded == shared_reference


def test_strict_drops_readings_before_consent_on_the_shared_data(shared_reference):
    strict, rubric = shared_reference["strict"], shared_reference["rubric"]
    assert strict["customer_trusted"] == rubric["customer_trusted"]  # no zero consent there
    assert strict["accelerometer_trusted"] < rubric["accelerometer_trusted"]
    assert strict["customer_curated"] < rubric["customer_curated"]
    # each kept accelerometer reading has exactly one step reading of its own device
    assert strict["machine_learning_curated"] == strict["accelerometer_trusted"]
