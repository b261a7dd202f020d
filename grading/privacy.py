"""The privacy promise, checked on the learner's own outputs with DuckDB.

Consent comes from the customer landing files the grade laid, by the rule validation's
suites use (expectations/): a customer consents when a landing record of their email carries
a shareWithResearchAsOfDate that is not null. Checks:
- rows of non-consenting customers in any trusted or curated table (an email or user that
  no consenting record has, or a serial number that no consenting record has): FAILS the grade;
- accelerometer readings taken before the customer's consent: shown (the rubric keeps them);
- cross-customer pairs in machine_learning_curated (a reading joined to another customer's
  step trainer): shown;
- identifier columns in machine_learning_curated: shown.
Counts only; rows appear only with --rows (they are personal data).

A check that could not read its input FAILS, with the reason (a table whose files no reader
here understands, or customer landing files that give no consent to check against): a
privacy check that read nothing has checked nothing.
"""

from __future__ import annotations

from grading.count import FoundTable, unreadable
from grading.formats import Reader, Unreadable
from stedi.tables import ACCELEROMETER_TRUSTED, BY_NAME, IDENTIFIER_COLUMNS
from stedi.tables import MACHINE_LEARNING_CURATED as ML

CONSENT = "sharewithresearchasofdate"
EXAMPLES = 5


def _columns(con, rel: str) -> dict[str, str]:
    return {r[0].lower(): r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _consent_tables(con, rel: str) -> None:
    cols = _columns(con, rel)
    email, serial = _q(cols.get("email", "email")), cols.get("serialnumber")
    consent = cols.get(CONSENT)
    when = f"TRY_CAST({_q(consent)} AS DOUBLE)" if consent else "CAST(NULL AS DOUBLE)"
    serial_sql = f"CAST({_q(serial)} AS VARCHAR)" if serial else "CAST(NULL AS VARCHAR)"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE g_customers AS SELECT CAST({email} AS VARCHAR) "
        f"AS email, {serial_sql} AS serial, {when} AS consent FROM {rel}"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE g_consent AS SELECT email, min(consent) AS consent "
        "FROM g_customers WHERE consent IS NOT NULL GROUP BY email"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE g_consent_serials AS SELECT DISTINCT serial "
        "FROM g_customers WHERE consent IS NOT NULL"
    )


def _examples(con, sql: str, rows: bool) -> list | None:
    if not rows:
        return None
    cur = con.execute(f"{sql} LIMIT {EXAMPLES}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, map(str, r), strict=True)) for r in cur.fetchall()]


def non_consenting_rows(con, entry: FoundTable, rel: str, rows: bool) -> dict:
    cols = _columns(con, rel)
    tests = []
    for key, sql in (
        ("email", "CAST({c} AS VARCHAR) NOT IN (SELECT email FROM g_consent)"),
        ("user", "CAST({c} AS VARCHAR) NOT IN (SELECT email FROM g_consent)"),
        ("serialnumber", "CAST({c} AS VARCHAR) NOT IN (SELECT serial FROM g_consent_serials)"),
    ):
        if key in cols:
            tests.append((cols[key], sql.format(c=_q(cols[key]))))
    if not tests:
        return {"table": entry.name, "rows": None, "by": [], "note": "no identifying column"}
    where = " OR ".join(t for _, t in tests)
    n = con.execute(f"SELECT count(*) FROM {rel} WHERE {where}").fetchone()[0]
    out = {"table": entry.name, "rows": int(n), "by": [c for c, _ in tests]}
    if n and rows:
        out["examples"] = _examples(con, f"SELECT * FROM {rel} WHERE {where}", rows)
    return out


def readings_before_consent(con, rel: str) -> dict:
    cols = _columns(con, rel)
    if "user" not in cols or "timestamp" not in cols:
        return {"rows": None, "note": "needs user and timestamp columns"}
    n = con.execute(
        f"SELECT count(*) FROM {rel} t JOIN g_consent c ON CAST(t.{_q(cols['user'])} "
        f"AS VARCHAR) = c.email WHERE TRY_CAST(t.{_q(cols['timestamp'])} AS DOUBLE) < c.consent"
    ).fetchone()[0]
    return {"rows": int(n)}


def cross_customer_pairs(con, rel: str) -> dict:
    cols = _columns(con, rel)
    if "user" not in cols or "serialnumber" not in cols:
        return {"rows": None, "note": "needs user and serialnumber columns to tell"}
    n = con.execute(
        f"SELECT count(*) FROM {rel} t WHERE NOT EXISTS (SELECT 1 FROM g_customers c WHERE "
        f"c.email = CAST(t.{_q(cols['user'])} AS VARCHAR) AND c.serial = "
        f"CAST(t.{_q(cols['serialnumber'])} AS VARCHAR))"
    ).fetchone()[0]
    return {"rows": int(n)}


def identifier_columns(con, rel: str) -> list[str]:
    return sorted(c for c in _columns(con, rel) if c in IDENTIFIER_COLUMNS)


NOT_FOUND = {"rows": None, "note": "table not found"}


def _shown(con, reader: Reader, entry: FoundTable | None, measure, counted: bool = True):
    """A shown (not failing) measure of one table, or why it could not be taken."""
    import duckdb

    if entry is None or not entry.files:
        return dict(NOT_FOUND) if counted else None
    try:
        return measure(con, entry.relation(reader))
    except (Unreadable, duckdb.Error) as exc:
        return {"rows": None, "note": f"not readable: {unreadable(exc)}"} if counted else None


def _leaks(con, reader: Reader, entry: FoundTable, rows: bool) -> dict:
    import duckdb

    try:
        return non_consenting_rows(con, entry, entry.relation(reader), rows)
    except (Unreadable, duckdb.Error) as exc:
        return {"table": entry.name, "rows": None, "by": [], "status": "unreadable",
                "reason": unreadable(exc)}  # fmt: skip


def check(
    found: dict[str, FoundTable],
    customer_files: list[str],
    rows: bool = False,
    reader: Reader | None = None,
) -> dict:
    import duckdb

    if reader is None:
        with Reader() as own:
            return check(found, customer_files, rows, own)
    con = duckdb.connect()
    try:
        try:
            _consent_tables(con, reader.relation(customer_files))
        except (Unreadable, duckdb.Error) as exc:
            reason = f"the customer landing files could not be read: {unreadable(exc)}"
            return {"status": "failed", "reason": reason, "non_consenting_rows": [],
                    "readings_before_consent": {"rows": None, "note": reason},
                    "cross_customer_pairs": {"rows": None, "note": reason},
                    "identifier_columns": None}  # fmt: skip
        outputs = [
            _leaks(con, reader, entry, rows)
            for name, entry in found.items()
            if not BY_NAME[name].is_landing and entry.files
        ]
        leaked = sum(o["rows"] or 0 for o in outputs)
        blind = [o for o in outputs if o.get("status") == "unreadable"]
        doc = {
            "status": "failed" if leaked or blind else "passed",
            "non_consenting_rows": outputs,
            "readings_before_consent": _shown(
                con, reader, found.get(ACCELEROMETER_TRUSTED.name), readings_before_consent
            ),
            "cross_customer_pairs": _shown(con, reader, found.get(ML.name), cross_customer_pairs),
            "identifier_columns": _shown(
                con, reader, found.get(ML.name), identifier_columns, counted=False
            ),
        }
        if blind:
            doc["reason"] = "; ".join(f"{o['table']}: {o['reason']}" for o in blind)
            doc["unchecked"] = [o["table"] for o in blind]  # the tables it could not check
        return doc
    finally:
        con.close()
