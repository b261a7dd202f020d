"""`python -m bench.class_vs_single [--shared DIR] [--submissions N] [--jobs N]`: a class of N
submissions graded with one `lakehouse grade --class` next to N single `lakehouse grade` runs
one after the other, on the shared data, in the same run; `python -m bench` runs it as one
of its steps and records the figure.

WHY: a grader with a cohort runs the class command instead of a loop; what it saves is the
grades side by side (`--jobs`, default from cores and memory), the landing data laid once and
the JVM's class-data archive recorded once. The submissions are copies of studio_jobs/rubric
(each passes on the shared data), so the two sides grade the same work. Both sides are
separate processes, as a grader runs them; the single runs go first and the class second,
then the order is swapped for a second round when --rounds 2, so a burst of other load hits
both. Prints one JSON object on stdout (progress to stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "stedi-udacity"
GRADE = [sys.executable, "-m", "lakehouse", "grade"]


def make_class(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True)
    subs = []
    for i in range(1, n + 1):
        sub = folder / f"learner{i:02d}"
        shutil.copytree(REPO / "studio_jobs" / "rubric", sub)
        subs.append(sub)
    return subs


def timed(argv: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, stdin=subprocess.DEVNULL)  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"{' '.join(argv[3:5])} exited {done.returncode}: {tail}")
    return seconds, done.returncode


def singles(subs: list[Path], shared: Path, reports: Path) -> tuple[float, bool]:
    total, passed = 0.0, True
    for sub in subs:
        seconds, code = timed([*GRADE, str(sub), "--data", str(shared),
                               "--report-dir", str(reports / sub.name)])  # fmt: skip
        print(f"  single {sub.name}: {seconds:.1f} s", file=sys.stderr)
        total, passed = total + seconds, passed and code == 0
    return total, passed


def whole_class(folder: Path, shared: Path, reports: Path, jobs: int | None) -> tuple[float, bool]:
    argv = [*GRADE, "--class", str(folder), "--data", str(shared), "--report-dir", str(reports)]
    seconds, code = timed(argv + (["--jobs", str(jobs)] if jobs else []))
    print(f"  class: {seconds:.1f} s", file=sys.stderr)
    return seconds, code == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.class_vs_single")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--submissions", type=int, default=10)
    parser.add_argument("--jobs", type=int, help="the class's --jobs (default: its own default)")
    parser.add_argument("--rounds", type=int, default=1, help="1, or 2 with the order swapped")
    args = parser.parse_args(argv)

    from grading.classroom import default_jobs

    work = Path(tempfile.mkdtemp(prefix="bench-class-"))
    load_before = os.getloadavg()[0]
    jobs = args.jobs or default_jobs(args.submissions)
    single_s, class_s, ok = [], [], True
    try:
        subs = make_class(work / "class", args.submissions)
        for i in range(args.rounds):
            for what in ("single", "class") if i % 2 == 0 else ("class", "single"):
                reports = work / f"reports-{what}-{i}"
                if what == "single":
                    seconds, passed = singles(subs, args.shared, reports)
                    single_s.append(seconds)
                else:
                    seconds, passed = whole_class(work / "class", args.shared, reports, args.jobs)
                    class_s.append(seconds)
                ok = ok and passed
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = {
        "submissions": args.submissions,
        "jobs": jobs,
        "cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "single_seconds": [round(s, 1) for s in single_s],
        "class_seconds": [round(s, 1) for s in class_s],
        "ratio": round(statistics.median(class_s) / statistics.median(single_s), 2),
        "all_passed": ok,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    print(json.dumps(out))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
