"""`python -m bench`: measure the local lakehouse against issue 14's targets; rewrite docs/benchmarks.md.

    python -m bench                           every target (shared data, 1x, 10x, 100x)
    python -m bench --only validation,job     a quick subset (sections: run, validation, job,
                                              grade, class, scales)
    python -m bench --rounds 3                rounds of the alternated shared-data comparison
    python -m bench --scales 1,10 | --skip-100x | --skip-shared

Sections:
- run: on the shared data, ROUNDS rounds alternating the full pipeline (ingest + 5 jobs +
  validation, bench/worker.py, as `lakehouse run` does it), the plain PySpark floor
  (bench/pyspark_floor.py) and the DuckDB floor (bench/duckdb_floor.py); medians compared.
- validation: cold `python -m validation.run` on a finished shared-data lake (median of 3):
  as it runs by default (the verdict as SQL, no GX), the same with `lakehouse warm` running,
  and with --data-docs (GX's checkpoint and Data Docs too, as `lakehouse run` asks).
- job: `python -m lakehouse job` of bench/fixtures/one_source_one_sink.py (median of 3).
- grade: `lakehouse grade` vs `lakehouse run` (bench/grade_vs_run.py, when present).
- class: `lakehouse grade --class` of 10 submissions vs 10 single grades, default --jobs
  (bench/class_vs_single.py).
- scales: generated 1x, 10x, 100x: the pipeline, the PySpark floor and DuckDB, peak RSS.

Each measured command is a fresh process (bench/measure.py samples its whole process tree's
memory, the JVM included). Generated data is cached (bench/scale.py, $STEDI_BENCH_CACHE or
/tmp/stedi-bench): the first 100x run generates ~900 MB; later runs reuse it.
Results merge into docs/benchmarks.json (a section not measured now keeps its earlier figures
and date), from which docs/benchmarks.md and docs/benchmarks.png are rewritten.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import report
from bench.measure import run_measured
from lakehouse.cli.run import PRELOAD_ENV
from localglue.spark import driver_memory

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(
    os.environ.get("STEDI_SHARED_DATA") or REPO.parent / "shared" / "data" / "stedi-udacity"
)
DOCS = REPO / "docs"
JOB_FIXTURE = REPO / "bench" / "fixtures" / "one_source_one_sink.py"
SECTIONS = ("run", "validation", "job", "grade", "class", "scales")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def environment() -> dict:
    import duckdb
    import psutil
    import pyspark

    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 1024**3),
        "python": platform.python_version(),
        "pyspark": pyspark.__version__,
        "duckdb": duckdb.__version__,
        "master": os.environ.get("STEDI_SPARK_MASTER", "local[2]"),
        "driver_memory": driver_memory(),
    }


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_floor(source: Path, timeout: float) -> dict | None:
    m = run_measured(
        [sys.executable, "-m", "bench.duckdb_floor", str(source)], cwd=REPO, timeout=timeout
    )
    if m.returncode != 0:
        _say(f"  DuckDB floor failed: {m.stderr.strip().splitlines()[-1:]}")
        return None
    floor = json.loads(m.stdout)
    floor.update(wall_seconds=m.seconds, peak_rss=m.peak_rss)
    return floor


def measure_pyspark_floor(source: Path, timeout: float) -> dict | None:
    """The plain PySpark script (bench/pyspark_floor.py) as a fresh process: wall and RSS."""
    load = os.getloadavg()[0]
    m = run_measured(
        [sys.executable, "-m", "bench.pyspark_floor", str(source)], cwd=REPO, timeout=timeout
    )
    if m.returncode != 0:
        _say(f"  PySpark floor failed: {m.stderr.strip().splitlines()[-1:]}")
        return None
    floor = json.loads(m.stdout.strip().splitlines()[-1])
    floor.update(wall_seconds=m.seconds, peak_rss=m.peak_rss, load_before=load)
    return floor


def measure_pipeline(
    source: Path,
    profile: str,
    validate: bool,
    work: Path,
    timeout: float,
    keep: bool = False,
    env: dict | None = None,
) -> dict:
    """One worker run; with keep=True the finished lake stays and its path is in ["lake"]."""
    lake = Path(tempfile.mkdtemp(prefix="lake-", dir=work))
    out = lake.with_suffix(".json")
    cmd = [sys.executable, "-m", "bench.worker", "--source", str(source), "--lake", str(lake)]
    cmd += ["--profile", profile, "--out", str(out)] + (["--validate"] if validate else [])
    try:
        load = os.getloadavg()[0]
        m = run_measured(cmd, cwd=REPO, timeout=timeout, env={**os.environ, **(env or {})})
        entry = {"date": _now(), "wall_seconds": m.seconds, "peak_rss": m.peak_rss}
        entry["load_before"], entry["load_after"] = load, os.getloadavg()[0]
        if out.is_file():
            entry["run"] = json.loads(out.read_text())
        entry["ok"] = m.returncode == 0 and "run" in entry
        if not entry["ok"]:
            tail = (m.stderr.strip().splitlines() or ["(no output)"])[-1]
            entry["error"] = f"exit {m.returncode}: {tail}"
        if keep:
            entry["lake"] = str(lake)
        return entry
    finally:
        if not keep:
            shutil.rmtree(lake, ignore_errors=True)
        out.unlink(missing_ok=True)


def _median_by(entries: list[dict], key: str) -> dict | None:
    """The entry with the median `key` (the lower middle one for an even count)."""
    ok = sorted((e for e in entries if e and e.get(key) is not None), key=lambda e: e[key])
    return ok[(len(ok) - 1) // 2] if ok else None


def shared_rounds(args, work: Path) -> tuple[dict, str | None]:
    """ROUNDS x (pipeline, PySpark floor, DuckDB floor), alternated; medians. Keeps a lake."""
    rounds, lake = [], None
    for i in range(args.rounds):
        _say(f"shared data, round {i + 1}/{args.rounds}: pipeline, PySpark floor, DuckDB ...")
        entry = measure_pipeline(args.shared, args.profile, True, work, args.timeout, keep=True)
        if entry.get("ok"):
            if lake:
                shutil.rmtree(lake, ignore_errors=True)
            lake = entry.pop("lake")
        else:
            shutil.rmtree(entry.pop("lake"), ignore_errors=True)
        pyspark = measure_pyspark_floor(args.shared, args.timeout)
        duck = measure_floor(args.shared, args.timeout)
        rounds.append({"pipeline": entry, "pyspark": pyspark, "duckdb": duck})
        if args.preload_ab:  # the same run validating in-process after the jobs
            off = {PRELOAD_ENV: "0"}
            rounds[-1]["no_preload"] = measure_pipeline(
                args.shared, args.profile, True, work, args.timeout, env=off
            )
        _say(f"  {_summary(entry)}; PySpark floor {_wall(pyspark)}; DuckDB {_wall(duck)}")
    best = _median_by([r["pipeline"] for r in rounds if r["pipeline"].get("ok")], "wall_seconds")
    shared = dict(best or rounds[-1]["pipeline"])
    shared["floor"] = _median_by([r["duckdb"] for r in rounds], "wall_seconds")
    shared["pyspark_floor"] = _median_by([r["pyspark"] for r in rounds], "wall_seconds")
    shared["rounds"] = [{k: (v or {}).get("wall_seconds") for k, v in r.items()} for r in rounds]
    return shared, lake


def _wall(entry: dict | None) -> str:
    return "failed" if not entry else f"{entry['wall_seconds']:.1f} s"


def finished_lake(args, work: Path) -> str:
    """A shared-data lake after `lakehouse ingest` + `lakehouse run --no-validate`."""
    lake = work / "lake-for-checks"
    for step in (
        ["ingest", "--lake", str(lake), str(args.shared)],
        ["run", "--profile", args.profile, "--lake", str(lake), "--no-validate"],
    ):
        subprocess.run(
            [sys.executable, "-m", "lakehouse", *step], cwd=REPO, check=True, capture_output=True
        )
    return str(lake)


def measure_validation(
    lake: str, profile: str, repeat: int, work: Path, extra: tuple[str, ...] = ()
) -> dict:
    """Cold `python -m validation.run` (bench/validation_cold.py), median of `repeat`."""
    from bench.validation_cold import cold_run

    runs = []
    for i in range(repeat):
        load = os.getloadavg()[0]
        report_dir = work / f"validation{'-'.join(('', *extra))}-{i}"
        wall, code, timings = cold_run(Path(lake), profile, report_dir, extra)
        runs.append({"wall_seconds": wall, "exit": code, "timings": timings, "load_before": load})
    best = _median_by(runs, "wall_seconds")
    return {"date": _now(), **best, "runs": [r["wall_seconds"] for r in runs]}


def measure_warm_run(args, work: Path) -> dict:
    """`lakehouse ingest` + `lakehouse run` on the shared data, as two commands, with
    `lakehouse warm` running: one untimed run first (the server imports GX at its first
    run), then the median of --repeat runs, each on a fresh lake. The server's memory is
    not in these processes: no peak RSS is recorded."""
    import time

    def both(lake: Path) -> tuple[float, bool]:
        started = time.perf_counter()
        ok = True
        for step in (["ingest", str(args.shared)], ["run", "--profile", args.profile]):
            done = subprocess.run(
                [sys.executable, "-m", "lakehouse", *step, "--lake", str(lake)],
                cwd=REPO,
                capture_output=True,
                timeout=args.timeout,
            )
            ok = ok and done.returncode == 0
        return time.perf_counter() - started, ok

    subprocess.run([sys.executable, "-m", "lakehouse", "warm"], cwd=REPO, check=True)
    try:
        both(work / "warm-up-lake")
        runs = []
        for i in range(args.repeat):
            load = os.getloadavg()[0]
            seconds, ok = both(work / f"warm-lake-{i}")
            runs.append({"wall_seconds": seconds, "ok": ok, "load_before": load})
    finally:
        subprocess.run([sys.executable, "-m", "lakehouse", "warm", "--stop"], cwd=REPO)
    best = _median_by([r for r in runs if r["ok"]], "wall_seconds") or runs[-1]
    return {"date": _now(), **best, "runs": [r["wall_seconds"] for r in runs]}


def measure_warm_validation(lake: str, profile: str, repeat: int, work: Path) -> dict:
    """The same cold `validation.run` with `lakehouse warm` running (started before, stopped
    after; untimed): what a user who keeps the warm runtime waits."""
    subprocess.run([sys.executable, "-m", "lakehouse", "warm"], cwd=REPO, check=True)
    try:
        return measure_validation(lake, profile, repeat, work / "warm")
    finally:
        subprocess.run([sys.executable, "-m", "lakehouse", "warm", "--stop"], cwd=REPO)


def measure_warm_job(lake: str, repeat: int, timeout: float) -> dict:
    """The same job with `lakehouse warm` running (started before, stopped after; untimed)."""
    subprocess.run([sys.executable, "-m", "lakehouse", "warm"], cwd=REPO, check=True)
    try:
        return measure_job(lake, repeat, timeout)
    finally:
        subprocess.run([sys.executable, "-m", "lakehouse", "warm", "--stop"], cwd=REPO)


def measure_job(lake: str, repeat: int, timeout: float) -> dict:
    """`python -m lakehouse job` of the one-source, one-sink fixture, median of `repeat`."""
    runs = []
    for _ in range(repeat):
        load = os.getloadavg()[0]
        m = run_measured(
            [sys.executable, "-m", "lakehouse", "job", "--lake", lake, str(JOB_FIXTURE)],
            cwd=REPO,
            timeout=timeout,
        )
        said = re.search(r"SUCCEEDED in ([0-9.]+)s", m.stdout + m.stderr)
        runs.append(
            {
                "wall_seconds": m.seconds,
                "job_seconds": float(said.group(1)) if said else None,
                "peak_rss": m.peak_rss,
                "ok": m.returncode == 0,
                "load_before": load,
            }
        )
    best = _median_by([r for r in runs if r["ok"]], "wall_seconds") or runs[-1]
    return {"date": _now(), **best, "runs": [r["wall_seconds"] for r in runs]}


def measure_grade(args) -> dict | None:
    """bench/grade_vs_run.py in a fresh process: its JSON line, as recorded."""
    m = run_measured(
        [sys.executable, "-m", "bench.grade_vs_run", "--shared", str(args.shared)],
        cwd=REPO,
        timeout=args.timeout,
    )
    lines = [line for line in m.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (m.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"ok": False, "date": _now(), "error": f"exit {m.returncode}: {tail}"}
    return {"ok": m.returncode == 0, "date": _now(), **json.loads(lines[-1])}


def measure_class(args) -> dict | None:
    """bench/class_vs_single.py in a fresh process: its JSON line, as recorded."""
    m = run_measured(
        [sys.executable, "-m", "bench.class_vs_single", "--shared", str(args.shared)],
        cwd=REPO,
        timeout=args.timeout * 20,
    )
    lines = [line for line in m.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (m.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"ok": False, "date": _now(), "error": f"exit {m.returncode}: {tail}"}
    return {"ok": m.returncode == 0, "date": _now(), **json.loads(lines[-1])}


def measure_scale(args, k: int, work: Path) -> dict:
    gen_cmd = [sys.executable, "-m", "bench.scale", str(k)]
    if args.cache:
        gen_cmd += ["--cache", str(args.cache)]
    g = run_measured(gen_cmd, cwd=REPO, timeout=args.timeout * 2)
    if g.returncode != 0:
        tail = (g.stderr.strip().splitlines() or ["?"])[-1]
        _say(f"  generation failed: {tail}")
        return {"ok": False, "date": _now(), "error": f"generate: {tail}"}
    generated = json.loads(g.stdout)
    folder = Path(generated["folder"])
    _say(f"  pipeline, PySpark floor, DuckDB on {folder} ...")
    validate = k <= 10 or args.validate_scales
    entry = measure_pipeline(folder, args.profile, validate, work, args.timeout)
    entry["generate_seconds"] = generated["seconds"]
    entry["driver_memory"] = driver_memory()
    entry["pyspark_floor"] = measure_pyspark_floor(folder, args.timeout)
    entry["floor"] = measure_floor(folder, args.timeout)
    _say(f"  {_summary(entry)}; PySpark floor {_wall(entry['pyspark_floor'])}")
    return entry


def _summary(entry: dict) -> str:
    if not entry.get("ok"):
        return f"FAILED ({entry.get('error')})"
    phases = entry["run"]["phases"]
    return (
        f"wall {entry['wall_seconds']:.1f} s (jobs {phases['run']:.1f} s), "
        f"peak {entry['peak_rss'] / 1024**3:.2f} GiB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", default=",".join(SECTIONS), help=f"sections, from {','.join(SECTIONS)}"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternated shared-data rounds")
    parser.add_argument("--repeat", type=int, default=3, help="cold validation / job runs")
    parser.add_argument(
        "--preload-ab",
        action="store_true",
        help="each round also runs the pipeline without the validation child",
    )
    parser.add_argument("--scales", default="1,10,100", help="generated sizes, e.g. 1,10")
    parser.add_argument("--skip-100x", action="store_true", help="leave out the 100x size")
    parser.add_argument("--skip-shared", action="store_true", help="leave out the shared data")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared STEDI data")
    parser.add_argument("--profile", default="rubric")
    parser.add_argument("--cache", type=Path, default=None, help="where generated data is kept")
    parser.add_argument("--validate-scales", action="store_true", help="validate 100x too")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per measured run")
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--fresh", action="store_true", help="drop earlier results")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the docs from benchmarks.json"
    )
    args = parser.parse_args(argv)

    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if only - set(SECTIONS):
        parser.error(f"unknown section(s) {', '.join(sorted(only - set(SECTIONS)))}")
    if args.skip_shared:
        only -= {"run", "validation", "job", "grade", "class"}
    scales = [int(s) for s in args.scales.split(",") if s.strip()] if "scales" in only else []
    if args.skip_100x:
        scales = [s for s in scales if s < 100]
    results_path = args.docs / "benchmarks.json"
    results = (
        {} if args.fresh or not results_path.is_file() else json.loads(results_path.read_text())
    )
    if args.report_only:
        return write_docs(results, args.docs)
    results["date"] = _now()
    results["environment"] = environment()
    results.setdefault("scales", {})
    work = Path(tempfile.mkdtemp(prefix="stedi-bench-"))
    lake = None
    try:
        needs_shared = only & {"run", "validation", "job", "grade", "class"}
        if needs_shared and not (args.shared / "customer" / "landing").is_dir():
            _say(f"shared data not found at {args.shared}: shared-data sections skipped")
            only -= {"run", "validation", "job", "grade", "class"}
        if "run" in only:
            results["shared"], lake = shared_rounds(args, work)
            _say(f"lakehouse ingest + run x{args.repeat} on `lakehouse warm` ...")
            results["run_warm"] = measure_warm_run(args, work)
            _say(f"  median {results['run_warm']['wall_seconds']:.2f} s")
        if only & {"validation", "job"} and lake is None:
            _say("building a shared-data lake for the validation and job checks ...")
            lake = finished_lake(args, work)
        if "validation" in only:
            _say(f"cold validation.run x{args.repeat} ...")
            results["validation"] = measure_validation(lake, args.profile, args.repeat, work)
            _say(f"  median {results['validation']['wall_seconds']:.2f} s")
            _say(f"validation.run x{args.repeat} on `lakehouse warm` ...")
            results["validation_warm"] = measure_warm_validation(
                lake, args.profile, args.repeat, work
            )
            _say(f"  median {results['validation_warm']['wall_seconds']:.2f} s")
            _say(f"cold validation.run --data-docs x{args.repeat} (GX) ...")
            results["validation_gx"] = measure_validation(
                lake, args.profile, args.repeat, work, ("--data-docs",)
            )
            _say(f"  median {results['validation_gx']['wall_seconds']:.2f} s")
        if "job" in only:
            _say(f"lakehouse job {JOB_FIXTURE.name} x{args.repeat} ...")
            results["job"] = measure_job(lake, args.repeat, args.timeout)
            _say(f"  median {results['job']['wall_seconds']:.2f} s")
            _say(f"lakehouse job {JOB_FIXTURE.name} x{args.repeat} on `lakehouse warm` ...")
            results["job_warm"] = measure_warm_job(lake, args.repeat, args.timeout)
            _say(f"  median {results['job_warm']['wall_seconds']:.2f} s")
        if "grade" in only and (REPO / "bench" / "grade_vs_run.py").is_file():
            _say("lakehouse grade vs lakehouse run (bench/grade_vs_run.py) ...")
            results["grade"] = measure_grade(args)
        if "class" in only:
            _say("a class of 10 vs 10 single grades (bench/class_vs_single.py) ...")
            results["class"] = measure_class(args)
        for k in scales:
            _say(f"{k}x: generating (or reusing) data ...")
            results["scales"][str(k)] = measure_scale(args, k, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["skipped"] = [
        f"generated {k}x: not run (use --scales)"
        for k in (1, 10, 100)
        if str(k) not in results["scales"]
    ]
    results["notes"] = [
        "Targets are for a quiet 2-core machine; `load before` says how quiet each run was.",
        "100x is validated only with --validate-scales (GX over ~8M rows is a separate cost).",
    ]
    args.docs.mkdir(parents=True, exist_ok=True)
    results_path.write_text(json.dumps(results, indent=2) + "\n")
    return write_docs(results, args.docs)


def write_docs(results: dict, docs: Path) -> int:
    png = docs / "benchmarks.png"
    has_chart = report.chart(results, png)
    report.write_markdown(results, docs / "benchmarks.md", png if has_chart else None)
    _say(f"wrote {docs / 'benchmarks.md'}")
    for line in report.targets_table(results)[2:]:
        _say(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
