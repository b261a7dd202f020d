"""The run's report: report.json (machine-readable), report.md (for a submission), a terminal table.

report.json schema (schema_version 1; keys are stable, new keys may be added):
{
  "schema_version": 1,
  "generated_at": "2026-01-01T00:00:00+00:00",      # UTC
  "lake": "/abs/lake", "engine": "local|athena", "profile": "rubric|strict",
  "dataset": "stedi-udacity" | null,
  "expected_counts_source": "<file>[<dataset>][<profile>]" | null,
  "status": "passed" | "failed",                     # failed <=> some critical check failed
  "exit_code": 0 | 1,
  "max_severity_failure": "critical" | "warning" | null,
  "summary": {"tables": 8, "critical_failures": 0, "warnings": 2,
              "count_mismatches": 0, "counts_without_expectation": 0,
              "privacy_warnings": 2},                  # rubric profile only
  "data_docs": "/abs/reports/data_docs/index.html" | null,   # with --data-docs
  "gx": {"checked": true, "agrees": true, "disagreements": []},  # with --data-docs: GX ran
                                                 # the suites too; a check it alone fails fails
  "privacy": {"severity": "warning", "shared_devices": 0, "warnings": 2,      # rubric profile only
              "description": "...",                    # rows strict removes, by reason
              "tables": [{"table": "accelerometer_trusted", "rows": 8956,
                          "reasons": {"reading before consent": 8956}}, ...]},
  "quarantine": {"check": "landing.lines_accounted_for", "severity": "critical",   # local lakes
                 "status": "passed" | "failed" | "not recorded", "message": "...",
                 "quarantined": {"customer": 0, ...}, "sources": [...]},  # stedi/ledger.py
  "timings": {"engine_s": 0.3, "counts_s": 0.01, "sql_checks_s": 0.4, "total_s": 1.0,
              "gx_import_s": 3.5, "gx_setup_s": 0.3, "gx_validate_s": 2.5,
              "data_docs_s": 0.9},                 # seconds, this run; gx_* with --data-docs
  "tables": [{
     "zone": "trusted", "table": "customer_trusted",
     "suite": "customer_trusted.rubric", "suite_files": ["expectations/trusted/customer_trusted.json"],
     "expected_rows": 482 | null, "actual_rows": 482,
     "count_check": {"name": "count.expected_rows", "sql": "SELECT COUNT(*) ...",
                     "status": "passed|failed|no expectation", "severity": "critical"},
     "expectations": {"evaluated": 9, "passed": 9, "failed": 0},
     "status": "passed" | "warning" | "failed",
     "max_severity_failure": "critical" | "warning" | null,   # GX get_max_severity_failure(), or
                                                               # critical when the count check failed
     "failures": [{"name": "privacy.only_consenting_customers", "type": "unexpected_rows_expectation",
                   "severity": "critical", "description": "...", "observed": 1 | [...] | null,
                   "unexpected_count": 1 | null, "sample": [ {...row...} | value, ... ],
                   "error": "first line of the exception" | null}]
  }]
}
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from pathlib import Path

SCHEMA_VERSION = 1
SAMPLE_ROWS = 3


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID | bytes):
        return str(value)
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    return str(value)


def _exception_message(info) -> str | None:
    """GX puts exceptions either at the top level or per metric; return the first message."""
    if not info:
        return None
    if isinstance(info, dict):
        if info.get("raised_exception") and info.get("exception_message"):
            return str(info["exception_message"]).splitlines()[0]
        for value in info.values():
            msg = _exception_message(value) if isinstance(value, dict) else None
            if msg:
                return msg
    return None


def failure_entry(result) -> dict:
    """One failed GX expectation as a report entry."""
    cfg = result.expectation_config
    res = result.result or {}
    details = res.get("details") or {}
    sample = (
        details.get("unexpected_rows")
        or res.get("partial_unexpected_list")
        or ([details["mismatched"]] if details.get("mismatched") else [])
    )
    severity = getattr(cfg.severity, "value", cfg.severity)
    return {
        "name": (cfg.meta or {}).get("name", cfg.type),
        "type": cfg.type,
        "severity": str(severity),
        "description": cfg.description,
        "observed": jsonable(res.get("observed_value")),
        "unexpected_count": res.get("unexpected_count"),
        "sample": jsonable(list(sample)[:SAMPLE_ROWS]),
        "error": _exception_message(result.exception_info),
        "kwargs": jsonable({k: v for k, v in cfg.kwargs.items() if k not in ("batch_id",)}),
    }


def gx_outcome(result):
    """One GX expectation result as an Outcome (validation/sql_suites.py), the shape both
    paths report in."""
    from validation.sql_suites import Outcome

    return Outcome(**failure_entry(result), success=bool(result.success))


SEVERITY_ORDER = ("critical", "warning", "info")


def max_severity(outcomes) -> str | None:
    """The highest severity of a failed check (GX's get_max_severity_failure), never
    ValidationResult.success, which ignores severity."""
    failed = {o.severity for o in outcomes if not o.success}
    return next((s for s in SEVERITY_ORDER if s in failed), None)


def table_entry(zone, suite, count, outcomes, repo: Path) -> dict:
    """A table's report entry: its count check and its suite's outcomes (either path)."""
    failures = [jsonable(o.failure()) for o in outcomes if not o.success]
    evaluated = len(outcomes)
    if count.status == "failed":
        failures.insert(
            0,
            {
                "name": count.name,
                "type": "row_count",
                "severity": count.severity,
                "description": f"{count.table} has the expected number of rows",
                "observed": count.actual,
                "unexpected_count": None,
                "sample": [],
                "error": None,
                "kwargs": {"expected": count.expected, "sql": count.sql},
            },
        )
    suite_max = max_severity(outcomes)
    critical = suite_max == "critical" or count.status == "failed"
    status = "failed" if critical else ("warning" if failures else "passed")
    files = []
    for f in suite.files:
        try:
            files.append(str(Path(f).resolve().relative_to(repo)))
        except ValueError:
            files.append(str(f))
    return {
        "zone": zone,
        "table": suite.table,
        "suite": suite.name,
        "suite_files": files,
        "expected_rows": count.expected,
        "actual_rows": count.actual,
        "count_check": {
            "name": count.name,
            "sql": count.sql,
            "status": count.status,
            "severity": count.severity,
        },
        "expectations": {
            "evaluated": evaluated,
            "passed": sum(1 for o in outcomes if o.success),
            "failed": sum(1 for o in outcomes if not o.success),
        },
        "status": status,
        "max_severity_failure": "critical" if critical else suite_max,
        "failures": failures,
    }


def build_report(*, lake, engine, profile, counts, tables: list[dict], data_docs) -> dict:
    critical = sum(1 for t in tables for f in t["failures"] if f["severity"] == "critical")
    warnings = sum(1 for t in tables for f in t["failures"] if f["severity"] == "warning")
    levels = {t["max_severity_failure"] for t in tables}
    max_sev = next((s for s in ("critical", "warning", "info") if s in levels), None)
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "lake": str(lake.root),
        "engine": engine,
        "profile": profile,
        "dataset": counts.dataset,
        "expected_counts_source": counts.source,
        "status": "failed" if max_sev == "critical" else "passed",
        "exit_code": 1 if max_sev == "critical" else 0,
        "max_severity_failure": max_sev,
        "summary": {
            "tables": len(tables),
            "critical_failures": critical,
            "warnings": warnings,
            "count_mismatches": sum(1 for t in tables if t["count_check"]["status"] == "failed"),
            "counts_without_expectation": sum(
                1 for t in tables if t["count_check"]["status"] == "no expectation"
            ),
        },
        "data_docs": str(data_docs) if data_docs else None,
        "tables": tables,
    }


def find_failure(report: dict, check: str) -> dict:
    """The failure entry of '<table>:<check>' (StopIteration when it did not fail)."""
    table, name = check.split(":")
    return next(
        f
        for t in report["tables"]
        if t["table"] == table
        for f in t["failures"]
        if f["name"] == name
    )


def failed_check_names(report: dict) -> set[str]:
    """'<table>:<check>' for every failure of any severity (what tests and callers look for)."""
    return {f"{t['table']}:{f['name']}" for t in report["tables"] for f in t["failures"]}


def _fmt_rows(n) -> str:
    return "-" if n is None else f"{n:,}"


def _short(value, width=90) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def disagreement_lines(report: dict) -> list[str]:
    """Checks GX and the SQL checks judged differently (--data-docs); none is expected."""
    gx = report.get("gx") or {}
    return [f"GX and the SQL checks disagree: {d}" for d in gx.get("disagreements", [])]


def write_markdown(report: dict, path: Path) -> None:
    lines = [
        f"# STEDI validation report ({report['profile']} profile)",
        "",
        f"- Status: **{report['status'].upper()}** (exit {report['exit_code']})",
        f"- Lake: `{report['lake']}`; engine: {report['engine']}; dataset: {report['dataset'] or 'unknown'}",
        f"- Expected counts from: {report['expected_counts_source'] or 'none (count checks report no expectation)'}",
        f"- Generated: {report['generated_at']}",
        "",
        "| zone | table | expected rows | actual rows | count | expectations passed | failed | status |",
        "|---|---|---:|---:|---|---:|---:|---|",
    ]
    for t in report["tables"]:
        e = t["expectations"]
        lines.append(
            f"| {t['zone']} | {t['table']} | {_fmt_rows(t['expected_rows'])} | {_fmt_rows(t['actual_rows'])} "
            f"| {t['count_check']['status']} | {e['passed']}/{e['evaluated']} | {e['failed']} | {t['status']} |"
        )
    failing = [(t, f) for t in report["tables"] for f in t["failures"]]
    if failing:
        lines += ["", "## Failing checks", ""]
        for t, f in failing:
            lines.append(
                f"- **{t['table']}** `{f['name']}` ({f['severity']}): {f['description'] or f['type']}"
            )
            if f["error"]:
                lines.append(f"  - error: `{_short(f['error'], 200)}`")
            if f["observed"] is not None and f["type"] != "row_count":
                lines.append(f"  - observed: `{_short(f['observed'], 200)}`")
            if f["type"] == "row_count":
                lines.append(f"  - expected {f['kwargs']['expected']}, found {f['observed']}")
            for s in f["sample"]:
                lines.append(f"  - sample: `{_short(s, 200)}`")
    if report.get("privacy"):
        from validation.privacy import lines as privacy_lines

        lines += [
            "",
            "## Privacy: what the rubric lets through and strict would not (warnings)",
            "",
        ]
        lines += [f"- {line}" for line in privacy_lines(report["privacy"])]
    if report.get("quarantine"):
        q = report["quarantine"]
        counts = ", ".join(f"{s} {n}" for s, n in q["quarantined"].items())
        lines += [
            "",
            f"Quarantined landing records: {counts or 'none'} ({q['status']}: {q['message']})",
        ]
    lines += [f"- {line}" for line in disagreement_lines(report)]
    if report["data_docs"]:
        lines += ["", f"GX Data Docs: `{report['data_docs']}`"]
    path.write_text("\n".join(lines) + "\n")


def write_json(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")


def print_table(report: dict, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or captured: do not wrap check names at 80 columns
            console = Console(width=200)
    table = Table(title=f"STEDI validation — {report['profile']} profile ({report['engine']})")
    for col, just in [
        ("zone", "left"),
        ("table", "left"),
        ("expected rows", "right"),
        ("actual rows", "right"),
        ("suites passed", "right"),
        ("failed", "right"),
        ("failing checks (sample)", "left"),
    ]:
        table.add_column(col, justify=just)
    colors = {"passed": "green", "warning": "yellow", "failed": "red"}
    for t in report["tables"]:
        e = t["expectations"]
        actual = _fmt_rows(t["actual_rows"])
        if t["count_check"]["status"] == "failed":
            actual = f"[red]{actual}[/red]"
        elif t["count_check"]["status"] == "no expectation":
            actual = f"{actual} [dim](no expectation)[/dim]"
        notes = []
        for f in t["failures"]:
            mark = "red" if f["severity"] == "critical" else "yellow"
            note = f"[{mark}]{f['name']}[/{mark}]"
            if f["sample"]:
                note += f" e.g. {_short(f['sample'][0], 70)}"
            elif f["error"]:
                note += f" ({_short(f['error'], 70)})"
            notes.append(note)
        table.add_row(
            t["zone"],
            f"[{colors[t['status']]}]{t['table']}[/{colors[t['status']]}]",
            _fmt_rows(t["expected_rows"]),
            actual,
            f"{e['passed']}/{e['evaluated']}",
            str(e["failed"] + (1 if t["count_check"]["status"] == "failed" else 0)),
            "\n".join(notes) or "",
        )
    console.print(table)
    if report.get("privacy"):
        from validation.privacy import lines as privacy_lines

        console.print("privacy (warnings): what the rubric lets through and strict would not")
        for line in privacy_lines(report["privacy"]):
            console.print(f"  [yellow]{line}[/yellow]")
    if report.get("quarantine"):
        q = report["quarantine"]
        counts = ", ".join(f"{s} {n}" for s, n in q["quarantined"].items())
        mark = {"passed": "green", "failed": "red"}.get(q["status"], "yellow")
        console.print(
            f"quarantined landing records: {counts or 'none'} "
            f"([{mark}]{q['check']} {q['status']}[/{mark}]: {q['message']})"
        )
    for line in disagreement_lines(report):
        console.print(f"[red]{line}[/red]")
    verdict = "[green]PASSED[/green]" if report["status"] == "passed" else "[red]FAILED[/red]"
    s = report["summary"]
    console.print(
        f"{verdict}: {s['critical_failures']} critical failure(s), {s['warnings']} warning(s); "
        f"expected counts: {report['expected_counts_source'] or 'none'}"
    )
