"""docs/benchmarks.md and docs/benchmarks.png from one benchmark run's results."""

from __future__ import annotations

import math
from pathlib import Path

from stedi.tables import ACCELEROMETER_LANDING

GIB = 1024**3

# What the five jobs cost on AWS Glue, for the table's last column.
GLUE_MINUTES = 13
GLUE_SOURCE = "about 13 minutes, as reported by the maintainer of the Udacity STEDI project"

TARGETS = {
    "shared_total_s": 20.0,
    "scale100_total_s": 300.0,
    "scale100_peak_gib": 6.0,
    "growth_exponent": 1.0,
    "grade_ratio": 1.2,
}


def _s(x) -> str:
    return "-" if x is None else f"{x:,.1f} s"


def _gib(x) -> str:
    return "-" if x is None else f"{x / GIB:,.2f} GiB"


def _n(x) -> str:
    return "-" if x is None else f"{int(x):,}"


def _load(entry: dict) -> str:
    if entry.get("load_before") is None:
        return "-"
    return f"{entry['load_before']:.1f} / {entry['load_after']:.1f}"


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "**missed**")


def pipeline_seconds(run: dict) -> float | None:
    """Wall time a user waits: the whole worker process (JVM start included)."""
    return run.get("wall_seconds")


def growth_exponent(results: dict) -> float | None:
    """log(t100 / t10) / log(10): 1.0 is linear, above 1 grows faster than linear."""
    scales = results.get("scales", {})
    a, b = scales.get("10"), scales.get("100")
    if not (a and b and a.get("ok") and b.get("ok")):
        return None
    ta, tb = a["run"]["phases"]["run"], b["run"]["phases"]["run"]
    return math.log(tb / ta) / math.log(10)


def targets_table(results: dict) -> list[str]:
    shared = results.get("shared") or {}
    s100 = (results.get("scales") or {}).get("100") or {}
    growth = growth_exponent(results)
    rows = [
        (
            "shared data: ingest + 5 rubric jobs + validation (wall, JVM start included)",
            f"≤ {TARGETS['shared_total_s']:.0f} s",
            _s(shared.get("wall_seconds")),
            _verdict(
                None
                if not shared.get("ok")
                else shared["wall_seconds"] <= TARGETS["shared_total_s"]
            ),
        ),
        (
            "100x: ingest + 5 rubric jobs (wall)",
            f"≤ {TARGETS['scale100_total_s'] / 60:.0f} min",
            _s(s100.get("wall_seconds")),
            _verdict(
                None if not s100.get("ok") else s100["wall_seconds"] <= TARGETS["scale100_total_s"]
            ),
        ),
        (
            "100x: peak RSS (Python + JVM)",
            f"≤ {TARGETS['scale100_peak_gib']:.0f} GiB",
            _gib(s100.get("peak_rss")),
            _verdict(
                None
                if not s100.get("ok")
                else s100["peak_rss"] <= TARGETS["scale100_peak_gib"] * GIB
            ),
        ),
        (
            "job time growth 10x -> 100x (exponent; 1 = linear)",
            "≤ 1.0",
            "-" if growth is None else f"{growth:.2f}",
            _verdict(None if growth is None else growth <= TARGETS["growth_exponent"] + 0.05),
        ),
    ]
    grade = results.get("grade_vs_run") or {}
    rows.append(
        (
            "`lakehouse grade` of the 5 rubric jobs vs `lakehouse run` of them (shared data)",
            f"≤ {TARGETS['grade_ratio']}x",
            "-" if grade.get("ratio") is None else f"{grade['ratio']:.2f}x",
            _verdict(None if not grade.get("ok") else grade["ratio"] <= TARGETS["grade_ratio"]),
        )
    )
    out = ["| target | goal | measured | verdict |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return out


def grade_summary(entry: dict) -> str:
    if not entry.get("ok"):
        return f"FAILED ({entry.get('error')})"
    runs = ", ".join(f"{x:.1f}" for x in entry["run_seconds"])
    grades = ", ".join(f"{x:.1f}" for x in entry["grade_seconds"])
    return f"run {runs} s; grade {grades} s; ratio of medians {entry['ratio']:.2f}x"


def grade_section(results: dict) -> list[str]:
    entry = results.get("grade_vs_run")
    if not entry:
        return []
    return [
        "## Grade vs run",
        "",
        "`bench/grade_vs_run.py`, one process and one Spark session, after one untimed warm-up",
        "run: `lakehouse run --no-validate` of the five rubric jobs on an ingested lake, and",
        "`lakehouse grade` of a project holding the same five scripts (discovery, landing laid",
        "byte for byte, the jobs, DuckDB counts, privacy checks, graphs, screenshots), alternated",
        "(run, grade, grade, run, ...); the ratio is grade median / run median.",
        "",
        "| measured | rounds | run (s) | grade (s) | ratio | grade | load before/after |",
        "|---|---|---|---|---|---|---|",
        f"| {entry.get('date', '-')} | {entry.get('rounds', '-')} "
        f"| {', '.join(f'{x:.1f}' for x in entry.get('run_seconds', []))} "
        f"| {', '.join(f'{x:.1f}' for x in entry.get('grade_seconds', []))} "
        f"| {'-' if entry.get('ratio') is None else format(entry['ratio'], '.2f') + 'x'} "
        f"| {entry.get('grade_status', entry.get('error', '-'))} | {_load(entry)} |",
        "",
    ]


def runs_table(results: dict) -> list[str]:
    out = [
        "| data | accelerometer rows | wall | startup | ingest | 5 jobs | validation "
        "| peak RSS | DuckDB floor | counts | measured | load before/after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    entries = []
    if results.get("shared"):
        entries.append(("shared STEDI data", results["shared"]))
    for scale, entry in sorted((results.get("scales") or {}).items(), key=lambda kv: int(kv[0])):
        entries.append((f"generated {scale}x", entry))
    for label, e in entries:
        run = e.get("run") or {}
        phases = run.get("phases") or {}
        floor = e.get("floor") or {}
        counts = run.get("counts") or {}
        expected = run.get("expected") or {}
        match = (
            "-"
            if not expected
            else ("match" if all(counts.get(t) == n for t, n in expected.items()) else "**differ**")
        )
        if not e.get("ok"):
            match = f"**failed**: {e.get('error', '')[:80]}"
        out.append(
            f"| {label} | {_n(counts.get(ACCELEROMETER_LANDING.name))} | {_s(e.get('wall_seconds'))} "
            f"| {_s(phases.get('startup'))} | {_s(phases.get('ingest'))} | {_s(phases.get('run'))} "
            f"| {_s(phases.get('validate'))} | {_gib(e.get('peak_rss'))} "
            f"| {_s(floor.get('seconds'))} | {match} | {e.get('date', '-')} "
            f"| {_load(e)} |"
        )
    return out


def jobs_table(results: dict) -> list[str]:
    out = [
        "| data | job | seconds | rows read | rows written | rows read/s "
        "| max plan-node rows | ÷ largest input |",
        "|---|---|---|---|---|---|---|---|",
    ]
    entries = []
    if results.get("shared"):
        entries.append(("shared", results["shared"]))
    for scale, entry in sorted((results.get("scales") or {}).items(), key=lambda kv: int(kv[0])):
        entries.append((f"{scale}x", entry))
    for label, e in entries:
        for job in (e.get("run") or {}).get("jobs", []):
            seconds = job.get("seconds") or 0
            rate = job["input_rows"] / seconds if seconds else None
            biggest = job.get("max_input_table_rows") or 0
            inter = job.get("max_intermediate_rows")
            ratio = f"{inter / biggest:.2f}" if inter is not None and biggest else "-"
            out.append(
                f"| {label} | {job['name']} | {seconds:.2f} | {_n(job['input_rows'])} "
                f"| {_n(job['rows_written'])} | {_n(rate)} | {_n(inter)} | {ratio} |"
            )
    return out


def chart(results: dict, path: Path) -> bool:
    """Wall time and peak RSS per data size, against linear growth. False if nothing to plot."""
    points = []
    for scale, e in sorted((results.get("scales") or {}).items(), key=lambda kv: int(kv[0])):
        if e.get("ok"):
            points.append((int(scale), e["run"]["phases"]["run"], e["wall_seconds"], e["peak_rss"]))
    if not points:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    xs = [p[0] for p in points]
    ax1.loglog(xs, [p[1] for p in points], "o-", label="5 rubric jobs")
    ax1.loglog(xs, [p[2] for p in points], "s--", label="wall (startup + ingest + jobs)")
    floor = [
        (int(s), e["floor"]["seconds"])
        for s, e in (results.get("scales") or {}).items()
        if e.get("floor")
    ]
    if floor:
        floor.sort()
        ax1.loglog([f[0] for f in floor], [f[1] for f in floor], "^:", label="DuckDB floor")
    base_x, base_t = points[0][0], points[0][1]
    ax1.loglog(xs, [base_t * x / base_x for x in xs], color="grey", lw=0.8, label="linear")
    ax1.axhline(TARGETS["scale100_total_s"], color="red", lw=0.8, ls="--", label="100x target")
    ax1.set_xlabel("data size (x the STEDI export)")
    ax1.set_ylabel("seconds")
    ax1.legend(fontsize=8)
    ax1.set_title("time")
    ax2.plot(xs, [p[3] / GIB for p in points], "o-")
    ax2.axhline(TARGETS["scale100_peak_gib"], color="red", lw=0.8, ls="--", label="target")
    ax2.set_xscale("log")
    ax2.set_xlabel("data size (x the STEDI export)")
    ax2.set_ylabel("peak RSS, GiB (Python + JVM)")
    ax2.set_title("memory")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def write_markdown(results: dict, path: Path, png: Path | None) -> None:
    env = results.get("environment", {})
    lines = [
        "# Benchmarks",
        "",
        "Written by `python -m bench` (`make bench`); every figure below comes from the run",
        f"of {results.get('date', '?')} on this machine: {env.get('cpus', '?')} CPUs, "
        f"{env.get('memory_gib', '?')} GiB RAM, Python {env.get('python', '?')}, "
        f"PySpark {env.get('pyspark', '?')}, DuckDB {env.get('duckdb', '?')}, "
        f"Spark master `{env.get('master', '?')}`.",
        "Each pipeline run is a fresh process (`bench/worker.py`): wall time includes Python",
        "start-up and the Spark JVM; peak RSS is sampled every 50 ms over the whole process",
        "tree (the JVM included). The DuckDB floor (`bench/duckdb_floor.py`) runs the same five",
        "rubric queries over the same landing JSON in-process, in the same benchmark run.",
        "",
        "## Targets",
        "",
        *targets_table(results),
        "",
        f"On AWS Glue the same five jobs take {GLUE_SOURCE} (job start-up included). "
        + (
            f"The local run of the shared data takes {results['shared']['wall_seconds']:.0f} s, "
            f"about {GLUE_MINUTES * 60 / results['shared']['wall_seconds']:.0f}x less."
            if (results.get("shared") or {}).get("ok")
            else ""
        ),
        "",
        "## Runs",
        "",
        *runs_table(results),
        "",
        "`counts`: every table's row count equals the dataset's expected count (the graders'",
        "numbers for the shared data, the generator's ground truth for generated data).",
        "",
        "`load before/after`: the machine's 1-minute load average around the run (2 CPUs: above",
        "2 means other work competed for them, and the times are inflated accordingly).",
        "",
        *grade_section(results),
        "## Jobs",
        "",
        "`max plan-node rows` is the largest row count any Spark plan node of the job produced",
        "(scans, joins, aggregates), from Spark's SQL metrics; divided by the job's largest",
        "input table it shows whether a join multiplied rows (about 1 or below: no blow-up).",
        "",
        *jobs_table(results),
        "",
    ]
    if png is not None:
        lines += [f"![time and memory by data size]({png.name})", ""]
    if results.get("skipped"):
        lines += ["## Not measured in this run", ""]
        lines += [f"- {item}" for item in results["skipped"]]
        lines.append("")
    if results.get("notes"):
        lines += ["## Notes", ""]
        lines += [f"- {item}" for item in results["notes"]]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))
