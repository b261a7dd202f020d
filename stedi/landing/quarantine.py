"""The quarantine in the lake: <lake>/_quarantine/<source>/<file stem>.jsonl, one record
{"file", "line", "raw", "reason"} per rejected line; `quarantine_counts(lake)` sums them for
the ledger check (stedi/ledger.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from stedi.landing.parse import SOURCES, QuarantinedRecord


def quarantine_dir(lake, source: str) -> Path:
    return Path(lake.quarantine_dir) / source


def clear_quarantine(lake, source: str) -> None:
    """Forget earlier rejections of a source (ingest re-scans the whole source)."""
    shutil.rmtree(quarantine_dir(lake, source), ignore_errors=True)


def write_quarantine(lake, source: str, records: Iterable[QuarantinedRecord]) -> list[Path]:
    """Write records to <lake>/_quarantine/<source>/<file stem>.jsonl, one file per landing file.

    Each landing file's quarantine file is rewritten whole, so re-ingesting is idempotent.
    """
    by_file: dict[str, list[QuarantinedRecord]] = {}
    for record in records:
        by_file.setdefault(record.file, []).append(record)
    folder = quarantine_dir(lake, source)
    written = []
    for file, group in sorted(by_file.items()):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (Path(file).stem + ".jsonl")
        target.write_text("".join(r.to_json() + "\n" for r in group), encoding="utf-8")
        written.append(target)
    return written


def read_quarantine(lake, source: str) -> list[dict]:
    folder = quarantine_dir(lake, source)
    if not folder.is_dir():
        return []
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def quarantine_counts(lake) -> dict[str, int]:
    """{source: quarantined lines} for every source, 0 when nothing was rejected."""
    counts = {source: 0 for source in SOURCES}
    root = Path(lake.quarantine_dir)
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            counts[folder.name] = sum(
                sum(1 for line in path.open(encoding="utf-8") if line.strip())
                for path in folder.glob("*.jsonl")
            )
    return counts
