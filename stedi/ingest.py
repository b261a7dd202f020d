"""Bring a STEDI dataset into the lake: landing files, landing tables, dataset identity.

`ingest(src, lake)` does what a learner does by hand on AWS: upload each source's JSON
files to s3://stedi-lake-house/<source>/landing/, create the three landing tables from the
committed DDL (sql/*.sql), and remember which dataset the lake now holds (<lake>/_dataset.json)
so validation knows which row counts to expect.

Every landing line is accepted or quarantined (stedi/landing/): a landing folder in
the lake holds the ACCEPTED, normalised lines of SRC/<source>/landing/ under the same file
names; rejected lines (malformed JSON, missing keys, superseded duplicate customers ...) go to
<lake>/_quarantine/<source>/ with file, line and reason; the counts are recorded in the landing
ledger (<lake>/_quarantine/summary.json, stedi/ledger.py) that validation checks on every
run. All three sources are scanned before the lake is touched, so an unusable source (no
folder, no valid row) stops ingest with one error line and changes nothing.

Each landing folder is made to mirror SRC: files whose accepted lines are already there are
left alone (re-ingesting never duplicates rows), changed files are replaced, and files SRC no
longer has are removed, so the lake never mixes two datasets and the expected counts in
_dataset.json always describe what landing holds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi import landing, ledger
from stedi.tables import DEFAULT_BUCKET, SQL_DIR

SOURCES = ("customer", "accelerometer", "step_trainer")
DATABASE = "stedi"
DATASET_FILE = "_dataset.json"


@dataclass
class IngestReport:
    dataset: dict
    previous: dict | None = None
    copied: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
    quarantined: dict[str, dict[str, int]] = field(default_factory=dict)  # source -> reason: n
    tables: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        prev = self.previous
        if prev and prev.get("source") != self.dataset["source"]:
            out.append(f"replaced dataset {prev.get('name')!r} (from {prev.get('source')})")
        for source in SOURCES:
            new, same = len(self.copied.get(source, [])), len(self.skipped.get(source, []))
            gone = len(self.removed.get(source, []))
            line = f"{source}: {new} file(s) copied, {same} unchanged"
            line += f", {gone} removed" if gone else ""
            reasons = self.quarantined.get(source) or {}
            if reasons:
                detail = ", ".join(f"{n} {kind}" for kind, n in reasons.items())
                line += f"; {sum(reasons.values())} line(s) quarantined ({detail})"
            out.append(line)
        return out


def landing_uri(source: str, layout: str | None = None) -> str:
    """s3://stedi-lake-house/<source>/landing/, or the learner's --layout template."""
    if layout:
        from stedi.layout import landing_location

        return landing_location(layout, source)
    return f"s3://{DEFAULT_BUCKET}/{source}/landing/"


def source_files(src: Path) -> dict[str, list[Path]]:
    """SRC/<source>/landing/*.json for each source, or an error naming what is missing."""
    if not src.is_dir():
        raise LakehouseError(
            f"dataset folder {src} does not exist; pass a folder with "
            "customer/landing/, accelerometer/landing/ and step_trainer/landing/"
        )
    found = {}
    for source in SOURCES:
        folder = src / source / "landing"
        if not folder.is_dir():
            raise LakehouseError(
                f"{folder} is missing: a dataset folder needs {source}/landing/*.json "
                f"(the layout `python -m lakehouse generate DIR` writes)"
            )
        files = sorted(p for p in folder.glob("*.json") if p.is_file())
        if not files:
            raise LakehouseError(f"{folder} has no *.json files; put the {source} JSON lines there")
        found[source] = files
    return found


def register_landing_tables(
    lake: Lake, sql_dir: Path = SQL_DIR, layout: str | None = None, database: str | None = None
) -> list[str]:
    """Create/refresh the three landing tables from the committed DDL (what Athena would run)."""
    from localglue.catalog import Catalog
    from localglue.crawler import table_input_from_ddl

    catalog = Catalog(lake)
    names = []
    for source in SOURCES:
        ddl = sql_dir / f"{source}_landing.sql"
        if not ddl.is_file():
            raise LakehouseError(f"DDL {ddl} is missing; restore it from the repository")
        ddl_database, table_input = table_input_from_ddl(ddl.read_text())
        database = database or ddl_database
        if layout:
            table_input["StorageDescriptor"]["Location"] = landing_uri(source, layout)
        catalog.ensure_database(database)
        catalog.upsert_table(database, table_input)
        names.append(f"{database}.{table_input['Name']}")
    return names


def read_dataset(lake: Lake) -> dict | None:
    path = lake.root / DATASET_FILE
    return json.loads(path.read_text()) if path.is_file() else None


def dataset_identity(src: Path) -> dict:
    """{"name", "source", "expected_counts"}: counts from SRC/manifest.json when present."""
    manifest_path = src / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    return {
        "name": manifest.get("name") or src.name,
        "source": str(src),
        "expected_counts": manifest.get("expected_counts"),
    }


def ingest(
    src: str | os.PathLike, lake: Lake, layout: str | None = None, database: str | None = None
) -> IngestReport:
    """Land SRC's accepted lines in the lake, quarantine the rest, register the landing
    tables, record SRC and the landing ledger."""
    from localglue.lock import lake_lock
    from localglue.transaction import recover

    src = Path(src).expanduser().resolve()
    if layout:
        from stedi.layout import check

        layout = check(layout)
    source_files(src)  # the folder layout, one clear error each
    # Read-only, before the lock: an unusable source stops here with the lake untouched.
    scans = {s: landing.scan_source(src / s / "landing", s) for s in SOURCES}
    with lake_lock(lake, command=f"ingest {src}"):
        recover(lake)  # a crashed job's staging must not outlive the data it was made from
        return _ingest(src, scans, lake, layout, database)


def _ingest(
    src: Path, scans: dict[str, landing.SourceScan], lake: Lake, layout=None, database=None
) -> IngestReport:
    identity = dataset_identity(src)
    report = IngestReport(dataset=identity, previous=read_dataset(lake))
    ledger.start(lake, identity)
    for source, scan in scans.items():
        dest_dir = Path(lake.local_path(landing_uri(source, layout)))
        written = {p.name for p in landing.write_accepted(scan, dest_dir)}
        for f in scan.files:
            bucket = report.copied if f.file in written else report.skipped
            bucket.setdefault(source, []).append(f.file)
        wanted = {f.file for f in scan.files}
        for stale in sorted(dest_dir.iterdir()):
            if stale.is_file() and not stale.name.startswith(".") and stale.name not in wanted:
                stale.unlink()
                report.removed.setdefault(source, []).append(stale.name)
        landing.clear_quarantine(lake, source)
        landing.write_quarantine(lake, source, scan.quarantined)
        ledger_reasons = ledger.record_reasons(scan)
        if ledger_reasons:
            report.quarantined[source] = ledger_reasons
    report.tables = register_landing_tables(lake, layout=layout, database=database)
    tmp = lake.root / f".{DATASET_FILE}.tmp"
    tmp.write_text(json.dumps(identity, indent=2) + "\n")
    os.replace(tmp, lake.root / DATASET_FILE)
    ledger.record(lake, identity, scans)
    return report
