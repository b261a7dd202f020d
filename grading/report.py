"""The grade's report: report.json (shape in docs/grade.md), report.md, the terminal table,
and one count screenshot per rubric table (validation.render, like validation's).

No data rows anywhere: counts, names, locations and check results only. Rows of a privacy
violation appear (as `examples`) only when the grade ran with --rows.
"""

from __future__ import annotations

import json
from pathlib import Path

from stedi.tables import TABLE_NAMES

PASSED, FAILED = "passed", "failed"


def table_status(rows, expected, strict) -> str:
    if rows is None:
        return "missing"
    if expected is not None and rows == expected:
        return "ok"
    if strict is not None and rows == strict:
        return "strict"
    return "differs" if expected is not None else "no expectation"


def matched_profile(tables: dict) -> str | None:
    for profile, key in (("rubric", "expected"), ("strict", "expected_strict")):
        wanted = [t[key] for t in tables.values()]
        if all(w is not None for w in wanted) and all(t["rows"] == t[key] for t in tables.values()):
            return profile
    return None


def build(*, project, data, dataset, lake, plan, runs, found, counts, expected, strict,
          catalog, skipped_ddl, privacy, graphs, shots) -> dict:  # fmt: skip
    tables = {}
    for name in TABLE_NAMES:
        entry = found.get(name)
        rows, want, want_strict = counts.get(name), expected.get(name), strict.get(name)
        tables[name] = {
            "rows": rows,
            "expected": want,
            "expected_strict": want_strict,
            "status": table_status(rows, want, want_strict),
            "location": entry.location if entry else None,
            "database": entry.database if entry else None,
            "catalog_table": entry.table if entry else None,
            "produced_by": entry.produced_by if entry else None,
            "found_by": entry.how if entry else None,
            "format": entry.format if entry else None,
        }
    profile = matched_profile(tables)
    jobs_ok = all(r.status == "SUCCEEDED" for r in runs)
    status = PASSED if jobs_ok and profile and privacy["status"] == PASSED else FAILED
    return {
        "status": status,
        "counts_match": profile,
        "project": str(project),
        "data": {"path": str(data), "dataset": dataset},
        "lake": str(lake.root),
        "database": plan.database,
        "jobs": [r.to_dict() for r in runs],
        "not_run": plan.not_run,
        "landing": [
            {"location": x.location, "source": x.source, "tables": x.tables} for x in plan.landing
        ],
        "tables": tables,
        "catalog": catalog,
        "ddl_skipped": [{"file": str(s.file), "reason": s.reason} for s in skipped_ddl],
        "privacy": privacy,
        "graphs": [str(g) for g in graphs],
        "screenshots": [str(s) for s in shots],
    }


def _n(value) -> str:
    return "-" if value is None else f"{value:,}"


def terminal(report: dict) -> str:
    lines = [f"grade: {report['status'].upper()}  ({report['project']})"]
    if report.get("isolation"):
        lines.append(report["isolation"]["summary"])
    for path in report.get("tampered", []):
        lines.append(f"the landing data changed while the jobs ran: {path}")
    for path in report.get("lake_removed", []):
        lines.append(f"removed from the lake before reading (planted by a job): {path}")
    lines += ["", "jobs"]
    for job in report["jobs"]:
        where = f" line {job['line']}" if job.get("line") else ""
        lines.append(f"  {job['status']:<9} {job['seconds']:>6.1f}s  {job['script']}")
        if job["error"]:
            lines.append(f"            {where.strip() + ': ' if where else ''}{job['error']}")
    for script in report["not_run"]:
        lines.append(f"  {'NOT RUN':<9} {'':>7}  {script} (not in --order)")
    lines += ["", f"  {'table':<26} {'rows':>9} {'rubric':>9} {'strict':>9}  status"]
    for name, t in report["tables"].items():
        lines.append(
            f"  {name:<26} {_n(t['rows']):>9} {_n(t['expected']):>9} "
            f"{_n(t['expected_strict']):>9}  {t['status']}"
        )
    match = report["counts_match"]
    lines.append(f"  counts match: {match or 'neither the rubric nor the strict counts'}")
    p = report["privacy"]
    leaked = [o for o in p["non_consenting_rows"] if o["rows"]]
    lines += ["", f"privacy: {p['status']}"]
    for o in leaked:
        lines.append(f"  {o['table']}: {o['rows']:,} rows of non-consenting customers")
    lines.append(f"  readings before consent (shown): {_n(p['readings_before_consent']['rows'])}")
    lines.append(f"  cross-customer pairs in ML (shown): {_n(p['cross_customer_pairs']['rows'])}")
    ids = p["identifier_columns"]
    lines.append(f"  identifier columns in ML (shown): {', '.join(ids) if ids else 'none'}")
    for c in report["catalog"]:
        if c["how"] != "ddl":
            lines.append(f"  table {c['table']}: {c['how']}")
    for s in report["ddl_skipped"]:
        lines.append(f"  DDL skipped: {s['file']}: {s['reason']}")
    return "\n".join(lines)


def markdown(report: dict) -> str:
    out = [f"# Grade: {report['status']}", "", f"Project: `{report['project']}`  ",
           f"Data: `{report['data']['path']}` ({report['data']['dataset']})  ",
           f"{report['isolation']['summary'] if report.get('isolation') else ''}", "",
           "## Jobs", "", "| script | status | seconds | error |", "|---|---|---|---|"]  # fmt: skip
    for j in report["jobs"]:
        err = (f"line {j['line']}: " if j.get("line") else "") + (j["error"] or "")
        out.append(
            f"| `{j['script']}` | {j['status']} | {j['seconds']} | {err.replace('|', '/')} |"
        )
    out += ["", "## Tables", "", "| table | rows | rubric | strict | status | location | by |",
            "|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, t in report["tables"].items():
        out.append(
            f"| {name} | {_n(t['rows'])} | {_n(t['expected'])} | {_n(t['expected_strict'])} | "
            f"{t['status']} | `{t['location'] or '-'}` | {t['produced_by'] or t['found_by'] or '-'} |"
        )
    out += ["", "## Privacy", "", "```", json.dumps(report["privacy"], indent=2), "```", ""]
    out += ["## Catalog", ""] + [f"- `{c['table']}`: {c['how']}" for c in report["catalog"]]
    out += ["", "## Graphs", ""] + [f"![{Path(g).stem}]({Path(g).name})" for g in report["graphs"]]
    return "\n".join(out) + "\n"


def write(report: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (folder / "report.md").write_text(markdown(report))


def count_screenshots(report: dict, folder: Path, dataset: str | None, pool=None) -> list[Path]:
    """The count image (and its JSON sidecar) of every table found; with `pool` (an
    executor) half of them are drawn there while this process draws the rest."""
    import duckdb

    from validation.render import QueryShot

    shots = []
    for name, t in report["tables"].items():
        if t["rows"] is None:
            continue
        shot = QueryShot(
            name=f"count_{name}",
            title=f"{name}: rows",
            sql=f"SELECT count(*) FROM {t['database'] or report['database']}.{name}\n"
            f"-- files at {t['location']}",
            columns=["count"],
            rows=[[t["rows"]]],
            engine="local",
            engine_detail=f"DuckDB {duckdb.__version__} over the files of the grade's lake",
            database=t["database"] or report["database"],
            profile=report["counts_match"] or "rubric",
            dataset=dataset,
            note=f"rubric expects {_n(t['expected'])}",
        )
        shots.append((shot, folder / f"count_{name}.png"))
    there = shots[::2] if pool is not None else []
    here = shots[1::2] if pool is not None else shots
    drawing = [pool.submit(draw_shot, shot, path) for shot, path in there]
    for shot, path in here:
        draw_shot(shot, path)
    for (shot, path), done in zip(there, drawing, strict=True):
        try:
            done.result()
        except Exception:  # noqa: BLE001 - a broken drawing process: draw it here
            draw_shot(shot, path)
    return [path for _, path in shots]


def draw_shot(shot, path: Path) -> Path:
    """One count image and its sidecar (a module-level function: it runs in the pool too)."""
    from validation.render import render_png, write_sidecar

    render_png(shot, path)
    write_sidecar(shot, path.with_suffix(".json"))
    return path
