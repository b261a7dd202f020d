"""The class summary: one row per submission, rebuilt from the per-submission report folders.

Written beside those folders: summary.json (everything), summary.csv (one flat row per
submission), summary.md (for pasting into a review or an issue) and summary.html, a static
page that needs nothing but itself (inline CSS, no script, no font or asset from elsewhere):
each count coloured against the expected ones, each row linking to its report.md, job graphs
and count images by relative links, so the folder can be zipped and opened anywhere.

Rows come from each submission's report.json (the grader's verdict) and submission.json (what
the class run recorded: seconds, the keys that decide whether it is graded again, its scripts'
similarity keys), never from anything kept in memory: an interrupted class run rebuilds the
same summary on resume.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from grading import report as grade_report
from grading.report import cell, num
from grading.similarity import groups
from stedi.tables import TABLE_NAMES

STAMP = "submission.json"
FILES = ("summary.json", "summary.csv", "summary.md", "summary.html")


def _short(table: str) -> str:
    """`step_trainer_landing` -> "step trainer": the table's name without its zone."""
    return table.rsplit("_", 1)[0].replace("_", " ")


TINY = {"customer": "customer", "accelerometer": "accel.", "step trainer": "step tr.",
        "machine learning": "ML"}  # fmt: skip
ZONES = (("landing", 3), ("trusted", 3), ("curated", 2))
CSV_COLUMNS = ["submission", "verdict", "counts_match", *TABLE_NAMES, "privacy", "failed_job",
               "failed_line", "cause", "why", "seconds", "isolation", "copy_group", "report"]  # fmt: skip


def read_json(path: Path) -> dict | None:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _first_failure(report: dict) -> tuple[str | None, int | None, str | None]:
    for job in report.get("jobs") or []:
        if job.get("status") == "FAILED":
            return job.get("script"), job.get("line"), job.get("error")
    return None, None, None


def _links(folder: Path, name: str) -> dict:
    """Relative links (from the class folder) to what the grade drew."""
    here = folder / name
    graphs = sorted(p.relative_to(folder).as_posix() for p in (here / "graphs").glob("*.png"))
    shots = {t: f"{name}/count_{t}.png" for t in TABLE_NAMES if (here / f"count_{t}.png").is_file()}
    return {
        "report": f"{name}/report.md" if (here / "report.md").is_file() else None,
        "report_json": f"{name}/report.json" if (here / "report.json").is_file() else None,
        "graphs": graphs,
        "count_images": shots,
    }


def row(folder: Path, name: str) -> dict:
    """One submission's row, from its report folder."""
    report = read_json(folder / name / "report.json") or {}
    stamp = read_json(folder / name / STAMP) or {}
    out = {"submission": name, "source": stamp.get("source"), "seconds": stamp.get("seconds")}
    status = report.get("status")
    if status not in (grade_report.PASSED, grade_report.FAILED):
        cause = report.get("error") or stamp.get("error") or "no report was written"
        if stamp.get("source"):  # the grader's own paths are noise in a row: its name says it
            cause = cause.replace(str(stamp["source"]), name)
        out.update(verdict="error", counts_match=None, counts=dict.fromkeys(TABLE_NAMES),
                   statuses=dict.fromkeys(TABLE_NAMES), privacy=None, failed_job=None,
                   failed_line=None, cause=cause, why=cause, isolation=None)  # fmt: skip
    else:
        tables = report.get("tables") or {}
        job, line, error = _first_failure(report)
        out.update(
            verdict=status,
            counts_match=report.get("counts_match") or "neither",
            counts={t: (tables.get(t) or {}).get("rows") for t in TABLE_NAMES},
            statuses={t: (tables.get(t) or {}).get("status") for t in TABLE_NAMES},
            privacy=(report.get("privacy") or {}).get("status"),
            failed_job=job,
            failed_line=line,
            cause=error,
            why=_why(report),
            isolation=(report.get("isolation") or {}).get("mode"),
        )
    out["scripts"] = stamp.get("scripts") or []
    out.update(_links(folder, name))
    return out


def _why(report: dict) -> str:
    """The verdict's first reason, without the rule it names (the report has it)."""
    try:
        why = (grade_report.reasons(report) or [grade_report.verdict(report)])[0]
    except (KeyError, TypeError, AttributeError):  # a report of an older shape
        return report.get("status", "")
    return re.sub(r" \(rule: [^)]*\)$", "", why).replace("`", "")


def expected(folder: Path, names: list[str]) -> dict:
    """The rubric's and the strict profile's counts, from the first report that has them."""
    for name in names:
        tables = (read_json(folder / name / "report.json") or {}).get("tables")
        if tables:
            return {
                "rubric": {t: (tables.get(t) or {}).get("expected") for t in TABLE_NAMES},
                "strict": {t: (tables.get(t) or {}).get("expected_strict") for t in TABLE_NAMES},
            }
    return {"rubric": dict.fromkeys(TABLE_NAMES), "strict": dict.fromkeys(TABLE_NAMES)}


def build(folder: Path, names: list[str], meta: dict) -> dict:
    """summary.json's content: the class, its expected counts, one row per submission."""
    rows = [row(folder, n) for n in names]
    copy_groups = groups({r["submission"]: r["scripts"] for r in rows})
    labels = {}
    for i, members in enumerate(copy_groups):
        for member in members:
            labels[member] = _label(i)
    for r in rows:
        r["copy_group"] = labels.get(r["submission"])
    totals = {v: sum(r["verdict"] == v for r in rows) for v in ("passed", "failed", "error")}
    return {
        **meta,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "totals": {"submissions": len(rows), **totals},
        "expected": expected(folder, names),
        "copy_groups": [
            {"group": _label(i), "submissions": g, "scripts": len(_scripts_of(rows, g[0]))}
            for i, g in enumerate(copy_groups)
        ],
        "submissions": rows,
    }


def _scripts_of(rows: list[dict], name: str) -> list[str]:
    return next(r["scripts"] for r in rows if r["submission"] == name)


def _label(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def write(folder: Path, summary: dict) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "summary.json": json.dumps(summary, indent=2) + "\n",
        "summary.csv": to_csv(summary),
        "summary.md": to_markdown(summary),
        "summary.html": to_html(summary),
    }
    paths = []
    for name, text in texts.items():
        part = folder / f".{name}.part"
        part.write_text(text)
        part.replace(folder / name)  # a reader never sees half a summary
        paths.append(folder / name)
    return paths


# -- csv and markdown -------------------------------------------------------------------------


def to_csv(summary: dict) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in summary["submissions"]:
        writer.writerow(
            {
                **{k: r.get(k) for k in CSV_COLUMNS if k not in TABLE_NAMES},
                **{t: r["counts"][t] for t in TABLE_NAMES},
                "counts_match": r["counts_match"] or "",
                "report": r["report"] or "",
            }
        )
    return buffer.getvalue()


def _duration(seconds) -> str:
    if seconds is None:
        return "-"
    minutes, s = divmod(round(seconds), 60)
    return f"{minutes}m {s:02d}s" if minutes else f"{s}s"


def _link_md(text: str, target: str | None) -> str:
    return f"[{cell(text)}](<{target}>)" if target else cell(text)


def _failure(r: dict) -> str:
    if r["verdict"] == "error" or not r["failed_job"]:
        return "" if r["verdict"] == "passed" else r["why"]
    at = f" line {r['failed_line']}" if r["failed_line"] else ""
    return f"{r['failed_job']}{at}: {r['cause']}"


def to_markdown(summary: dict) -> str:
    t = summary["totals"]
    out = [f"# Class grade: {summary['class']}", "",
           f"{t['submissions']} submissions: {t['passed']} passed, {t['failed']} failed, "
           f"{t['error']} could not be graded. Data: {summary['data']['label']}. "
           f"Grader {summary['grader']}, {summary['generated']}.", "",
           "Counts: plain = the rubric's, *italic* = the strict profile's, **bold** = neither; "
           "- = not found.", ""]  # fmt: skip
    heads = [f"{_short(n)} {n.rsplit('_', 1)[1]}" for n in TABLE_NAMES]
    out.append("| submission | verdict | match | " + " | ".join(heads)
               + " | privacy | first failure | time | copies |")  # fmt: skip
    out.append("|---|---|---|" + "--:|" * len(TABLE_NAMES) + "---|---|--:|---|")
    for profile in ("rubric", "strict"):
        want = summary["expected"][profile]
        cells = " | ".join(f"_{num(want[n])}_" for n in TABLE_NAMES)
        out.append(f"| _expected: {profile}_ | | | {cells} | | | | |")
    for r in summary["submissions"]:
        cells = []
        for n in TABLE_NAMES:
            rows, status = r["counts"][n], r["statuses"][n]
            cells.append(num(rows) if status == "ok" else f"*{num(rows)}*" if status == "strict"
                         else f"**{num(rows)}**" if rows is not None else "-")  # fmt: skip
        out.append(
            f"| {_link_md(r['submission'], r['report'])} | {r['verdict']} | "
            f"{r['counts_match'] or '-'} | {' | '.join(cells)} | {r['privacy'] or '-'} | "
            f"{cell(_failure(r))} | {_duration(r['seconds'])} | {r['copy_group'] or ''} |"
        )
    if summary["copy_groups"]:
        out += ["", "## Same scripts", "",
                "Submissions whose job scripts are the same once Glue Studio's node ids, "
                "transformation_ctx names, buckets and databases are normalised. A hint, not "
                "proof: see the README's grade section.", ""]  # fmt: skip
        out += [f"- **{g['group']}**: {', '.join(g['submissions'])} ({g['scripts']} scripts)"
                for g in summary["copy_groups"]]  # fmt: skip
    return "\n".join(out) + "\n"


# -- html ---------------------------------------------------------------------------------------

CSS = """
:root { --ok:#1e7b3c; --ok-bg:#e3f4e8; --strict:#1d5fa0; --strict-bg:#e2eefb;
  --bad:#b3261e; --bad-bg:#fde7e5; --warn:#8a5a00; --warn-bg:#fff1d6; --none:#6b7280;
  --none-bg:#f1f2f4; --line:#e3e5e9; --ink:#1f2328; --soft:#57606a; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",
  Arial,sans-serif; color:var(--ink); background:#f6f7f9; }
header { background:#1f2a37; color:#fff; padding:18px 28px 16px; }
header h1 { margin:0 0 4px; font-size:21px; font-weight:600; }
header .meta { color:#c9d1db; font-size:13px; }
main { padding:18px 28px 32px; }
.cards { display:flex; gap:12px; flex-wrap:wrap; margin-bottom:16px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 16px;
  min-width:120px; }
.card b { display:block; font-size:24px; font-variant-numeric:tabular-nums; }
.card span { color:var(--soft); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.card.passed b { color:var(--ok); } .card.failed b { color:var(--bad); }
.card.error b { color:var(--warn); } .card.copies b { color:#6f42c1; }
.wrap { background:#fff; border:1px solid var(--line); border-radius:8px; overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th, td { padding:6px 7px; border-bottom:1px solid var(--line); text-align:left;
  vertical-align:top; }
thead th { background:#f0f2f5; font-size:12px; color:var(--soft); font-weight:600;
  white-space:nowrap; }
thead tr.zones th { text-align:center; text-transform:uppercase; letter-spacing:.05em;
  border-bottom:2px solid var(--line); }
th.num, td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr.expected td { background:#fafbfc; color:var(--soft); font-style:italic; }
tbody tr:hover td { background-color:#fbfbfd; }
td.count.ok { background:var(--ok-bg); color:var(--ok); }
td.count.strict { background:var(--strict-bg); color:var(--strict); }
td.count.differs, td.count.empty { background:var(--bad-bg); color:var(--bad); font-weight:600; }
td.count.unreadable { background:var(--warn-bg); color:var(--warn); font-weight:600; }
td.count.missing, td.count.none { background:var(--none-bg); color:var(--none); }
td.count a { color:inherit; text-decoration:none; border-bottom:1px dotted currentColor; }
.pill { display:inline-block; padding:1px 9px; border-radius:10px; font-size:12px;
  font-weight:600; text-transform:uppercase; letter-spacing:.03em; }
.pill.passed { background:var(--ok-bg); color:var(--ok); }
.pill.failed { background:var(--bad-bg); color:var(--bad); }
.pill.error { background:var(--warn-bg); color:var(--warn); }
.sub { min-width:150px; max-width:220px; overflow-wrap:anywhere; }
.sub a { font-weight:600; color:#0b57d0; text-decoration:none; }
.sub a:hover, .files a:hover { text-decoration:underline; }
.sub .src { display:block; color:var(--soft); font-size:12px; }
.group { display:inline-block; margin-left:6px; padding:0 7px; border-radius:9px;
  background:#efe7fb; color:#6f42c1; font-size:12px; font-weight:700; }
.why { min-width:190px; max-width:260px; color:var(--soft); font-size:12px;
  overflow-wrap:anywhere;
  line-height:1.35; }
td.privacy.passed { color:var(--ok); } td.privacy.failed { color:var(--bad); font-weight:600; }
td.match.rubric { color:var(--ok); } td.match.strict { color:var(--strict); }
td.match.neither { color:var(--bad); }
.why b { color:var(--ink); font-weight:600; }
.files { font-size:12px; min-width:88px; }
.files a { color:#0b57d0; text-decoration:none; margin-right:7px; }
.files details { display:inline-block; }
.files summary { cursor:pointer; color:#0b57d0; list-style:none; }
.files ul { margin:4px 0 0; padding-left:16px; }
.iso { display:block; font-size:11px; color:var(--soft); }
.iso.process { color:var(--warn); font-weight:600; }
.legend { margin:14px 0 0; color:var(--soft); font-size:12px; display:flex; gap:16px;
  flex-wrap:wrap; align-items:center; }
.legend i { display:inline-block; width:22px; height:14px; border-radius:3px;
  margin-right:6px; vertical-align:-3px; }
section.copies { margin-top:22px; background:#fff; border:1px solid var(--line);
  border-radius:8px; padding:12px 18px; }
section.copies h2 { font-size:15px; margin:0 0 6px; }
section.copies p { color:var(--soft); margin:0 0 8px; font-size:13px; max-width:900px; }
footer { color:var(--soft); font-size:12px; padding:0 28px 24px; }
"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _href(target: str) -> str:
    return _e(quote(target))


def _count_cell(r: dict, name: str) -> str:
    rows, status = r["counts"][name], r["statuses"][name] or "none"
    text = num(rows)
    image = r["count_images"].get(name)
    inner = f'<a href="{_href(image)}">{text}</a>' if image else text
    title = f"{name}: {status}"
    return f'<td class="num count {_e(status)}" title="{_e(title)}">{inner}</td>'


def _cut(text: str, most: int = 110) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _why_cell(r: dict) -> str:
    if r["verdict"] == "passed":
        return '<td class="why"></td>'
    if r["failed_job"]:
        at = f" line {r['failed_line']}" if r["failed_line"] else ""
        cause = r["cause"] or ""
        job = _e(r["failed_job"]).replace("_", "_<wbr>")  # a long name breaks at its words
        return (f'<td class="why" title="{_e(cause)}"><b>{job}{at}</b><br>'
                f"{_e(_cut(cause))}</td>")  # fmt: skip
    return f'<td class="why" title="{_e(r["why"])}">{_e(_cut(r["why"]))}</td>'


def _files_cell(r: dict) -> str:
    links = []
    if r["report"]:
        links.append(f'<a href="{_href(r["report"])}">report</a>')
    if r["report_json"]:
        links.append(f'<a href="{_href(r["report_json"])}">json</a>')
    if r["graphs"]:
        items = "".join(
            f'<li><a href="{_href(g)}">{_e(Path(g).stem)}</a></li>' for g in r["graphs"]
        )
        n = len(r["graphs"])
        links.append(f"<details><summary>{n} graph{'s' * (n != 1)}</summary>"
                     f"<ul>{items}</ul></details>")  # fmt: skip
    return f'<td class="files">{"".join(links)}</td>'


def _row_html(i: int, r: dict) -> str:
    name = _e(r["submission"])
    title = f'<a href="{_href(r["report"])}">{name}</a>' if r["report"] else name
    group = f'<span class="group" title="same scripts">{_e(r["copy_group"])}</span>' if r[
        "copy_group"] else ""  # fmt: skip
    source = Path(r["source"]).name if r.get("source") else ""
    src = f'<span class="src">{_e(source)}</span>' if source and source != r["submission"] else ""
    iso = r["isolation"] or "-"
    cells = [
        f'<td class="num">{i}</td>',
        f'<td class="sub">{title}{group}{src}</td>',
        f'<td><span class="pill {_e(r["verdict"])}">{_e(r["verdict"])}</span></td>',
        f'<td class="match {_e(r["counts_match"] or "none")}">{_e(r["counts_match"] or "-")}</td>',
        *(_count_cell(r, n) for n in TABLE_NAMES),
        f'<td class="privacy {_e(r["privacy"] or "none")}">{_e(r["privacy"] or "-")}</td>',
        _why_cell(r),
        f'<td class="num">{_e(_duration(r["seconds"]))}'
        f'<span class="iso {_e(iso)}">{_e(iso)}</span></td>',
        _files_cell(r),
    ]
    return f'<tr class="{_e(r["verdict"])}" data-submission="{name}">{"".join(cells)}</tr>'


def to_html(summary: dict) -> str:
    t = summary["totals"]
    zones = "".join(f'<th colspan="{span}">{zone}</th>' for zone, span in ZONES)
    heads = "".join(f'<th class="num" title="{n}">{TINY[_short(n)]}</th>' for n in TABLE_NAMES)
    expected = ""
    for profile in ("rubric", "strict"):
        want = summary["expected"][profile]
        cells = "".join(f'<td class="num">{num(want[n])}</td>' for n in TABLE_NAMES)
        expected += (f'<tr class="expected"><td></td><td colspan="3">expected: {profile}</td>'
                     f'{cells}<td colspan="4"></td></tr>')  # fmt: skip
    rows = "".join(_row_html(i, r) for i, r in enumerate(summary["submissions"], 1))
    cards = "".join(
        f'<div class="card {cls}"><b>{value}</b><span>{label}</span></div>'
        for cls, value, label in (
            ("", t["submissions"], "submissions"),
            ("passed", t["passed"], "passed"),
            ("failed", t["failed"], "failed"),
            ("error", t["error"], "not graded"),
            ("copies", len(summary["copy_groups"]), "same-script groups"),
        )
    )
    legend = "".join(
        f'<span><i style="background:var(--{var}-bg);border:1px solid var(--{var})"></i>{text}</span>'
        for var, text in (
            ("ok", "the rubric's count"),
            ("strict", "the strict profile's count"),
            ("bad", "neither, or empty"),
            ("warn", "unreadable"),
            ("none", "not found"),
        )  # fmt: skip
    )
    copies = ""
    if summary["copy_groups"]:
        items = "".join(
            f'<li><span class="group">{_e(g["group"])}</span> '
            + ", ".join(
                f'<a href="{_href(m + "/report.md")}">{_e(m)}</a>' for m in g["submissions"]
            )
            + f" &middot; {g['scripts']} scripts</li>"
            for g in summary["copy_groups"]
        )
        copies = (
            '<section class="copies"><h2>Same scripts</h2><p>These submissions\' job scripts '
            "are identical once Glue Studio's node ids, transformation_ctx names, bucket and "
            "database names, comments and layout are set aside. A hint, not proof of copying: "
            "the rubric's starter steps make many scripts alike, and edited copies are not "
            f"found.</p><ul>{items}</ul></section>"
        )
    title = f"Class grade: {_e(summary['class'])}"
    meta = (f"{_e(summary['data']['label'])} &middot; grader {_e(summary['grader'])} &middot; "
            f"{_e(summary['generated'])}")  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{CSS}</style></head>
<body><header><h1>{title}</h1><div class="meta">{meta}</div></header>
<main><div class="cards">{cards}</div>
<div class="wrap"><table id="summary">
<thead><tr class="zones"><th colspan="4"></th>{zones}<th colspan="4"></th></tr>
<tr><th class="num">#</th><th>submission</th><th>verdict</th><th>match</th>{heads}
<th>privacy</th><th>first failure, or why</th><th class="num">time</th><th>files</th>
</tr>{expected}</thead>
<tbody>{rows}</tbody></table></div>
<div class="legend">{legend}</div>{copies}</main>
<footer>Each count links to its count image, each submission to its report.md.
Written by <code>lakehouse grade</code>; the verdicts are the grader's, computed from the files
each submission's jobs wrote in a walled-off child.</footer>
</body></html>
"""
