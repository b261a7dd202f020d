"""Run the learner's jobs in plan order, in a child process the grader starts and controls.

The grader never runs a line of the learner's: it starts a child (grading/sandbox/jobs.py,
in the sandbox of grading/isolation.py), names one job at a time and waits for its result
under two limits:
- a time limit per job (--job-timeout): a job over it is FAILED "exceeded the 600 s job time
  limit";
- a memory limit on the child's whole process tree (resident memory, sampled by the grader;
  the child's Python also has an address-space cap, the JVM its heap): a job over it is
  FAILED "exceeded the 6 GiB memory limit".
A child over a limit, one that dies, or one that sends what is not a result is killed with
every process it started, and a fresh child runs the next jobs. A job that fails is reported
with its script line and a one-line cause; a job that reads what a failed job writes is
skipped (it would only repeat the failure); the others still run. What the children print
goes to logs/<job>.log in the report folder.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading import isolation, messages
from grading.plan import Plan
from localglue.errors import LakehouseError
from localglue.lake import Lake

SUCCEEDED, FAILED, SKIPPED = "SUCCEEDED", "FAILED", "SKIPPED"
LOG_LIMIT = 5 * 2**20  # bytes kept per log file
TICK = 0.2  # seconds between the grader's looks at a running job


@dataclass
class JobRun:
    script: str  # relative to the project
    name: str
    status: str
    seconds: float = 0.0
    error: str | None = None
    line: int | None = None
    rows_written: dict[str, int] = field(default_factory=dict)
    catalog: list[tuple[str, str]] = field(default_factory=list)  # (db.table, how) made for it

    def to_dict(self) -> dict:
        return {
            "script": self.script,
            "name": self.name,
            "status": self.status,
            "seconds": self.seconds,
            "error": self.error,
            "line": self.line,
            "rows_written": self.rows_written,
        }


def parse_size(text: str) -> int:
    """`6g`, `512m`, `4096k`, `1.5GiB` or bytes, in bytes (1k = 1024)."""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?", text.strip().lower())
    if not found:
        raise ValueError(f"{text!r} is not a size such as 6g or 512m")
    number, unit = found.groups()
    return int(float(number) * 1024 ** " kmgt".index(unit or " "))


def default_memory() -> int:
    """The JVM's heap (STEDI_DRIVER_MEMORY, 2g by default) and 4 GiB for everything else:
    its own overhead, the Python workers and the learner's Python."""
    from localglue.spark import driver_memory

    try:
        return parse_size(driver_memory()) + 4 * 2**30
    except ValueError:
        return 6 * 2**30


@dataclass
class Limits:
    job_timeout: float = 600.0  # seconds per job
    memory: int = field(default_factory=default_memory)  # resident bytes, the child's tree
    start_timeout: float = 300.0  # Spark's start on a loaded machine


class Stopped(Exception):
    """The grader stopped the child during a job; the message is the job's error."""


class Unavailable(Exception):
    """The sandbox could not be set up here; the message says why."""


class Logs:
    """What the children print: one file per job in the report folder, each cut at 5 MiB."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.file = None
        self.written = 0
        self.switch("runtime")

    def switch(self, name: str) -> None:
        with self.lock:
            if self.file:
                self.file.close()
            self.file = (self.folder / f"{name}.log").open("ab")
            self.written = 0

    def write(self, data: bytes) -> None:
        with self.lock:
            room = LOG_LIMIT - self.written
            if room > 0:
                self.file.write(data[:room])
                if len(data) > room:
                    self.file.write(b"\n[output cut at 5 MiB]\n")
                self.file.flush()
            self.written += len(data)

    def close(self) -> None:
        with self.lock:
            if self.file:
                self.file.close()
                self.file = None


class Child:
    """One sandboxed job runner: started, told what to run, watched, and ended."""

    def __init__(self, sandbox: isolation.Sandbox, mode: str, logs: Logs, limits: Limits):
        self.mode, self.logs, self.limits = mode, logs, limits
        commands_r, commands_w = os.pipe()
        reports_r, reports_w = os.pipe()
        program = [sys.executable, "-P", "-m", "grading.sandbox.jobs"]
        program += [str(commands_r), str(reports_w)]
        self.proc = sandbox.popen(
            program,
            (commands_r, reports_w),
            mode,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        os.close(commands_r)
        os.close(reports_w)
        self.commands = os.fdopen(commands_w, "wb")
        self.reports, self.buffer = reports_r, b""
        self.tail = b""  # the last bytes it printed, for a child that dies at start
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()
        self.facts: dict = {}
        self.ready = False

    def _pump(self) -> None:
        """Drain what the child prints (chunks, not lines: a line can be endless)."""
        while data := self.proc.stdout.read1(65536):
            self.tail = (self.tail + data)[-4096:]
            self.logs.write(data)

    def send(self, command: tuple) -> None:
        try:
            pickle.dump(command, self.commands)
            self.commands.flush()
        except OSError:
            raise Stopped(self.ended()) from None

    def last_words(self) -> str:
        lines = [x.strip() for x in self.tail.decode(errors="replace").splitlines()]
        return next((x for x in reversed(lines) if x), "")

    def ended(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        code = self.proc.returncode
        if code is None:
            return "its process stopped reporting before the job finished"
        number = -code if code < 0 else code - 128  # the namespace's PID 1 exits 128 + signal
        if 0 < number < signal.NSIG:
            return (
                f"its process was killed by {signal.Signals(number).name} before the job finished"
            )
        return f"its process ended with exit code {code} before the job finished"

    def tree_memory(self) -> int:
        """Resident bytes of the child and every process below it."""
        import psutil

        try:
            top = psutil.Process(self.proc.pid)
            procs = [top, *top.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def receive(self, deadline: float, over_time: str) -> tuple[str, object]:
        """The next message; Stopped when the time or memory limit is passed or the child
        ends. Every line is checked (messages.decode): the learner's code can write here, and
        what is not a message is skipped."""
        next_look = 0.0
        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                with contextlib.suppress(messages.BadMessage):
                    return messages.decode(line)
                continue
            if len(self.buffer) > messages.MAX_LINE:
                raise Stopped("it sent the grader a line of more than 1 MiB")
            now = time.monotonic()
            if now >= deadline:
                raise Stopped(over_time)
            if now >= next_look:
                if self.tree_memory() > self.limits.memory:
                    raise Stopped(f"exceeded the {self.limits.memory / 2**30:g} GiB memory limit")
                next_look = now + TICK
            ready, _, _ = select.select([self.reports], [], [], min(TICK, deadline - now))
            if ready:
                data = os.read(self.reports, 65536)
                if not data:
                    raise Stopped(self.ended())
                self.buffer += data

    def start(self, plan: Plan, lake: Lake, master: str | None) -> None:
        """Spark up in the child; Unavailable when the sandbox could not be entered."""
        deadline = time.monotonic() + self.limits.start_timeout
        waiting = f"Spark did not start within {self.limits.start_timeout:g} s"
        try:
            self.send(("start", plan, str(lake.root), master, self.limits.memory))
            while not self.ready:
                kind, body = self.receive(deadline, waiting)
                if kind == "fatal":
                    self.kill()
                    raise LakehouseError(messages.one_line(str(body)))
                try:
                    self.facts.update(messages.facts(body))
                except messages.BadMessage as exc:
                    raise Stopped(f"it did not start as a job runner does ({exc})") from None
                self.ready = kind == "ready"
        except Stopped as exc:
            self.kill()  # first: the last words it printed are then all read
            words = self.last_words() or str(exc)
            if self.mode == isolation.NAMESPACES and not str(exc).startswith("Spark"):
                raise Unavailable(words) from None
            raise LakehouseError(f"the job runner did not start: {words}") from None

    def run(self, index: int) -> messages.JobResult:
        """The job's result; a result without this run's token is skipped (another job's,
        or one a job wrote ahead for the jobs after it)."""
        token = secrets.token_hex(16)
        self.send(("run", index, token))
        deadline = time.monotonic() + self.limits.job_timeout
        over = f"exceeded the {self.limits.job_timeout:g} s job time limit"
        while True:
            kind, body = self.receive(deadline, over)
            if kind == "result":
                with contextlib.suppress(messages.BadMessage):
                    return messages.job_result(body, index, token)

    def kill(self) -> None:
        """The child and every process it started (the whole namespace, or its session)."""
        import psutil

        with contextlib.suppress(psutil.Error):
            below = psutil.Process(self.proc.pid).children(recursive=True)
            for proc in below:
                with contextlib.suppress(psutil.Error):
                    proc.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()
        self._close_pipes()

    def close(self) -> None:
        """Ask a started child to end; kill it if it takes longer than a few seconds."""
        if self.ready:
            with contextlib.suppress(Stopped):
                self.send(("quit",))
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        self.kill()

    def _close_pipes(self) -> None:
        with contextlib.suppress(OSError):
            self.commands.close()
        with contextlib.suppress(OSError):
            os.close(self.reports)
        self.pump.join(timeout=5)
        self.reports = -1


class JobRunner:
    """A grade's jobs, run in sandboxed children; `isolation` says what held for them."""

    def __init__(self, plan: Plan, lake: Lake, sandbox: isolation.Sandbox, logs: Logs,
                 limits: Limits, master: str | None = None, display=None):  # fmt: skip
        self.plan, self.lake, self.sandbox, self.logs = plan, lake, sandbox, logs
        self.limits, self.master, self.display = limits, master, display
        self.why_not = isolation.namespaces_unavailable()
        self.mode = isolation.PROCESS if self.why_not else isolation.NAMESPACES
        self.child: Child | None = None
        self.facts: dict = {}

    @property
    def isolation(self) -> dict:
        record = isolation.describe(
            self.mode, self.sandbox, self.limits.job_timeout, self.limits.memory, self.why_not
        )
        if self.facts:
            record["checked_in_child"] = self.facts  # what the first child saw before any job
        record["summary"] = isolation.summary(record)
        return record

    def launch(self) -> None:
        """Start a child: its Spark starts while the grader does other work."""
        if self.child is None:
            self.child = Child(self.sandbox, self.mode, self.logs, self.limits)

    def ready_child(self) -> Child:
        if self.child is not None and self.child.ready:
            if self.child.proc.poll() is None:
                return self.child
            self.child.kill()  # it ended between jobs: the next job gets a fresh one
            self.child = None
        self.launch()
        try:
            self.child.start(self.plan, self.lake, self.master)
        except Unavailable as exc:
            self.child = None
            self.mode, self.why_not = isolation.PROCESS, f"the sandbox failed here: {exc}"
            if self.display:
                self.display(f"no namespaces ({exc}); the jobs run in a plain child process")
            self.launch()
            self.child.start(self.plan, self.lake, self.master)
        self.facts = self.facts or self.child.facts
        return self.child

    def run(self) -> list[JobRun]:
        runs: list[JobRun] = []
        bad: set[str] = set()
        try:
            for index, job in enumerate(self.plan.jobs):
                rel = job.path.relative_to(self.plan.project).as_posix()
                if self.display:
                    self.display(f"job {rel}")
                if job.error:
                    runs.append(JobRun(rel, job.name, FAILED, error=messages.one_line(job.error)))
                    bad.add(job.name)
                    continue
                blocked = [a for a in job.after if a in bad]
                if blocked:
                    cause = (
                        f"not run: it reads what {', '.join(blocked)} writes, and that job failed"
                    )
                    runs.append(JobRun(rel, job.name, SKIPPED, error=cause))
                    bad.add(job.name)
                    continue
                run = self._run_one(index, rel, job.name)
                if run.status != SUCCEEDED:
                    bad.add(job.name)
                runs.append(run)
        finally:
            self.close()
        return runs

    def _run_one(self, index: int, rel: str, name: str) -> JobRun:
        child = self.ready_child()
        self.logs.switch(name)
        started = time.perf_counter()
        try:
            result = child.run(index)
        except Stopped as exc:
            child.kill()
            self.child = None
            return JobRun(rel, name, FAILED, self._since(started), str(exc))
        finally:
            self.logs.switch("runtime")
        return JobRun(rel, name, result.status, self._since(started), result.error,
                      result.line, result.rows_written, result.catalog)  # fmt: skip

    @staticmethod
    def _since(started: float) -> float:
        return round(time.perf_counter() - started, 2)

    def close(self) -> None:
        if self.child is not None:
            self.child.close()
            self.child = None
        self.logs.close()
