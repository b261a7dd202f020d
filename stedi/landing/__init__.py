"""Landing-line acceptance: every line of a landing file is either accepted or quarantined.

Ingest brings each source into the lake with `land_source(src_dir, dest_dir, source, lake)`
(= `scan_source` + `write_accepted` + `write_quarantine`): Glue jobs then read only accepted
lines, and every rejected line lands in `<lake>/_quarantine/<source>/<file stem>.jsonl` as
{"file", "line", "raw", "reason"}. Nothing is silently dropped: per file and per source,
lines_total == len(accepted) + len(quarantined).

The parts, one module each:
- parse.py: the rules for one line and one file (what is accepted, normalised, quarantined);
- duplicates.py: duplicate customers by email (latest lastUpdateDate wins);
- source.py: a whole source folder scanned, duplicates resolved, unusable sources refused;
- zone.py: the landing zone's bytes (`accepted_files`), written by ingest, uploaded by
  `aws setup`;
- quarantine.py: the quarantine files in the lake; the ledger over them is stedi/ledger.py;
- orphans.py: readings whose user or device matches no customer.
"""

from stedi.landing.duplicates import SUPERSEDED, dedupe_customers
from stedi.landing.orphans import Orphans, orphans, orphans_in_lake
from stedi.landing.parse import (
    CONSENT_FIELD,
    EPOCH_FIELDS,
    REQUIRED,
    SOURCES,
    TRUNCATED,
    FileScan,
    QuarantinedRecord,
    Reject,
    normalize_record,
    scan_bytes,
    scan_file,
    scan_line,
    to_epoch_ms,
)
from stedi.landing.quarantine import (
    clear_quarantine,
    quarantine_counts,
    quarantine_dir,
    read_quarantine,
    write_quarantine,
)
from stedi.landing.source import SourceScan, landing_files, scan_source
from stedi.landing.zone import accepted_files, land_source, landing_folder, write_accepted

__all__ = [
    "CONSENT_FIELD",
    "EPOCH_FIELDS",
    "REQUIRED",
    "SOURCES",
    "SUPERSEDED",
    "TRUNCATED",
    "FileScan",
    "Orphans",
    "QuarantinedRecord",
    "Reject",
    "SourceScan",
    "accepted_files",
    "clear_quarantine",
    "dedupe_customers",
    "land_source",
    "landing_files",
    "landing_folder",
    "normalize_record",
    "orphans",
    "orphans_in_lake",
    "quarantine_counts",
    "quarantine_dir",
    "read_quarantine",
    "scan_bytes",
    "scan_file",
    "scan_line",
    "scan_source",
    "to_epoch_ms",
    "write_accepted",
    "write_quarantine",
]
