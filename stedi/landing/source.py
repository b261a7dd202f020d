"""Scanning a whole landing source: every file parsed, then duplicate customers resolved
across files, with one clear error when the source is unusable."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from localglue.errors import LakehouseError
from stedi.landing.duplicates import dedupe_scans
from stedi.landing.parse import FileScan, QuarantinedRecord


@dataclass
class SourceScan:
    """All landing files of one source, after duplicate customers were resolved."""

    source: str
    folder: str
    files: list[FileScan] = field(default_factory=list)

    @property
    def lines_total(self) -> int:
        return sum(f.lines_total for f in self.files)

    @property
    def accepted_count(self) -> int:
        return sum(len(f.accepted) for f in self.files)

    @property
    def quarantined(self) -> list[QuarantinedRecord]:
        return [q for f in self.files for q in f.quarantined]

    def accepted_lines(self) -> Iterable[str]:
        for f in self.files:
            yield from f.accepted

    def check(self) -> None:
        for f in self.files:
            f.check()
        if self.lines_total != self.accepted_count + len(self.quarantined):
            raise AssertionError(f"{self.source}: landing lines != accepted + quarantined")


def landing_files(folder: str | os.PathLike) -> list[Path]:
    """Files of a landing folder, recursively as Glue's `recurse: True` reads them, skipping
    hidden and `_`-prefixed names (Spark's own rule), in path order."""
    folder = Path(folder)
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


# Above this many bytes a source's files are scanned two at a time, in helper processes.
# Since the scan is in bulk (stedi/landing/bulk.py) the helpers cost more than they save:
# 10x ingest, alternated, load 12: in process 3.2-3.4 s CPU and 6.1-6.8 s wall, with helpers
# 5.7-6.1 s CPU and 11.6-13.2 s wall (their imports, and every accepted line pickled back).
# They are kept for inputs beyond the 100x export, which these figures do not cover.
PARALLEL_BYTES = 2**30


def scan_files(files: list[Path], source: str) -> list[FileScan]:
    """Each file's scan, in order; a big source's in two helper processes
    (localglue.helper_process.map_in_two). A scan is the same wherever it ran."""
    from stedi.landing.bulk import scan_file  # numpy: a second of imports validation skips

    if len(files) < 2 or sum(f.stat().st_size for f in files) < PARALLEL_BYTES:
        return [scan_file(p, source) for p in files]
    from localglue.helper_process import map_in_two

    return map_in_two(scan_file, files, source)


def scan_source(folder: str | os.PathLike, source: str) -> SourceScan:
    """Scan every file of a source folder; duplicate customers are resolved here.

    Raises LakehouseError when the source is unusable: no folder, or no valid row at all.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise LakehouseError(
            f"{source} landing folder {folder} does not exist; "
            f"point ingest at a directory holding {source}/landing/*.json"
        )
    result = SourceScan(source=source, folder=str(folder))
    result.files = scan_files(landing_files(folder), source)
    if source == "customer":
        dedupe_scans(result.files)
    result.check()
    if result.accepted_count == 0:
        reasons = sorted({q.reason for q in result.quarantined})
        detail = f"; first reason: {reasons[0]}" if reasons else ""
        raise LakehouseError(
            f"{source} landing {folder} has no valid rows "
            f"({len(result.files)} files, {result.lines_total} lines, all quarantined{detail}); "
            f"fix the files or see the rules in stedi/landing/"
        )
    return result
