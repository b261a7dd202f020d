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
        entry, counted = found.get(name), counts[name]
        rows, want, want_strict = counted.rows, expected.get(name), strict.get(name)
        tables[name] = {
            "rows": rows,
            "expected": want,
            "expected_strict": want_strict,
            "status": counted.status or table_status(rows, want, want_strict),
            "reason": counted.reason,
            "location": entry.location if entry else None,
            "database": entry.database if entry else None,
            "catalog_table": entry.table if entry else None,
            "produced_by": entry.produced_by if entry else None,
            "found_by": entry.how if entry else None,
            "format": entry.format if entry else None,
            "compression": entry.compression if entry else None,
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
        "notes": list(plan.notes),
        "job_args": sorted(plan.job_args),  # names only: values may hold account details
        "catalog_case": plan.catalog_case,
        "privacy": privacy,
        "graphs": [str(g) for g in graphs],
        "screenshots": [str(s) for s in shots],
    }


# How the jobs' catalog reads named fields, when not the default (--catalog-case data):
# a grade under another model says so beside its counts (localglue/catalog_case.py).
CATALOG_CASES = {"lower": "field names lower-cased, as some learners' runs on AWS show"}


def catalog_reads(report: dict) -> str | None:
    case = report.get("catalog_case", "data")
    return f"{case} ({CATALOG_CASES[case]}; --catalog-case)" if case in CATALOG_CASES else None


def num(value) -> str:
    """43681 -> "43,681"; None -> "-" (the report's and the class summary's numbers)."""
    return "-" if value is None else f"{value:,}"


# The folder the embedded sample is generated into for a grade without --data.
SAMPLE_PREFIX = "stedi-grade-sample-"

# The rules a grade applies, as a reason names them.
RULE_JOBS = "every job runs to its end"
RULE_PRIVACY = "no row of a customer without consent in a trusted or curated table"
RULE_COUNTS = "the eight counts are all the rubric's or all the strict profile's"
GOOD = ("ok", "strict")  # a table status that fails nothing


def _short(text: str, most: int = 140) -> str:
    """A cause cut for the one-line reason (the jobs table has it whole)."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _written_by(report: dict, table: str) -> str | None:
    t = report["tables"].get(table) or {}
    return t.get("produced_by")


def _table_reason(name: str, t: dict) -> str:
    """One table's failure, for any status (new ones carry a `reason`)."""
    by = f", written by `{t['produced_by']}`" if t.get("produced_by") else ""
    if t.get("reason"):
        said = f"`{name}` is {t['status']}: {t['reason']}{by}"
    elif t["status"] == "missing":
        said = f"`{name}` was not found among the outputs (no job that ran wrote it)"
    elif t["status"] == "differs":
        said = (
            f"`{name}` has {num(t['rows'])} rows where the rubric expects {num(t['expected'])} "
            f"and strict {num(t['expected_strict'])}{by}"
        )
    else:
        said = f"`{name}` is {t['status']} ({num(t['rows'])} rows){by}"
    return f"{said} (rule: {RULE_COUNTS})"


def reasons(report: dict) -> list[str]:
    """Why the grade failed, most fundamental first: failed jobs, privacy, then counts."""
    out = []
    for job in report["jobs"]:
        if job["status"] in ("SUCCEEDED", "SKIPPED"):
            continue  # a skipped job is the consequence of the failure named before it
        at = f" at line {job['line']}" if job.get("line") else ""
        error = f": {_short(job['error'])}" if job.get("error") else ""
        out.append(f"job `{job['script']}` {job['status'].lower()}{at}{error} (rule: {RULE_JOBS})")
    for o in report["privacy"]["non_consenting_rows"]:
        if o["rows"]:
            by = _written_by(report, o["table"])
            out.append(
                f"`{o['table']}` holds {o['rows']:,} rows of non-consenting customers"
                + (f", let through by `{by}`" if by else "")
                + f" (rule: {RULE_PRIVACY})"
            )
    if not report["counts_match"]:
        bad = [_table_reason(n, t) for n, t in report["tables"].items() if t["status"] not in GOOD]
        out += bad or [
            f"the counts mix the rubric's and the strict profile's (rule: {RULE_COUNTS})"
        ]
    return out


def verdict(report: dict) -> str:
    """The grade's status and its one-line reason."""
    if report["status"] == PASSED:
        return (
            f"every job ran, the counts are the {report['counts_match']} profile's, and no "
            "row of a non-consenting customer reached trusted or curated"
        )
    why = reasons(report) or ["see the sections below"]
    more = f" (and {len(why) - 1} more below)" if len(why) > 1 else ""
    return why[0] + more


def _isolation(isolation: dict) -> str:
    """The child's one-line summary; a report written without one (an older or hand-made
    report.json) shows its fields as they are rather than failing to render."""
    if "summary" in isolation:
        return isolation["summary"]
    return ", ".join(f"{k}: {v}" for k, v in isolation.items())


def terminal(report: dict) -> str:
    lines = [f"grade: {report['status'].upper()}  ({report['project']})"]
    lines.append(f"  why: {verdict(report)}".replace("`", ""))
    if report.get("isolation"):
        lines.append(_isolation(report["isolation"]))
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
        lines.append(f"  {'NOT RUN':<9} {'':>7}  {script} (see notes)")
    lines += ["", f"  {'table':<26} {'rows':>9} {'rubric':>9} {'strict':>9}  status"]
    for name, t in report["tables"].items():
        reason = f": {t['reason']}" if t.get("reason") else ""
        lines.append(
            f"  {name:<26} {num(t['rows']):>9} {num(t['expected']):>9} "
            f"{num(t['expected_strict']):>9}  {t['status']}{reason}"
        )
    for name, t in report["tables"].items():
        if t.get("reason"):
            lines.append(f"  {name}: {t['reason']}")
    match = report["counts_match"]
    lines.append(f"  counts match: {match or 'neither the rubric nor the strict counts'}")
    if catalog_reads(report):
        lines.append(f"  catalog reads: {catalog_reads(report)}")
    p = report["privacy"]
    leaked = [o for o in p["non_consenting_rows"] if o["rows"]]
    lines += ["", f"privacy: {p['status']}" + (f" ({p['reason']})" if p.get("reason") else "")]
    for o in leaked:
        by = _written_by(report, o["table"])
        lines.append(
            f"  {o['table']}: {o['rows']:,} rows of non-consenting customers"
            + (f", let through by {by}" if by else "")
        )
    lines.append(f"  readings before consent (shown): {num(p['readings_before_consent']['rows'])}")
    lines.append(f"  cross-customer pairs in ML (shown): {num(p['cross_customer_pairs']['rows'])}")
    ids = p["identifier_columns"]
    lines.append(f"  identifier columns in ML (shown): {', '.join(ids) if ids else 'none'}")
    for c in report["catalog"]:
        if c["how"] != "ddl":
            lines.append(f"  table {c['table']}: {c['how']}")
    for s in report["ddl_skipped"]:
        lines.append(f"  DDL skipped: {s['file']}: {s['reason']}")
    if report.get("notes"):
        lines += ["", "notes"] + [f"  {note}" for note in report["notes"]]
    return "\n".join(lines)


def cell(text) -> str:
    """Text safe inside a Markdown table cell: one line, no column bar."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _image(alt: str, target: str) -> str:
    """A Markdown image; a target with spaces goes in <...> (CommonMark's only way)."""
    alt = alt.replace("[", "(").replace("]", ")")
    return f"![{alt}](<{target}>)" if " " in target else f"![{alt}]({target})"


def _relative(path: str, folder: Path | None) -> str:
    """A link target relative to the report folder (report.md's own folder)."""
    p = Path(path)
    if folder is not None and p.is_absolute():
        try:
            return p.relative_to(folder.resolve()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix()


def _data(report: dict) -> str:
    path, dataset = report["data"]["path"], report["data"]["dataset"]
    if Path(path).name.startswith(SAMPLE_PREFIX):  # generated for this grade
        return f"the embedded generated sample ({dataset})"
    return f"`{path}` ({dataset})"


def _status(t: dict) -> str:
    return f"{t['status']}: {t['reason']}" if t.get("reason") else t["status"]


def markdown(report: dict, folder: Path | None = None) -> str:
    """report.md: the verdict and its reason first, then counts, privacy, jobs and images.
    Image links are relative to `folder`, where report.md is written."""
    head = report["status"].upper()
    out = [f"# Grade: {head}", "", f"**Why:** {verdict(report)}", ""]
    more = reasons(report)[1:] if report["status"] != PASSED else []
    out += [f"- {r}" for r in more] + ([""] if more else [])
    out += [f"Project: `{report['project']}`  ",
            f"Data: {_data(report)}  ",
            f"Counts match: {report['counts_match'] or 'neither the rubric nor the strict counts'}"]  # fmt: skip
    if catalog_reads(report):
        out[-1] += "  "
        out.append(f"Catalog reads: {catalog_reads(report)}")
    if report.get("isolation"):
        out[-1] += "  "
        out.append(f"Isolation: {cell(_isolation(report['isolation']))}")
    out += [f"- the landing data changed while the jobs ran: `{cell(p)}`"
            for p in report.get("tampered", [])]  # fmt: skip
    out += [f"- removed from the lake before reading (planted by a job): `{cell(p)}`"
            for p in report.get("lake_removed", [])]  # fmt: skip
    out += ["", "## Counts", "",
            "| table | rows | rubric | strict | status | written by | location |",
            "|---|--:|--:|--:|---|---|---|"]  # fmt: skip
    for name, t in report["tables"].items():
        by = f"`{t['produced_by']}`" if t.get("produced_by") else (t.get("found_by") or "-")
        out.append(
            f"| {name} | {num(t['rows'])} | {num(t['expected'])} | {num(t['expected_strict'])} | "
            f"{cell(_status(t))} | {cell(by)} | `{cell(t['location'] or '-')}` |"
        )
    out += ["", *_privacy_markdown(report), "", "## Jobs", "",
            "| script | status | seconds | error |", "|---|---|--:|---|"]  # fmt: skip
    for j in report["jobs"]:
        err = (f"line {j['line']}: " if j.get("line") else "") + (j["error"] or "")
        out.append(f"| `{cell(j['script'])}` | {j['status']} | {j['seconds']} | {cell(err)} |")
    out += [f"| `{cell(s)}` | not run (not in --order) | | |" for s in report["not_run"]]
    if report["graphs"]:
        out += ["", "## Job graphs", ""]
        for g in report["graphs"]:
            out += [_image(Path(g).stem, _relative(g, folder)), ""]
    shots = {Path(s).stem: s for s in report["screenshots"]}
    drawn = [(n, t) for n, t in report["tables"].items() if f"count_{n}" in shots]
    if drawn:
        out += ["", "## Count images", ""]
        for name, t in drawn:
            out += [
                f"**{name}**: {num(t['rows'])} rows, {cell(_status(t))} (rubric "
                f"{num(t['expected'])}, strict {num(t['expected_strict'])})",
                "",
                _image(f"{name}: {num(t['rows'])} rows", _relative(shots[f"count_{name}"], folder)),
                "",
            ]
    if report["catalog"]:
        out += ["", "## Catalog", ""]
        out += [f"- `{c['table']}`: {c['how']}" + (f" (for `{c['for']}`)" if c.get("for") else "")
                for c in report["catalog"]]  # fmt: skip
    if report["ddl_skipped"]:
        out += ["", "## DDL skipped", ""]
        out += [f"- `{Path(s['file']).name}`: {cell(s['reason'])}" for s in report["ddl_skipped"]]
    return "\n".join(out).rstrip("\n") + "\n"


def _privacy_markdown(report: dict) -> list[str]:
    p = report["privacy"]
    out = [f"## Privacy: {p['status']}", "", f"Rule: {RULE_PRIVACY}.", "",
           "| table | rows of non-consenting customers | let through by | checked by |",
           "|---|--:|---|---|"]  # fmt: skip
    for o in p["non_consenting_rows"]:
        rows = num(o["rows"]) if o["rows"] is not None else f"- ({o.get('note', 'not checked')})"
        rows = f"**{rows}**" if o["rows"] else rows
        by = _written_by(report, o["table"])
        out.append(
            f"| {o['table']} | {rows} | {f'`{cell(by)}`' if by else '-'} | "
            f"{', '.join(o.get('by') or []) or '-'} |"
        )
    ids = p["identifier_columns"]
    out += ["", "Shown, not failing (the rubric keeps them):", "",
            f"- accelerometer readings before consent: {_shown(p['readings_before_consent'])}",
            f"- cross-customer pairs in machine_learning_curated: {_shown(p['cross_customer_pairs'])}",
            f"- identifier columns in machine_learning_curated: {', '.join(ids) if ids else 'none'}"]  # fmt: skip
    examples = [o for o in p["non_consenting_rows"] if o.get("examples")]
    for o in examples:  # only with --rows: personal data, asked for
        out += ["", f"`{o['table']}`: examples of non-consenting rows (--rows)", "", "```json",
                json.dumps(o["examples"], indent=2), "```"]  # fmt: skip
    return out


def _shown(check: dict) -> str:
    return num(check["rows"]) if check.get("rows") is not None else f"- ({check.get('note')})"


def write(report: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (folder / "report.md").write_text(markdown(report, folder))


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
            note=f"{t['status'].upper()}"
            + (f" ({t['reason']})" if t.get("reason") else "")
            + f": rubric expects {num(t['expected'])}, strict {num(t['expected_strict'])}",
            grouped=True,
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
