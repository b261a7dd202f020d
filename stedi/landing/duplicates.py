"""Duplicate customers: one record per email wins, the others are quarantined as superseded.

Duplicate customers (same `email`, compared exactly as the jobs join on it): one record wins,
the rest are quarantined with reason "superseded by a later record of the same email".
The winner has the latest lastUpdateDate; ties go to the latest registrationDate, then to
the record seen last (files in name order, lines in file order). A missing date counts as
older than any date. Latest-wins is the privacy-safe rule: a customer who withdrew consent
in a later record is not resurrected by an older consenting one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from stedi.landing.parse import FileScan, QuarantinedRecord

SUPERSEDED = "superseded by a later record of the same email"


def _rank(record: dict, position: int) -> tuple:
    def date(key):
        value = record.get(key)
        return (1, value) if type(value) is int else (0, 0)

    return (date("lastUpdateDate"), date("registrationDate"), position)


def _winners(records: Sequence[dict]) -> set[int]:
    """Indices of the records that win for their email (see the module docstring)."""
    best: dict[str, tuple[tuple, int]] = {}
    for position, record in enumerate(records):
        rank = _rank(record, position)
        email = record["email"]
        if email not in best or rank > best[email][0]:
            best[email] = (rank, position)
    return {position for _, position in best.values()}


def dedupe_customers(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """(kept, superseded) accepted customer lines, both in input order."""
    records = [json.loads(line) for line in lines]
    winners = _winners(records)
    kept = [line for i, line in enumerate(lines) if i in winners]
    superseded = [line for i, line in enumerate(lines) if i not in winners]
    return kept, superseded


def dedupe_scans(scans: list[FileScan]) -> None:
    flat = [(scan, i) for scan in scans for i in range(len(scan.accepted))]
    records = [json.loads(scan.accepted[i]) for scan, i in flat]
    winners = _winners(records)
    if len(winners) == len(records):
        return
    losers: dict[int, set[int]] = {}
    for position, (scan, i) in enumerate(flat):
        if position not in winners:
            losers.setdefault(id(scan), set()).add(i)
    for scan in scans:
        drop = losers.get(id(scan))
        if not drop:
            continue
        keep_lines, keep_nos = [], []
        for i, (line, line_no) in enumerate(
            zip(scan.accepted, scan.accepted_line_nos, strict=True)
        ):
            if i in drop:
                scan.quarantined.append(QuarantinedRecord(scan.file, line_no, line, SUPERSEDED))
            else:
                keep_lines.append(line)
                keep_nos.append(line_no)
        scan.accepted, scan.accepted_line_nos = keep_lines, keep_nos
        scan.quarantined.sort(key=lambda q: q.line_no)
