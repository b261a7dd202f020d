"""`python -m grading.sandbox.jobs COMMANDS_FD REPORTS_FD`: the learner's jobs, run out of
the grader's reach (started by grading/execute.py, in the sandbox of grading/isolation.py).

One Spark session for every job the grader names (one JVM per grade). Commands arrive
pickled from the grader: ("start", plan, lake root, Spark master, memory limit in bytes),
then ("run", job index, token) per job, then ("quit",). Each job runs as Glue runs it
(localglue.runner): first the catalog tables it reads that nobody defined are crawled and a
from_catalog target that no DDL defines is created (grading/setup.py, as the learner's AWS
account had them). Its result goes back as one JSON line (grading/messages.py); the grader
believes it for the job's status and error only, and counts the files itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import resource
import sys
from pathlib import Path

from grading import setup
from grading.messages import encode, one_line

SUCCEEDED, FAILED = "SUCCEEDED", "FAILED"


def script_line(traceback_text: str | None, script: Path) -> int | None:
    """The script's own failing line in a traceback: the deepest frame in the script, except
    inside Glue Studio's sparkSqlQuery helper, where the SQL node's statement is meant."""
    if not traceback_text:
        return None
    found = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', traceback_text)
    lines = [
        int(n) for f, n, func in found
        if Path(f).resolve() == script.resolve() and func != "sparkSqlQuery"
    ]  # fmt: skip
    return lines[-1] if lines else None


def gib(size: int) -> str:
    return f"{size / 2**30:g} GiB"


def cap_python_memory(limit: int) -> None:
    """This interpreter may grow by `limit` bytes of address space beyond what it holds once
    Spark is up (the JVM, started before, is bounded by its heap; the grader watches the
    whole tree). Soft and hard alike: the learner's code cannot raise it again."""
    with open("/proc/self/status") as handle:
        vm = next((int(line.split()[1]) * 1024 for line in handle if line.startswith("VmSize")), 0)
    if vm:
        resource.setrlimit(resource.RLIMIT_AS, (vm + limit, vm + limit))


def capabilities() -> str:
    with open("/proc/self/status") as handle:
        return next((line.split()[1] for line in handle if line.startswith("CapEff")), "?")


def run_job(job, plan, lake, spark, memory_limit: int) -> dict:
    from localglue.runner import run_script

    try:
        made = setup.before_job(lake, job, plan)
    except Exception as exc:  # noqa: BLE001 - a crawl of what an earlier job wrote
        cause = one_line(f"{type(exc).__name__}: {exc}")
        return {"status": FAILED, "error": f"its input tables could not be crawled: {cause}"}
    argv = ["--JOB_NAME", job.name, *plan.argv]
    # The model comes in the plan: this process's environment holds no $STEDI_CATALOG_CASE.
    result = run_script(job.path, argv, lake, spark=spark, catalog_case=plan.catalog_case)
    if result.ok:
        # A failure leaves the created table without columns; the grader counts files anyway.
        with contextlib.suppress(Exception):
            setup.after_job(lake, job, plan)
    error = one_line(result.error)
    if error and error.startswith("MemoryError"):
        error = f"exceeded the {gib(memory_limit)} memory limit ({error})"
    return {
        "status": SUCCEEDED if result.ok else FAILED,
        "error": error,
        "line": script_line(result.traceback, job.path),
        "rows_written": dict(result.rows_written),
        "catalog": [list(entry) for entry in made],
    }


def main(argv: list[str]) -> int:
    from localglue.errors import LakehouseError
    from localglue.lake import Lake
    from localglue.spark import get_spark

    commands_fd, reports_fd = int(argv[0]), int(argv[1])
    os.set_inheritable(commands_fd, False)
    os.set_inheritable(reports_fd, False)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file of a learner's process
    commands = os.fdopen(commands_fd, "rb")

    def send(kind: str, body) -> None:
        data = encode(kind, body)
        while data:
            data = data[os.write(reports_fd, data) :]

    _, plan, lake_root, master, memory_limit = pickle.load(commands)
    lake = Lake(lake_root)
    try:
        spark = get_spark(master)
    except LakehouseError as exc:
        send("fatal", one_line(str(exc)))
        return 3
    except Exception as exc:  # noqa: BLE001 - no Spark, no jobs: the grader says why
        send("fatal", one_line(f"Spark did not start: {type(exc).__name__}: {exc}"))
        return 3
    cap_python_memory(memory_limit)
    send("ready", {"uid": os.getuid(), "capabilities": capabilities()})
    while True:
        try:
            command = pickle.load(commands)
        except EOFError:
            break
        if command[0] != "run":
            break
        _, index, token = command
        spark = get_spark(master)  # a new session if the last job stopped Spark
        result = run_job(plan.jobs[index], plan, lake, spark, memory_limit)
        send("result", {"job": index, "token": token, **result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
