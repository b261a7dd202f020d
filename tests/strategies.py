"""Hypothesis strategies for STEDI-shaped landing data with every privacy trap in reach.

Small value pools make the traps likely rather than rare: a handful of emails (duplicate
customers), a handful of serials (devices shared by two customers), a handful of instants
(readings of different users at the same timestamp, readings exactly at, before and after
the consent date), and consent drawn from absent / explicit null / 0 / a real date, written
with the type drift of the older export (float dates, numeric-string dates, numeric phones).
Everything is synthetic: no value comes from the shared STEDI files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from hypothesis import strategies as st

BASE_MS = 1_700_000_000_000
STEP_MS = 1_000
CONSENT = "shareWithResearchAsOfDate"

CONSENT_KINDS = ("absent", "null", "zero", "valid")


def instant(k: int) -> int:
    return BASE_MS + k * STEP_MS


@dataclass
class Landing:
    """Raw landing records per source, as they would sit in the JSON files."""

    customers: list[dict] = field(default_factory=list)
    accelerometer: list[dict] = field(default_factory=list)
    step_trainer: list[dict] = field(default_factory=list)

    def files(self) -> dict[str, bytes]:
        """{source: file bytes}, one JSON line per record."""
        return {
            "customer": _lines(self.customers),
            "accelerometer": _lines(self.accelerometer),
            "step_trainer": _lines(self.step_trainer),
        }

    def write(self, root) -> None:
        """Lay the data out as <root>/<source>/landing/<source>-1.json (the ingest input)."""
        for source, data in self.files().items():
            folder = root / source / "landing"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{source}-1.json").write_bytes(data)


def _lines(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _drift(draw, value: int):
    """The same epoch as the current export (int) or the older ones (float, string)."""
    return draw(st.sampled_from([value, float(value), str(value)]))


@st.composite
def customer_records(draw, emails: list[str], serials: list[str], instants: int) -> dict:
    email = draw(st.sampled_from(emails))
    serial = draw(st.sampled_from(serials))
    registered = instant(draw(st.integers(0, 3)))
    record = {
        "customerName": email.split("@")[0].replace(".", " "),
        "email": email,
        "phone": draw(st.sampled_from(["8015551212", 8015551212])),
        "birthDay": "1990-01-01",
        "serialNumber": serial,
        "registrationDate": _drift(draw, registered),
        # Few distinct update dates: ties between duplicates happen.
        "lastUpdateDate": _drift(draw, instant(draw(st.integers(0, 2)))),
    }
    kind = draw(st.sampled_from(CONSENT_KINDS))
    if kind == "null":
        record[CONSENT] = None
    elif kind == "zero":
        record[CONSENT] = draw(st.sampled_from([0, 0.0, "0"]))
    elif kind == "valid":
        record[CONSENT] = _drift(draw, instant(draw(st.integers(0, instants - 1))))
    if draw(st.booleans()):
        record["shareWithPublicAsOfDate"] = _drift(draw, registered)
    if draw(st.integers(0, 9)) == 0:
        record["referredBy"] = "an unknown extra field"
    return record


@st.composite
def landings(
    draw, max_customers: int = 6, max_readings: int = 14, min_readings: int = 0
) -> Landing:
    """A whole landing zone: customers, accelerometer and step trainer readings."""
    n_people = draw(st.integers(1, max_customers))
    emails = [f"person{i}.example@test.invalid" for i in range(n_people)]
    serials = [f"serial-{i}" for i in range(draw(st.integers(1, n_people)))]
    instants = draw(st.integers(1, 8))
    customers = draw(
        st.lists(customer_records(emails, serials, instants), min_size=1, max_size=max_customers)
    )
    # Orphans: a user and a device no customer record has.
    users = [*emails, "orphan.user@test.invalid"]
    devices = [*serials, "serial-orphan"]
    times = st.integers(0, instants - 1).map(instant)
    accel = draw(
        st.lists(
            st.builds(
                lambda user, t, x: {"user": user, "timestamp": t, "x": x, "y": 0.0, "z": -x},
                st.sampled_from(users),
                times,
                st.sampled_from([-1.0, 0.0, 1.0]),
            ),
            min_size=min_readings,
            max_size=max_readings,
        )
    )
    steps = draw(
        st.lists(
            st.builds(
                lambda serial, t, d: {
                    "sensorReadingTime": t,
                    "serialNumber": serial,
                    "distanceFromObject": d,
                },
                st.sampled_from(devices),
                times,
                st.integers(100, 300),
            ),
            min_size=min_readings,
            max_size=max_readings,
            # One device reads once per instant (the real export has no duplicate readings).
            unique_by=lambda s: (s["serialNumber"], s["sensorReadingTime"]),
        )
    )
    return Landing(customers, accel, steps)
