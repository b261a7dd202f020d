"""The rubric profile's privacy section: what the rubric lets through that strict would not.

The rubric's jobs are graded as written, so these are WARNINGS, not failures: readings taken
before their owner's consent, customers whose consent is 0 on some record, readings of a
device shared by several customers, and machine_learning_curated rows pairing two different
customers' readings. Each downstream table's count is split by reason, and the reasons
partition the rows strict removes: rubric rows - strict rows, table by table (on the shared
data, 40,981 - 32,025 = 8,956 accelerometer readings before consent).

The rules are the strict profile's (studio_jobs/strict/README.md), computed from every
landing record of an email; the SQL runs on DuckDB and Athena alike.
"""

from __future__ import annotations

from stedi.tables import (
    ACCELEROMETER_LANDING,
    ACCELEROMETER_TRUSTED,
    CUSTOMER_CURATED,
    CUSTOMER_LANDING,
    CUSTOMER_TRUSTED,
    MACHINE_LEARNING_CURATED,
    STEP_TRAINER_TRUSTED,
    TABLE_NAMES,
)

SEVERITY = "warning"
# An email consents when every landing record of it has a positive consent date; its
# window opens at the latest one.
CONSENT = (
    "(SELECT email, max(sharewithresearchasofdate) AS since "
    f"FROM {CUSTOMER_LANDING.name} "
    "WHERE email IS NOT NULL GROUP BY email "
    "HAVING min(coalesce(sharewithresearchasofdate, 0)) > 0)"
)
# A device has an owner when every landing record carrying it has the same, non-null email.
OWNER = (
    f"(SELECT serialnumber, max(email) AS email FROM {CUSTOMER_LANDING.name} "
    "WHERE serialnumber IS NOT NULL GROUP BY serialnumber "
    "HAVING count(DISTINCT email) = 1 AND count(email) = count(*))"
)
# Customers with at least one phone reading at or after consent (strict's curated customers).
READS_AFTER_CONSENT = (
    f'(SELECT DISTINCT a."user" AS email FROM {ACCELEROMETER_LANDING.name} a '
    f'JOIN {CONSENT} c ON c.email = a."user" WHERE a."timestamp" >= c.since)'
)
NOT_CONSENTING = "consent 0 or missing on a record"
BEFORE = "reading before consent"
SHARED = "device shared by several customers"
NO_READING = "no reading after consent"
CROSS = "cross-customer pair"

QUERIES = {
    CUSTOMER_TRUSTED.name: f"""SELECT '{NOT_CONSENTING}' AS reason, count(*) AS n
FROM {CUSTOMER_TRUSTED.name} t LEFT JOIN {CONSENT} c ON c.email = t.email
WHERE c.email IS NULL""",
    ACCELEROMETER_TRUSTED.name: f"""SELECT CASE WHEN c.email IS NULL THEN '{NOT_CONSENTING}'
  ELSE '{BEFORE}' END AS reason, count(*) AS n
FROM {ACCELEROMETER_TRUSTED.name} a LEFT JOIN {CONSENT} c ON c.email = a."user"
WHERE c.email IS NULL OR a."timestamp" < c.since
GROUP BY 1""",
    CUSTOMER_CURATED.name: f"""SELECT CASE WHEN c.email IS NULL THEN '{NOT_CONSENTING}'
  ELSE '{NO_READING}' END AS reason, count(*) AS n
FROM {CUSTOMER_CURATED.name} t LEFT JOIN {CONSENT} c ON c.email = t.email
LEFT JOIN {READS_AFTER_CONSENT} r ON r.email = t.email
WHERE r.email IS NULL
GROUP BY 1""",
    STEP_TRAINER_TRUSTED.name: f"""SELECT CASE WHEN o.email IS NULL THEN '{SHARED}'
  WHEN c.email IS NULL THEN '{NOT_CONSENTING}'
  WHEN s.sensorreadingtime < c.since THEN '{BEFORE}'
  ELSE '{NO_READING}' END AS reason, count(*) AS n
FROM {STEP_TRAINER_TRUSTED.name} s LEFT JOIN {OWNER} o ON o.serialnumber = s.serialnumber
LEFT JOIN {CONSENT} c ON c.email = o.email
LEFT JOIN {READS_AFTER_CONSENT} r ON r.email = o.email
WHERE o.email IS NULL OR c.email IS NULL OR s.sensorreadingtime < c.since OR r.email IS NULL
GROUP BY 1""",
    MACHINE_LEARNING_CURATED.name: f"""SELECT CASE WHEN o.email IS NULL THEN '{SHARED}'
  WHEN o.email <> m."user" THEN '{CROSS}'
  WHEN c.email IS NULL THEN '{NOT_CONSENTING}'
  ELSE '{BEFORE}' END AS reason, count(*) AS n
FROM {MACHINE_LEARNING_CURATED.name} m LEFT JOIN {OWNER} o ON o.serialnumber = m.serialnumber
LEFT JOIN {CONSENT} c ON c.email = m."user"
WHERE o.email IS NULL OR o.email <> m."user" OR c.email IS NULL
  OR m."timestamp" < c.since OR m.sensorreadingtime < c.since
GROUP BY 1""",
}
SHARED_DEVICES = f"""SELECT count(*) AS n FROM (SELECT serialnumber FROM {CUSTOMER_LANDING.name}
WHERE serialnumber IS NOT NULL GROUP BY serialnumber
HAVING count(DISTINCT email) > 1 OR count(email) < count(*)) shared"""


def privacy_section(engine) -> dict | None:
    """Count, per downstream table, the rubric rows strict would remove, by reason."""
    if not set(TABLE_NAMES) <= set(engine.tables()):
        return None
    tables = []
    for table, sql in QUERIES.items():
        _, rows = engine.query(sql)
        reasons = {str(reason): int(n) for reason, n in rows if n}
        tables.append({"table": table, "rows": sum(reasons.values()), "reasons": reasons})
    _, [(shared,)] = engine.query(SHARED_DEVICES)
    return {
        "severity": SEVERITY,
        "description": "rows the rubric profile lets through and the strict profile removes",
        "shared_devices": int(shared),
        "tables": tables,
        "warnings": sum(1 for t in tables if t["rows"]) + (1 if shared else 0),
    }


def lines(section: dict) -> list[str]:
    """One line per table with rows, then the shared devices: for the terminal and report.md."""
    out = []
    for t in section["tables"]:
        if t["rows"]:
            why = ", ".join(f"{n:,} {reason}" for reason, n in sorted(t["reasons"].items()))
            out.append(f"{t['table']}: {t['rows']:,} rows strict removes ({why})")
    if section["shared_devices"]:
        out.append(f"devices with more than one owner: {section['shared_devices']:,}")
    return out or ["none: the rubric lets nothing through that strict would remove"]
