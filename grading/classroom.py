"""Grade a class: every submission in a folder (or named), side by side, each walled off.

A grader's cohort is a folder of cloned repositories and downloaded archives. Each submission
is graded by its own `lakehouse grade` process (a grader: it runs none of the learner's code),
whose jobs run in its own walled-off child (grading/execute.py, grading/isolation.py), so a
submission that fails, hangs, crashes its grader or attacks it costs only its own row:
- a wall-clock limit per submission (--submission-timeout): over it, the grade is stopped with
  every process it started and its row says so;
- a grade that ends without a report (an internal error, a crash) gets an error report;
- archives are unpacked by grading/archives.py (capped, nothing outside the target).

Repeated work is skipped: a submission whose files, data, grader and options are the same as
when it was last graded (submission.json beside its report) is not graded again unless
--force, so an interrupted class run resumes where it stopped. What is shared between grades
is prepared once and never shared writable: the landing data (generated or --data) is copied
into each grade's own folder, and the JVM's class-data archive is recorded once, by the
grader, before the first grade; each child maps it read-only.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from grading import archives, discover, similarity, summary
from grading.grade import check_data, error_report
from grading.messages import one_line
from grading.progress import Display
from grading.report import SAMPLE_PREFIX
from localglue.errors import LakehouseError

PARENT_ENV = "STEDI_CLASS_PARENT"  # set for each grade: it ends when the class run ends
LOCK = ".class.lock"
RESERVED = {"summary.json", "summary.csv", "summary.md", "summary.html", LOCK}
PER_GRADE_OVERHEAD = 2**30  # the grader's own process and its drawing helper, beside the child
TICK = 0.5
WORK_PREFIX = "stedi-class-"


@dataclass(frozen=True)
class Submission:
    name: str  # its report folder's name, unique in the class
    source: Path  # the folder or archive given
    kind: str  # "folder", "zip", "tar" or "bundle"


# -- which submissions ------------------------------------------------------------------------


def _kind(path: Path) -> str | None:
    if path.is_dir() and not path.is_symlink():
        return "folder"
    return archives.kind(path)


def find_submissions(folder: Path) -> tuple[list[Submission], list[str]]:
    """Every sub-folder, .zip, .tar.gz/.tgz and git bundle in `folder` (hidden names left
    out), and the names of what else is there (not a submission)."""
    if not folder.is_dir():
        raise LakehouseError(f"--class {folder} is not a folder; pass the folder of submissions")
    found, ignored = [], []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.startswith("."):
            continue
        (found if _kind(path) else ignored).append(path)
    return name_submissions(found), [p.name for p in ignored]


def name_submissions(paths: list[Path]) -> list[Submission]:
    """Submissions from paths: a folder's name, an archive's name without its suffix; a
    name taken twice keeps its full file name."""
    out, taken = [], set()
    for path in paths:
        what = _kind(path)
        if what is None:
            raise LakehouseError(f"{path} is neither a folder nor a .zip, .tar.gz/.tgz or git "
                                 "bundle; pass a project folder or an archive of one")  # fmt: skip
        name = path.name if what == "folder" else archives.stem(path)
        name = _folder_name(name)
        if name.lower() in taken:
            name = _folder_name(path.name)
        while name.lower() in taken:
            name += "_"
        taken.add(name.lower())
        out.append(Submission(name, path.resolve(), what))
    return out


def _folder_name(name: str) -> str:
    name = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in name).strip()
    if not name or name.startswith(".") or name in RESERVED:
        name = f"_{name}"
    return name


def class_name(paths: list[Path]) -> str:
    """The class's name: the folder holding its submissions (their common parent)."""
    parents = {p.resolve().parent for p in paths}
    common = Path(os.path.commonpath([str(p) for p in parents])) if parents else Path.cwd()
    return common.name or "class"


# -- what decides whether a submission is graded again ----------------------------------------


def tree_key(folder: Path, skip=discover.SKIP_DIRS) -> str:
    """A hash of a folder's files (relative names and contents; links by their target;
    anything else by its name only: a FIFO is never opened)."""
    digest = hashlib.sha256()
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        for name in sorted(names):
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                digest.update(f"L {relative} {os.readlink(path)}\0".encode())
            elif path.is_file():
                digest.update(f"F {relative}\0".encode())
                with open(path, "rb") as f:
                    while chunk := f.read(1 << 20):
                        digest.update(chunk)
            else:
                digest.update(f"S {relative}\0".encode())
    return digest.hexdigest()


def file_key(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def content_key(sub: Submission) -> str:
    return tree_key(sub.source) if sub.kind == "folder" else file_key(sub.source)


def grader_version() -> str:
    """The grader's code: a hash of the packages a verdict depends on (the runtime the jobs
    run on, the STEDI contract, the checks and the grader)."""
    repo = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for package in ("localglue", "stedi", "validation", "grading"):
        for path in sorted((repo / package).rglob("*.py")):
            digest.update(path.relative_to(repo).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sample_key() -> str:
    """The embedded sample's identity: the generator's code and its default size and seed."""
    from stedi import generator

    text = Path(generator.__file__).read_bytes()
    text += f"{generator.DEFAULT_CUSTOMERS} {generator.DEFAULT_SEED}".encode()
    return "sample:" + hashlib.sha256(text).hexdigest()[:16]


def options_key(grade_args: list[str]) -> str:
    """The options that change a verdict (job arguments' values only as a hash)."""
    return hashlib.sha256("\0".join(grade_args).encode()).hexdigest()[:16]


# -- the class run -----------------------------------------------------------------------------


@dataclass
class Options:
    report_dir: Path
    data: Path | None = None
    jobs: int | None = None  # None: default_jobs()
    force: bool = False
    submission_timeout: float = 1800.0
    grade_args: list[str] = field(default_factory=list)  # passed to every `lakehouse grade`
    memory_limit: int | None = None  # each grade's child, for default_jobs()
    caps: archives.Caps = field(default_factory=archives.Caps)
    record_archive: bool = True
    # The grade of one submission: `lakehouse grade PROJECT --data D --report-dir R ...`.
    command: list[str] = field(default_factory=lambda: [sys.executable, "-m", "lakehouse", "grade"])


def default_jobs(pending: int, memory_limit: int | None = None) -> int:
    """Grades side by side: one per core, as many as the memory holds if every grade's child
    reached its memory limit (the JVM's heap + 4g by default) beside its grader."""
    import psutil

    from grading.execute import default_memory

    per_grade = (memory_limit or default_memory()) + PER_GRADE_OVERHEAD
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    fits = psutil.virtual_memory().available // per_grade
    return max(1, min(cores or 1, fits, pending or 1))


@dataclass
class Running:
    sub: Submission
    proc: subprocess.Popen
    started: float  # monotonic
    work: Path
    stamp: dict
    started_wall: float = field(default_factory=time.time)
    stopped: str | None = None  # why the class run stopped it


def _read_fd(fd: int) -> dict:
    try:
        doc = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


class ClassLock:
    """One class run per report folder. The lock's file stays open in every grade the run
    started, so a run killed with -9 keeps it until its grades have ended too: the next run
    waits for them instead of grading the same folders beside them."""

    def __init__(self, folder: Path, wait: float, say):
        folder.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self.fd)
                    raise LakehouseError(
                        f"{folder} is being graded by another class run (or its grades are "
                        "still ending); wait for it, or pass another --report-dir"
                    ) from None
                if not told:
                    say("waiting for the grades of an earlier class run to end ...")
                    told = True
                time.sleep(TICK)
        self.previous = _read_fd(self.fd)

    def record(self, work: Path) -> None:
        """Which run holds it, and its work folder (removed by the next run if this one is
        killed before it could remove it)."""
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, json.dumps({"pid": os.getpid(), "work": str(work)}).encode(), 0)

    def remove_previous_work(self) -> None:
        work = Path(str(self.previous.get("work") or ""))
        if work.name.startswith(WORK_PREFIX) and work.parent == Path(tempfile.gettempdir()):
            shutil.rmtree(work, ignore_errors=True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class ClassRun:
    def __init__(self, name: str, submissions: list[Submission], options: Options,
                 display: Display | None = None):  # fmt: skip
        self.name, self.subs, self.options = name, submissions, options
        self.display = display or Display()
        self.folder = options.report_dir.resolve()
        self.keys: dict[str, dict] = {}
        self.running: list[Running] = []
        self.work: Path | None = None
        self.prepared: Path | None = None

    # what is already done

    def data_key(self) -> str:
        return tree_key(self.options.data) if self.options.data else sample_key()

    def graded_already(self, sub: Submission, keys: dict) -> bool:
        stamp = summary.read_json(self.folder / sub.name / summary.STAMP) or {}
        report = self.folder / sub.name / "report.json"
        return stamp.get("keys") == keys and report.is_file()

    def run(self) -> dict:
        opts = self.options
        if opts.data is not None:
            check_data(opts.data)
        lock = ClassLock(self.folder, wait=120, say=self.display.note)
        try:
            meta = self._meta()
            pending = []
            for sub in self.subs:
                keys = {"content": content_key(sub), "data": meta["data"]["key"],
                        "grader": meta["grader"], "options": options_key(opts.grade_args)}  # fmt: skip
                self.keys[sub.name] = keys
                if not opts.force and self.graded_already(sub, keys):
                    self.display.skipped(sub.name)
                else:
                    pending.append(sub)
            jobs = opts.jobs or default_jobs(len(pending), opts.memory_limit)
            meta["jobs"] = jobs
            if pending:
                self._grade(pending, jobs, lock)
            doc = summary.build(self.folder, self._summary_names(meta["data"]["key"]), meta)
            summary.write(self.folder, doc)
            return doc
        finally:
            lock.close()

    def _summary_names(self, data_key: str) -> list[str]:
        """This run's submissions, and those an earlier run graded into the same folder on
        the same data whose files are still there (`grade cohort/x.zip` alone keeps the
        cohort's summary whole)."""
        names = {s.name for s in self.subs}
        for folder in self.folder.iterdir() if self.folder.is_dir() else []:
            stamp = summary.read_json(folder / summary.STAMP) if folder.is_dir() else None
            if (stamp and folder.name not in names and stamp.get("submission") == folder.name
                    and (stamp.get("keys") or {}).get("data") == data_key
                    and Path(str(stamp.get("source"))).exists()):  # fmt: skip
                names.add(folder.name)
        return sorted(names)

    def _meta(self) -> dict:
        data = self.options.data
        label = str(data.resolve()) if data is not None else "the embedded generated sample"
        return {
            "class": self.name,
            "data": {
                "label": label,
                "path": str(data.resolve()) if data else None,
                "key": self.data_key(),
            },  # fmt: skip
            "grader": grader_version(),
            "submission_timeout_s": self.options.submission_timeout,
        }

    def _grade(self, pending: list[Submission], jobs: int, lock: ClassLock) -> None:
        lock.remove_previous_work()
        self.work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
        lock.record(self.work)
        self.display.begin(len(pending), jobs)
        recorder = None
        try:
            self.prepared = self._prepare_data()
            if self.options.record_archive and len(pending) > jobs:
                recorder = ArchiveRecorder(self.display.note)
            queue = list(pending)
            while queue or self.running:
                while queue and len(self.running) < jobs:
                    self._start(queue.pop(0), lock)
                time.sleep(TICK)
                if recorder:
                    recorder.poll()
                for run in list(self.running):
                    if run.proc.poll() is not None:
                        self._finish(run)
                    elif time.monotonic() - run.started > self.options.submission_timeout:
                        limit = f"{self.options.submission_timeout:g} s"
                        self._stop(run, f"exceeded the {limit} submission time limit")
                        self._finish(run)
                self.display.tick()
        except BaseException:  # Ctrl-C, a kill: stop what runs; unstamped, they run again
            for run in list(self.running):
                self._stop(run, "the class run was interrupted; run it again to resume")
                self._finish(run, stamp=False)
            raise
        finally:
            if recorder:
                recorder.stop()
            self.display.end()
            shutil.rmtree(self.work, ignore_errors=True)

    def _prepare_data(self) -> Path:
        """The landing data once: --data as given, or the embedded sample generated now."""
        if self.options.data is not None:
            return self.options.data.resolve()
        from stedi.generator import generate

        self.display.note("generating the embedded sample once for the class ...")
        folder = self.work / f"{SAMPLE_PREFIX}class"
        generate(folder)
        return folder

    def _start(self, sub: Submission, lock: ClassLock) -> None:
        report = self.folder / sub.name
        if report.is_symlink() or report.is_file():
            report.unlink()
        shutil.rmtree(report, ignore_errors=True)  # an earlier grade's files
        report.mkdir(parents=True)
        work = self.work / sub.name
        (work / "tmp").mkdir(parents=True)
        stamp = {"submission": sub.name, "source": str(sub.source), "kind": sub.kind,
                 "keys": self.keys[sub.name]}  # fmt: skip
        self.display.started(sub.name)
        started = time.monotonic()
        try:
            project = self._project(sub, work, stamp)
            stamp["scripts"] = similarity.submission_keys(discover.find_scripts(project))
            data = work / (self.prepared.name if self.options.data
                           else f"{SAMPLE_PREFIX}{sub.name}")  # fmt: skip
            shutil.copytree(self.prepared, data)  # its own copy: nothing shared is writable
            argv = [*self.options.command, str(project), "--data", str(data),
                    "--report-dir", str(report), *self.options.grade_args]  # fmt: skip
            env = {**os.environ, "TMPDIR": str(work / "tmp"), PARENT_ENV: str(os.getpid())}
            with open(report / "grade.log", "wb") as log:
                proc = subprocess.Popen(argv, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                        stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True, pass_fds=(lock.fd,))  # fmt: skip
        except LakehouseError as exc:  # an archive refused, a project without scripts...
            self._not_graded(sub, stamp, str(exc), started, work)
        except Exception as exc:  # noqa: BLE001 - one submission's trouble is its row's
            why = "internal error: " + one_line(f"{type(exc).__name__}: {exc}")
            self._not_graded(sub, stamp, why, started, work, exc)
        else:
            self.running.append(Running(sub, proc, started, work, stamp))

    def _not_graded(self, sub, stamp, why: str, started: float, work: Path, exc=None) -> None:
        error_report(sub.source, why, self.folder / sub.name, exc)
        seconds = round(time.monotonic() - started, 1)
        self._stamp(sub, {**stamp, "seconds": seconds, "exit": 2, "error": why})
        self.display.done(sub.name, "error", seconds)
        shutil.rmtree(work, ignore_errors=True)

    def _project(self, sub: Submission, work: Path, stamp: dict) -> Path:
        if sub.kind == "folder":
            return sub.source
        target = work / archives.stem(sub.source)
        unpacked = archives.unpack(sub.source, target, self.options.caps)
        stamp["unpacked"] = {"files": unpacked.files, "bytes": unpacked.bytes,
                             "skipped": unpacked.skipped}  # fmt: skip
        return target

    def _stop(self, run: Running, why: str) -> None:
        """SIGTERM first (the grade ends its child and removes its lake), then every process
        it started, whatever session each put itself in."""
        run.stopped = why
        import psutil

        try:
            tree = [psutil.Process(run.proc.pid)]
            tree += tree[0].children(recursive=True)
        except psutil.Error:
            tree = []
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(run.proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            run.proc.wait(timeout=30)
        for proc in tree:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(run.proc.pid, signal.SIGKILL)
        run.proc.wait()

    def _finish(self, run: Running, stamp: bool = True) -> None:
        self.running.remove(run)
        sub, report = run.sub, self.folder / run.sub.name
        seconds = round(time.monotonic() - run.started, 1)
        code = run.proc.returncode
        doc = summary.read_json(report / "report.json")
        fresh = doc is not None and (report / "report.json").stat().st_mtime >= run.started_wall
        if run.stopped or not fresh:
            why = run.stopped or f"the grade ended with exit code {code} and wrote no report " \
                                 f"(its output: {sub.name}/grade.log)"  # fmt: skip
            doc = error_report(sub.source, why, report)
        if stamp:
            self._stamp(sub, {**run.stamp, "seconds": seconds, "exit": code,
                              "error": doc.get("error")})  # fmt: skip
        shutil.rmtree(run.work, ignore_errors=True)
        self.display.done(sub.name, doc.get("status", "error"), seconds)

    def _stamp(self, sub: Submission, stamp: dict) -> None:
        stamp["graded"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        path = self.folder / sub.name / summary.STAMP
        part = path.with_suffix(".part")
        part.write_text(json.dumps(stamp, indent=2) + "\n")
        part.replace(path)


# -- the class-data archive ---------------------------------------------------------------------

# Run by the grader, never by a learner: Spark's JSON, SQL, join, Parquet and JSON writers, so
# the archive holds the classes a grade's jobs load.
RECORD = """
import os, sys, tempfile
from localglue.spark import get_spark
spark = get_spark()
folder = tempfile.mkdtemp(prefix="stedi-cds-")
path = os.path.join(folder, "in.json")
with open(path, "w") as f:
    f.write('{"email": "a", "x": 1.5, "t": 1}\\n{"email": "b", "x": 2.5, "t": 2}\\n')
frame = spark.read.json(path)
frame.createOrReplaceTempView("landing")
out = spark.sql("select email, count(*) n, max(x) x from landing where t is not null group by email")
out.join(frame, "email").write.mode("overwrite").parquet(os.path.join(folder, "p"))
spark.read.parquet(os.path.join(folder, "p")).write.mode("overwrite").json(os.path.join(folder, "j"))
"""


class ArchiveRecorder:
    """The JVM's class-data archive in the grader's private cache, recorded by the grader if
    missing. A grade never records one (a learner's JVM must not write what the next
    submissions' JVMs map), so without this every child of a class would start its JVM the
    slow way. Recording takes a JVM's start, a small Spark workload and the archive's dump
    (20 s on a quiet machine, minutes under load), so it runs beside the first grades, at a
    lower priority, and the grades started after it is published map it."""

    def __init__(self, say):
        from localglue.spark import cds_archive

        self.say, self.archive, self.proc = say, cds_archive(), None
        if self.archive is None or self.archive.is_file():
            return
        nice = ["nice", "-n", "10"] if shutil.which("nice") else []
        self.proc = subprocess.Popen([*nice, sys.executable, "-c", RECORD],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir(),
                                     start_new_session=True)  # fmt: skip
        say("recording the JVM's class-data archive for the class's later grades ...")

    def poll(self) -> None:
        if self.proc is not None and self.archive.is_file():
            self.say("the class-data archive is ready: the next grades' JVMs map it read-only")
            self.proc = None

    def stop(self) -> None:
        """A recording not finished when the class is: stopped (its part file is removed)."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def follow_parent() -> None:
    """In a grade a class run started: end (SIGTERM, so the grade cleans up) when that run
    ends, even by kill -9 (Linux's parent-death signal)."""
    parent = os.environ.get(PARENT_ENV)
    if not parent or not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    if str(os.getppid()) != parent:  # it ended before the signal was set
        os.kill(os.getpid(), signal.SIGTERM)
