"""A failed job's error the way Glue summarises it: the script line and the cause first.

Glue's JobRun.ErrorMessage reads `Error Category: QUERY_ERROR; Failed Line Number: 16;
Spark Error Class: ...; AnalysisException: ...`, and the full trace goes to CloudWatch
(/aws-glue/jobs/error). Here the short form is `at <script>:<line>: <cause>`, the cause is
the exception's first line (Spark's `[ERROR_CLASS] message. Did you mean ...?`, without the
logical plan Spark appends), and the full trace goes to a log file in the lake.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

_PYTHON_WORKER = "An exception was thrown from the Python worker"


@dataclass
class JobError:
    cause: str  # one line
    line: int | None  # line in the script, when the error came through it
    error_class: str | None  # Spark's error class, e.g. UNRESOLVED_COLUMN.WITH_SUGGESTION
    trace: str  # the full traceback

    def where(self, script: str | Path) -> str:
        name = Path(script).name
        return f"{name}:{self.line}" if self.line else name

    def glue_summary(self) -> str:
        """The ErrorMessage form Glue 4/5 gives a failed run."""
        category = "QUERY_ERROR" if "AnalysisException" in self.cause else "UNCLASSIFIED_ERROR"
        parts = [f"Error Category: {category}"]
        if self.line:
            parts.append(f"Failed Line Number: {self.line}")
        if self.error_class:
            parts.append(f"Spark Error Class: {self.error_class}")
        return "; ".join([*parts, self.cause])


def _script_line(exc: BaseException, script: Path) -> int | None:
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename) == script:
        return exc.lineno
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename) == script:
            line = frame.lineno
    return line


def _error_class(exc: BaseException) -> str | None:
    getter = getattr(exc, "getErrorClass", None)
    try:
        return getter() if getter else None
    except Exception:  # noqa: BLE001 - a Py4J error without a JVM behind it
        return None


def _java_root_cause(exc: BaseException) -> str | None:
    java = getattr(exc, "java_exception", None)
    if java is None:
        return None
    try:
        while java.getCause() is not None:
            java = java.getCause()
        return str(java.toString())
    except Exception:  # noqa: BLE001
        return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, SyntaxError):
        return exc.msg or text
    root = _java_root_cause(exc)
    if root:
        text = root
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return ""
    if _PYTHON_WORKER in lines[0] or lines[0].startswith("Traceback"):
        return lines[-1]  # the worker's own exception line ends its traceback
    return lines[0].rstrip(";")


def describe(exc: BaseException, script: str | Path) -> JobError:
    script = Path(script).resolve()
    first = _first_line(exc)
    name = type(exc).__name__
    cause = f"{name}: {first}" if first and not first.startswith(name) else first or name
    return JobError(
        cause=cause,
        line=_script_line(exc, script),
        error_class=_error_class(exc),
        trace="".join(traceback.format_exception(exc)),
    )


def write_log(log_dir: Path, job: str, run_id: str, script: str | Path, error: JobError) -> Path:
    """The full trace, as Glue sends it to CloudWatch's /aws-glue/jobs/error log group."""
    path = log_dir / "aws-glue" / "jobs" / "error" / job / f"{run_id}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"job {job} run {run_id} failed: {script}\n{error.glue_summary()}\n\n{error.trace}"
    )
    return path
