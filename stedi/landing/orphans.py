"""Orphans (accelerometer users or step trainer serials with no customer) are accepted: landing
is raw and the trusted jobs drop them by joining. `orphans()` reports them for validation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stedi.landing.source import landing_files
from stedi.landing.zone import landing_folder


@dataclass
class Orphans:
    """Landing readings whose device or user matches no customer."""

    accelerometer_users: list[str]
    accelerometer_rows: int
    step_trainer_serials: list[str]
    step_trainer_rows: int

    @property
    def total_rows(self) -> int:
        return self.accelerometer_rows + self.step_trainer_rows


def orphans(
    customers: Iterable[dict], accelerometer: Iterable[dict], step_trainer: Iterable[dict]
) -> Orphans:
    """Accelerometer users / step trainer serials that no customer record has."""
    emails, serials = set(), set()
    for c in customers:
        emails.add(c.get("email"))
        serials.add(c.get("serialNumber"))
    users, user_rows = set(), 0
    for r in accelerometer:
        if r.get("user") not in emails:
            users.add(r.get("user"))
            user_rows += 1
    devices, device_rows = set(), 0
    for r in step_trainer:
        if r.get("serialNumber") not in serials:
            devices.add(r.get("serialNumber"))
            device_rows += 1
    return Orphans(sorted(users, key=str), user_rows, sorted(devices, key=str), device_rows)


def _read_records(folder: Path) -> Iterable[dict]:
    if not folder.is_dir():
        return
    for path in landing_files(folder):
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                line = line.strip().rstrip(",")
                if not line:
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    yield record


def orphans_in_lake(lake, bucket: str | None = None) -> Orphans:
    """orphans() over the landing zone of a lake (<lake>/<bucket>/<source>/landing/)."""
    return orphans(
        _read_records(landing_folder(lake, "customer", bucket)),
        _read_records(landing_folder(lake, "accelerometer", bucket)),
        _read_records(landing_folder(lake, "step_trainer", bucket)),
    )
