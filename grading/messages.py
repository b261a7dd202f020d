"""What crosses the wall between the grader and the learner's child, and how the grader reads it.

Grader -> child: pickled commands on a pipe of their own (the grader's objects; the child
trusts its grader). Child -> grader: one JSON object per line on another pipe. The learner's
code runs in that process and can write to that pipe too, so the grader parses every line as
data (never evaluated, never unpickled), checks it against the shapes below and cuts it to
size; a line that does not fit is skipped. A result counts only for the job the grader asked
for and with the token it sent with that job (made when the job starts, so a job cannot
write results for the jobs after it). Nothing the child says decides a count or a privacy
check: the grader reads the files itself, after the child has exited.

  {"entered": {...}}   sandbox/enter.py: the namespaces are set up (facts, for the record)
  {"ready": {"uid": 65534, "capabilities": "0000000000000000"}}   Spark is up
  {"result": {"job": 0, "token": "9f2c...", "status": "SUCCEEDED", "error": null,
              "line": null, "rows_written": {"s3://b/t/": 12}, "catalog": [["db.t", "crawled"]]}}
  {"fatal": "one line"}   the runner cannot run jobs at all (no Java, ...)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MAX_LINE = 1 << 20  # bytes; a longer line is refused
MAX_TEXT = 300
MAX_ENTRIES = 200
STATUSES = ("SUCCEEDED", "FAILED")
KINDS = ("entered", "ready", "result", "fatal")


class BadMessage(ValueError):
    """A line from the child that is not one of the messages above."""


def encode(kind: str, body) -> bytes:
    """One message as a line of its own (after a newline: bytes a job left without one end
    as a line of their own, which the grader skips, instead of spoiling this one)."""
    return ("\n" + json.dumps({kind: body}, default=str) + "\n").encode()


def decode(line: bytes) -> tuple[str, object]:
    """(kind, body) of one line, or BadMessage."""
    if len(line) > MAX_LINE:
        raise BadMessage(f"a line of {len(line)} bytes")
    try:
        message = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise BadMessage(f"not JSON: {exc}") from None
    if not isinstance(message, dict) or len(message) != 1 or next(iter(message)) not in KINDS:
        raise BadMessage("not one of " + ", ".join(KINDS))
    return next(iter(message.items()))


def one_line(error: str | None, limit: int = MAX_TEXT) -> str | None:
    """The first line of an error, at most `limit` characters."""
    if not error or not error.strip():
        return error
    first = error.strip().splitlines()[0]
    return first if len(first) <= limit else first[: limit - 3] + "..."


def _text(value, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise BadMessage(f"{what} is not text")
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _count(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise BadMessage(f"{what} is not a count")
    return value


@dataclass
class JobResult:
    """A job's result as the child tells it: believed for the job's status and error only."""

    job: int
    status: str
    error: str | None = None
    line: int | None = None
    rows_written: dict[str, int] = field(default_factory=dict)
    catalog: list[tuple[str, str]] = field(default_factory=list)


def job_result(body, expected_job: int, token: str) -> JobResult:
    """A "result" body checked field by field, for the job the grader asked for."""
    if not isinstance(body, dict):
        raise BadMessage("a result is not an object")
    if body.get("job") != expected_job or isinstance(body.get("job"), bool):
        raise BadMessage(f"a result for job {body.get('job')!r}, not {expected_job}")
    if body.get("token") != token:
        raise BadMessage("a result without the token of this run of the job")
    status = body.get("status")
    if status not in STATUSES:
        raise BadMessage(f"status {status!r}")
    error = body.get("error")
    if error is not None:
        error = (_text(error, "error").splitlines() or [""])[0]
    line = body.get("line")
    if line is not None and (_count(line, "line") == 0 or line > 10**7):
        raise BadMessage("line out of range")
    rows = body.get("rows_written") or {}
    catalog = body.get("catalog") or []
    if not isinstance(rows, dict) or len(rows) > MAX_ENTRIES:
        raise BadMessage("rows_written is not a small object")
    if not isinstance(catalog, list) or len(catalog) > MAX_ENTRIES:
        raise BadMessage("catalog is not a small list")
    pairs = []
    for entry in catalog:
        if not isinstance(entry, list) or len(entry) != 2:
            raise BadMessage("a catalog entry is not a [table, how] pair")
        pairs.append((_text(entry[0], "catalog table"), _text(entry[1], "catalog how")))
    return JobResult(
        expected_job,
        status,
        error,
        line,
        {_text(k, "target", 1000): _count(v, "rows") for k, v in rows.items()},
        pairs,
    )


def facts(body) -> dict:
    """An "entered" or "ready" body: a small object of short texts and numbers."""
    if not isinstance(body, dict) or len(body) > 20:
        raise BadMessage("facts are not a small object")
    out = {}
    for key, value in body.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise BadMessage(f"fact {key!r} is not text or a number")
        out[_text(key, "fact", 40)] = _text(value, key) if isinstance(value, str) else value
    return out
