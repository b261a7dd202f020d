"""Find and tabulate a validation report.json (notebooks/validation_report.ipynb).

Which report: $STEDI_REPORT (a report.json, or a folder searched for the newest
report.json), else the newest report.json under the reports folder of the lake in
$STEDI_LAKE, or of the repository's lake/ (whatever folder Jupyter started in):
<lake>/../reports/<profile>/ (validation.run.default_report_dir), one level deep only, so a
grade's report (reports/grade/...) or another lake's is never taken for this lake's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.resources import project_root


def find_report(value: str | os.PathLike | None = None) -> Path:
    value = value or os.environ.get("STEDI_REPORT")
    if value:
        place, pattern = Path(value).expanduser(), "**/report.json"
    else:
        from validation.run import default_report_dir

        place = default_report_dir(Lake(os.environ.get("STEDI_LAKE") or project_root() / "lake"))
        pattern = "*/report.json"  # <profile>/report.json
    if place.is_file():
        return place
    found = sorted(place.glob(pattern), key=lambda p: p.stat().st_mtime) if place.is_dir() else []
    if not found:
        raise LakehouseError(
            f"no report.json at {place}; run `python -m validation.run` or set STEDI_REPORT"
        )
    return found[-1]


def load_report(value: str | os.PathLike | None = None) -> tuple[Path, dict]:
    path = find_report(value)
    return path, json.loads(path.read_text())


def tables_frame(report: dict):
    """One row per table: zone, rows expected/actual, checks passed/failed, status."""
    import pandas as pd

    rows = [
        {
            "zone": t["zone"],
            "table": t["table"],
            "expected_rows": t["expected_rows"],
            "actual_rows": t["actual_rows"],
            "count": t["count_check"]["status"],
            "checks_passed": t["expectations"]["passed"],
            "checks_failed": t["expectations"]["failed"],
            "status": t["status"],
        }
        for t in report["tables"]
    ]
    return pd.DataFrame(rows)


def failures_frame(report: dict):
    """One row per failed check, critical first, with what was observed and a sample."""
    import pandas as pd

    rows = [
        {
            "table": t["table"],
            "check": f["name"],
            "severity": f["severity"],
            "observed": f.get("observed"),
            "unexpected_count": f.get("unexpected_count"),
            "sample": json.dumps(f.get("sample") or [])[:200],
            "description": f.get("description"),
            "error": f.get("error"),
        }
        for t in report["tables"]
        for f in t["failures"]
    ]
    columns = [
        "table",
        "check",
        "severity",
        "observed",
        "unexpected_count",
        "sample",
        "description",
        "error",
    ]
    df = pd.DataFrame(rows, columns=columns, dtype=object)  # keep counts as ints beside NULLs
    order = {"critical": 0, "warning": 1}
    return df.sort_values(
        "severity", key=lambda s: s.map(order).fillna(2), kind="stable"
    ).reset_index(drop=True)
