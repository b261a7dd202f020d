"""Bring a STEDI dataset into the lake: landing files, landing tables, dataset identity.

`ingest(src, lake)` does what a learner does by hand on AWS: upload each source's JSON
files to s3://stedi-lake-house/<source>/landing/, create the three landing tables from the
committed DDL (sql/*.sql), and remember which dataset the lake now holds (<lake>/_dataset.json)
so validation knows which row counts to expect.

Each landing folder is made to mirror SRC/<source>/landing/: files with the same name and
bytes are left alone (re-ingesting never duplicates rows), changed files are replaced, and
files SRC no longer has are removed, so the lake never mixes two datasets and the expected
counts in _dataset.json always describe what landing holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.errors import LakehouseError
from lakehouse.lake import DEFAULT_BUCKET, Lake

SOURCES = ("customer", "accelerometer", "step_trainer")
DATABASE = "stedi"
SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
DATASET_FILE = "_dataset.json"


@dataclass
class IngestReport:
    dataset: dict
    previous: dict | None = None
    copied: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)
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
            out.append(line + (f", {gone} removed" if gone else ""))
        return out


def landing_uri(source: str) -> str:
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


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def copy_landing_file(src_file: Path, dest_dir: Path) -> Path | None:
    """Copy one landing file into dest_dir unless an identical copy is there; None if skipped.

    The single place a landing file enters the lake, so checks on its lines hook in here.
    """
    dest = dest_dir / src_file.name
    same_size = dest.is_file() and dest.stat().st_size == src_file.stat().st_size
    if same_size and _digest(dest) == _digest(src_file):
        return None
    tmp = dest_dir / f".{src_file.name}.tmp"
    shutil.copyfile(src_file, tmp)
    os.replace(tmp, dest)
    return dest


def register_landing_tables(lake: Lake, sql_dir: Path = SQL_DIR) -> list[str]:
    """Create/refresh the three landing tables from the committed DDL (what Athena would run)."""
    from lakehouse.catalog import Catalog
    from lakehouse.crawler import table_input_from_ddl

    catalog = Catalog(lake)
    names = []
    for source in SOURCES:
        ddl = sql_dir / f"{source}_landing.sql"
        if not ddl.is_file():
            raise LakehouseError(f"DDL {ddl} is missing; restore it from the repository")
        database, table_input = table_input_from_ddl(ddl.read_text())
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


def ingest(src: str | os.PathLike, lake: Lake) -> IngestReport:
    """Mirror SRC's landing files into the lake, register the landing tables, record SRC."""
    from lakehouse.lock import lake_lock

    src = Path(src).expanduser().resolve()
    files = source_files(src)
    with lake_lock(lake, command=f"ingest {src}"):
        return _ingest(src, files, lake)


def _ingest(src: Path, files: dict[str, list[Path]], lake: Lake) -> IngestReport:
    identity = dataset_identity(src)
    report = IngestReport(dataset=identity, previous=read_dataset(lake))
    for source, paths in files.items():
        dest_dir = Path(lake.local_path(landing_uri(source)))
        dest_dir.mkdir(parents=True, exist_ok=True)
        for path in paths:
            dest = copy_landing_file(path, dest_dir)
            bucket = report.copied if dest is not None else report.skipped
            bucket.setdefault(source, []).append(path.name)
        wanted = {p.name for p in paths}
        for stale in sorted(dest_dir.glob("*.json")):
            if stale.name not in wanted:
                stale.unlink()
                report.removed.setdefault(source, []).append(stale.name)
    report.tables = register_landing_tables(lake)
    tmp = lake.root / f".{DATASET_FILE}.tmp"
    tmp.write_text(json.dumps(identity, indent=2) + "\n")
    os.replace(tmp, lake.root / DATASET_FILE)
    return report
