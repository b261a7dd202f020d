"""Landing-line acceptance: every line of a landing file is either accepted or quarantined.

Ingest brings each source into the lake with `land_source(src_dir, dest_dir, source, lake)`
(= `scan_source` + `write_accepted` + `write_quarantine`): Glue jobs then read only accepted
lines, and every rejected line lands in `<lake>/_quarantine/<source>/<file stem>.jsonl` as
{"file", "line", "raw", "reason"}; `quarantine_counts(lake)` sums them for validation.
Nothing is silently dropped: per file and per source,

    lines_total == len(accepted) + len(quarantined)      (FileScan/SourceScan.check())

where a line is a non-blank line (blank lines are not records: Spark's JSON reader skips
them too; they are counted in `blank_lines`).

What is accepted, normalised or quarantined (the reason is the quarantine `reason`):
- malformed JSON -> quarantined ("malformed JSON: ..."); an unterminated last line of a file
  is reported as "truncated last line".
- a trailing comma after a record (`{...},`, pasted from a JSON array) -> accepted, comma stripped.
- an empty file -> 0 lines, fine.
- bytes that are not UTF-8 -> that line is quarantined; the raw text keeps the bad bytes as
  \\xNN escapes. A UTF-8 BOM and CRLF line ends are tolerated.
- a JSON value that is not an object (`[1]`, `"x"`, `42`, `null`) -> quarantined.
- a required key missing, null or "" (customer: email; accelerometer: user, timestamp;
  step_trainer: serialNumber, sensorReadingTime) -> quarantined. The legacy accelerometer
  spelling `timeStamp` is renamed to `timestamp` when `timestamp` is absent.
- unknown extra fields -> accepted and kept (landing is raw; the crawler sees them).
- type drift across files: a phone stored as a number becomes its digit string; an epoch
  stored as an int, an integral float (1655564376361.0) or a numeric string becomes integer
  epoch milliseconds (a fractional float is truncated to the millisecond); a non-numeric or
  boolean epoch -> quarantined.
- consent: an explicit null and an absent shareWithResearchAsOfDate both mean "no consent" and
  are kept exactly as they came, so the jobs meet the same null/absent mix as on S3 and the Glue
  Filter quirk stays observable. A consent date of 0 also means "no consent": it is kept raw
  (the rubric jobs test only for non-null and let it through; the strict profile requires a
  positive date and excludes it).

Duplicate customers (same `email`, compared exactly as the jobs join on it): one record wins,
the rest are quarantined with reason "superseded by a later record of the same email".
The winner has the latest lastUpdateDate; ties go to the latest registrationDate, then to
the record seen last (files in name order, lines in file order). A missing date counts as
older than any date. Latest-wins is the privacy-safe rule: a customer who withdrew consent
in a later record is not resurrected by an older consenting one.

Orphans (accelerometer users or step trainer serials with no customer) are accepted: landing
is raw and the trusted jobs drop them by joining. `orphans()` reports them for validation.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from localglue.errors import LakehouseError

SOURCES = ("customer", "accelerometer", "step_trainer")

REQUIRED: dict[str, tuple[str, ...]] = {
    "customer": ("email",),
    "accelerometer": ("user", "timestamp"),
    "step_trainer": ("serialNumber", "sensorReadingTime"),
}

EPOCH_FIELDS: dict[str, tuple[str, ...]] = {
    "customer": (
        "registrationDate",
        "lastUpdateDate",
        "shareWithResearchAsOfDate",
        "shareWithPublicAsOfDate",
        "shareWithFriendsAsOfDate",
    ),
    "accelerometer": ("timestamp",),
    "step_trainer": ("sensorReadingTime",),
}

CONSENT_FIELD = "shareWithResearchAsOfDate"
SUPERSEDED = "superseded by a later record of the same email"
TRUNCATED = "truncated last line (the file ends inside a record)"

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1  # the DDL's bigint
_NUMERIC = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class QuarantinedRecord:
    file: str
    line_no: int
    raw: str
    reason: str

    def to_json(self) -> str:
        return json.dumps(
            {"file": self.file, "line": self.line_no, "raw": self.raw, "reason": self.reason},
            ensure_ascii=False,
        )


@dataclass
class FileScan:
    """One landing file: accepted lines (normalised JSON) and quarantined ones."""

    file: str
    source: str
    accepted: list[str] = field(default_factory=list)
    accepted_line_nos: list[int] = field(default_factory=list)
    quarantined: list[QuarantinedRecord] = field(default_factory=list)
    lines_total: int = 0
    blank_lines: int = 0

    @property
    def accepted_count(self) -> int:
        return len(self.accepted)

    def check(self) -> None:
        """The invariant: every non-blank line is accounted for exactly once."""
        if self.lines_total != len(self.accepted) + len(self.quarantined):
            raise AssertionError(
                f"{self.file}: {self.lines_total} lines != {len(self.accepted)} accepted"
                f" + {len(self.quarantined)} quarantined"
            )
        if len(self.accepted) != len(self.accepted_line_nos):
            raise AssertionError(f"{self.file}: accepted lines and line numbers differ")


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


class _Reject(Exception):
    """A line is quarantined with this reason."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


_decoder = json.JSONDecoder(parse_constant=_reject_constant)


def to_epoch_ms(value, key: str):
    """int epoch ms from int / integral float / numeric string; None stays None."""
    kind = type(value)
    if value is None:
        return value
    if kind is int:
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise _Reject(f"{key} is not within the bigint range: {value!r}")
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _Reject(f"{key} is not a finite number: {value!r}")
        return to_epoch_ms(int(value), key)
    if kind is str:
        text = value.strip()
        if _NUMERIC.fullmatch(text):
            number = float(text) if any(c in text for c in ".eE") else int(text)
            return to_epoch_ms(number, key)
        raise _Reject(f"{key} is not an epoch in milliseconds: {value!r}")
    raise _Reject(f"{key} is not an epoch in milliseconds: {value!r}")


def _phone(value):
    kind = type(value)
    if value is None or kind is str:
        return value
    if kind is int:
        return str(value)
    if kind is float and math.isfinite(value) and value.is_integer():
        return str(int(value))
    raise _Reject(f"phone is neither a string nor a whole number: {value!r}")


def normalize_record(record, source: str) -> tuple[dict, bool]:
    """(record, changed): the accepted form of one parsed line, or _Reject with the reason."""
    if not isinstance(record, dict):
        raise _Reject(f"not a JSON object (got {_json_kind(record)})")
    changed = False
    if source == "accelerometer" and "timestamp" not in record and "timeStamp" in record:
        record = {("timestamp" if k == "timeStamp" else k): v for k, v in record.items()}
        changed = True
    for key in REQUIRED[source]:
        value = record.get(key)
        if value is None or value == "":
            state = "missing" if key not in record else f"{json.dumps(value)}"
            raise _Reject(f"required key {key} is {state}")
    for key in REQUIRED[source]:
        if key not in EPOCH_FIELDS[source] and not isinstance(record[key], str):
            raise _Reject(f"required key {key} is not a string: {record[key]!r}")
    for key in EPOCH_FIELDS[source]:
        if key in record:
            value = record[key]
            new = to_epoch_ms(value, key)
            if new is not value:
                record[key] = new
                changed = True
    if source == "customer" and "phone" in record:
        new = _phone(record["phone"])
        if new is not record["phone"]:
            record["phone"] = new
            changed = True
    return record, changed


def _json_kind(value) -> str:
    if value is None:
        return "null"
    return {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), type(value).__name__
    )


def scan_line(raw: bytes, source: str, *, last: bool = False) -> str:
    """The accepted JSON text of one raw line, or _Reject with why it is quarantined."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Reject(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    text = text.strip()
    if text.endswith(","):
        text = text[:-1].rstrip()
    try:
        record = _decoder.decode(text)
    except ValueError as exc:
        if last and text.startswith("{") and not text.endswith("}"):
            raise _Reject(TRUNCATED) from None
        raise _Reject(f"malformed JSON: {exc}") from None
    record, changed = normalize_record(record, source)
    if changed:
        return json.dumps(record, ensure_ascii=False)
    return text


def scan_bytes(data: bytes, file: str, source: str) -> FileScan:
    """Scan the content of one landing file (see the module docstring for the rules)."""
    if source not in REQUIRED:
        raise LakehouseError(f"unknown landing source {source!r}; expected one of {SOURCES}")
    scan = FileScan(file=file, source=source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    ends_with_newline = lines[-1] == b""
    if ends_with_newline:
        lines.pop()
    last_index = len(lines) - 1
    for index, raw in enumerate(lines):
        if not raw.strip():
            scan.blank_lines += 1
            continue
        scan.lines_total += 1
        line_no = index + 1
        try:
            text = scan_line(raw, source, last=(index == last_index and not ends_with_newline))
        except _Reject as reject:
            shown = raw.decode("utf-8", errors="backslashreplace").rstrip("\r")
            scan.quarantined.append(QuarantinedRecord(file, line_no, shown, str(reject)))
            continue
        scan.accepted.append(text)
        scan.accepted_line_nos.append(line_no)
    return scan


def scan_file(path: str | os.PathLike, source: str) -> FileScan:
    """Scan one landing file; `file` in the result is the file name."""
    path = Path(path)
    return scan_bytes(path.read_bytes(), path.name, source)


def landing_files(folder: str | os.PathLike) -> list[Path]:
    """Files of a landing folder, recursively as Glue's `recurse: True` reads them, skipping
    hidden and `_`-prefixed names (Spark's own rule), in path order."""
    folder = Path(folder)
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


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
    result.files = [scan_file(p, source) for p in landing_files(folder)]
    if source == "customer":
        _dedupe_scans(result.files)
    result.check()
    if result.accepted_count == 0:
        reasons = sorted({q.reason for q in result.quarantined})
        detail = f"; first reason: {reasons[0]}" if reasons else ""
        raise LakehouseError(
            f"{source} landing {folder} has no valid rows "
            f"({len(result.files)} files, {result.lines_total} lines, all quarantined{detail}); "
            f"fix the files or see the rules in stedi/landing.py"
        )
    return result


# -- duplicate customers -------------------------------------------------------------


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


def _dedupe_scans(scans: list[FileScan]) -> None:
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


# -- quarantine in the lake ----------------------------------------------------------


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


def write_accepted(scan: SourceScan, dest_dir: str | os.PathLike) -> list[Path]:
    """Write each file's accepted lines to dest_dir/<file name>; unchanged files are left alone.

    Files are replaced atomically (write to a dot-file, then rename), so a job never reads
    half a file and re-ingesting the same data rewrites nothing.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for f in scan.files:
        data = "".join(line + "\n" for line in f.accepted).encode("utf-8")
        target = dest_dir / f.file
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            continue
        tmp = dest_dir / f".{f.file}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(target)
    return written


def land_source(src_dir: str | os.PathLike, dest_dir: str | os.PathLike, source: str, lake):
    """Ingest one source: scan src_dir, write the accepted lines to dest_dir (same file
    names), replace the source's quarantine with the rejected ones. Returns the SourceScan
    (lines_total == accepted_count + len(quarantined) holds)."""
    scan = scan_source(src_dir, source)
    write_accepted(scan, dest_dir)
    clear_quarantine(lake, source)
    write_quarantine(lake, source, scan.quarantined)
    return scan


# -- orphans -------------------------------------------------------------------------


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


def landing_folder(lake, source: str, bucket: str | None = None) -> Path:
    from stedi.tables import DEFAULT_BUCKET

    return Path(lake.root) / (bucket or DEFAULT_BUCKET) / source / "landing"


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
