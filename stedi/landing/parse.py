"""Parsing one landing file: each non-blank line is accepted (as normalised JSON text) or
quarantined with the reason, so that per file

    lines_total == len(accepted) + len(quarantined)      (FileScan.check())

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
"""

from __future__ import annotations

import json
import math
import os
import re
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


class Reject(Exception):
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
            raise Reject(f"{key} is not within the bigint range: {value!r}")
        return value
    if kind is float:
        if not math.isfinite(value):
            raise Reject(f"{key} is not a finite number: {value!r}")
        return to_epoch_ms(int(value), key)
    if kind is str:
        text = value.strip()
        if _NUMERIC.fullmatch(text):
            number = float(text) if any(c in text for c in ".eE") else int(text)
            return to_epoch_ms(number, key)
        raise Reject(f"{key} is not an epoch in milliseconds: {value!r}")
    raise Reject(f"{key} is not an epoch in milliseconds: {value!r}")


def _phone(value):
    kind = type(value)
    if value is None or kind is str:
        return value
    if kind is int:
        return str(value)
    if kind is float and math.isfinite(value) and value.is_integer():
        return str(int(value))
    raise Reject(f"phone is neither a string nor a whole number: {value!r}")


def normalize_record(record, source: str) -> tuple[dict, bool]:
    """(record, changed): the accepted form of one parsed line, or Reject with the reason."""
    if not isinstance(record, dict):
        raise Reject(f"not a JSON object (got {_json_kind(record)})")
    changed = False
    if source == "accelerometer" and "timestamp" not in record and "timeStamp" in record:
        record = {("timestamp" if k == "timeStamp" else k): v for k, v in record.items()}
        changed = True
    for key in REQUIRED[source]:
        value = record.get(key)
        if value is None or value == "":
            state = "missing" if key not in record else f"{json.dumps(value)}"
            raise Reject(f"required key {key} is {state}")
    for key in REQUIRED[source]:
        if key not in EPOCH_FIELDS[source] and not isinstance(record[key], str):
            raise Reject(f"required key {key} is not a string: {record[key]!r}")
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
    """The accepted JSON text of one raw line, or Reject with why it is quarantined."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Reject(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    text = text.strip()
    if text.endswith(","):
        text = text[:-1].rstrip()
    try:
        record = _decoder.decode(text)
    except ValueError as exc:
        if last and text.startswith("{") and not text.endswith("}"):
            raise Reject(TRUNCATED) from None
        raise Reject(f"malformed JSON: {exc}") from None
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
        add_line(scan, raw, index + 1, last=(index == last_index and not ends_with_newline))
    return scan


def add_line(scan: FileScan, raw: bytes, line_no: int, *, last: bool = False) -> None:
    """Count one raw line (without its \\n) into `scan`: blank, accepted or quarantined."""
    if not raw.strip():
        scan.blank_lines += 1
        return
    scan.lines_total += 1
    try:
        text = scan_line(raw, source=scan.source, last=last)
    except Reject as reject:
        shown = raw.decode("utf-8", errors="backslashreplace").rstrip("\r")
        scan.quarantined.append(QuarantinedRecord(scan.file, line_no, shown, str(reject)))
        return
    scan.accepted.append(text)
    scan.accepted_line_nos.append(line_no)


def scan_file(path: str | os.PathLike, source: str) -> FileScan:
    """Scan one landing file; `file` in the result is the file name."""
    path = Path(path)
    return scan_bytes(path.read_bytes(), path.name, source)
