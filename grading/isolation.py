"""The grader's side of the wall: what the learner's child process is given, and how it starts.

A grade runs strangers' scripts. The child that runs them gets:
- an environment without the grader's: no AWS_* variable, nothing named like a secret
  (TOKEN, SECRET, PASSWORD, KEY, CREDENTIAL, AUTH, SESSION, COOKIE), no SSH agent; the AWS
  SDK's files pointing at /dev/null, the instance metadata service turned off, a HOME and
  TMPDIR of its own; only what Java, Python and Spark need is kept;
- where the OS allows it (Linux, `unshare` from util-linux, root or user namespaces):
  new network, mount and PID namespaces (grading/sandbox/enter.py): loopback only, a root
  where the system, the code and the project are read-only and only the lake and the temp
  folder are writable, an unprivileged user without capabilities, and every process ended
  with the grade;
- elsewhere: the same environment in a process session of its own (the report says so).

The report's "isolation" section (describe()) says which of these held.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

NAMESPACES, PROCESS = "namespaces", "process"
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt")
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
# Kept from the grader's environment: what Java, Python and Spark read. Everything else
# (and any of these named like a secret) stays with the grader.
KEPT = re.compile(r"PATH|LANG|LANGUAGE|LC_[A-Z]+|TZ|JAVA_HOME|SPARK_HOME|SPARK_CONF_DIR|STEDI_\w+")
SECRET = re.compile(r"TOKEN|SECRET|PASSW|KEY|CREDENTIAL|AUTH|SESSION|COOKIE|PRIVATE", re.I)
REPO = Path(__file__).resolve().parents[1]


def unprivileged_user() -> tuple[int, int, str]:
    """The user a root grader runs the child as: nobody (65534), which owns no file."""
    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid, "nobody"
    except KeyError:
        return 65534, 65534, "nobody"


def child_environment(home: str, tmp: str, cds_archive: Path | None) -> tuple[dict, list[str]]:
    """The child's environment, and the names kept from the grader's."""
    kept = {k: v for k, v in os.environ.items() if KEPT.fullmatch(k) and not SECRET.search(k)}
    env = dict(kept)
    env.update(
        HOME=home,
        TMPDIR=tmp,
        XDG_CACHE_HOME=f"{home}/.cache",
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_CONFIG_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        PYTHONPATH=str(REPO),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        PYSPARK_PYTHON=sys.executable,
        SPARK_LOCAL_IP="127.0.0.1",
        SPARK_LOCAL_HOSTNAME="localhost",
    )
    env.setdefault("PATH", os.defpath)
    if cds_archive is not None:  # the grader's class-data archive, mapped read-only
        env["STEDI_CDS_ARCHIVE"] = str(cds_archive)
    else:
        env["STEDI_CDS"] = "0"  # a child never records one for the grader to map
    return env, sorted(kept)


def _java_home() -> Path | None:
    home = os.environ.get("JAVA_HOME")
    if home:
        return Path(home).resolve()
    java = shutil.which("java")
    return Path(os.path.realpath(java)).parents[1] if java else None


def code_paths() -> list[Path]:
    """Folders the child must read to run at all: Python, the packages, this repository, Java."""
    import site

    paths = [Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent]
    paths += [Path(p) for p in site.getsitepackages()]
    paths += [REPO, _java_home()]
    return [p.resolve() for p in paths if p is not None and p.exists()]


def _inside(path: Path, folders) -> bool:
    return any(path == f or f in path.parents for f in folders)


@dataclass
class Sandbox:
    """One grade's child: its own folder (its /tmp and HOME, the mount point of its new root)
    and what it may see. `command()` gives the argv to start a program in it."""

    lake: Path
    project: Path
    cds_archive: Path | None = None
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="stedi-grade-")))
    uid: int | None = None
    gid: int | None = None
    user: str | None = None

    def __post_init__(self) -> None:
        self.folder.chmod(0o755)  # the unprivileged child must reach its tmp below it
        (self.folder / "root").mkdir()
        (self.folder / "tmp" / "home").mkdir(parents=True)
        if os.geteuid() == 0:
            self.uid, self.gid, self.user = unprivileged_user()
            for path in (self.tmp, self.tmp / "home"):  # the child's from its first step
                os.lchown(path, self.uid, self.gid)

    @property
    def tmp(self) -> Path:
        return self.folder / "tmp"

    def hand_over(self) -> None:
        """As root, once the landing files are laid: the lake becomes the unprivileged
        user's, as the learner's bucket was theirs (nothing else of the grader's is)."""
        if self.uid is None:
            return
        os.lchown(self.lake, self.uid, self.gid)
        for folder, dirs, files in os.walk(self.lake):
            for name in dirs + files:
                os.lchown(os.path.join(folder, name), self.uid, self.gid)

    def spec(self, fds: tuple[int, ...]) -> dict:
        """What grading/sandbox/enter.py builds: the new root's bind mounts, the user."""
        binds, links = [], []
        system = []
        for name in SYSTEM_DIRS:
            path = Path("/") / name
            if path.is_symlink():
                links.append({"target": os.readlink(path), "path": str(path)})
            elif path.is_dir():
                binds.append({"src": str(path), "dst": str(path), "rw": False})
                system.append(path)
        home = Path(os.path.expanduser("~")).resolve()
        exposed = list(system)
        for path in code_paths():
            # Never the grader's HOME itself (nor / or a folder holding HOME): only below it.
            if _inside(path, exposed) or path == home or path in home.parents:
                continue
            binds.append({"src": str(path), "dst": str(path), "rw": False})
            exposed.append(path)
        binds.append({"src": str(self.tmp), "dst": "/tmp", "rw": True})
        binds.append({"src": str(self.project), "dst": str(self.project), "rw": False})
        binds.append({"src": str(self.lake), "dst": str(self.lake), "rw": True})
        if self.cds_archive is not None:
            binds.append({"src": str(self.cds_archive), "dst": str(self.cds_archive), "rw": False})
        return {
            "root": str(self.folder / "root"),
            "binds": binds,
            "symlinks": links,
            "devices": list(DEVICES),
            "cwd": "/tmp",
            "uid": self.uid,
            "gid": self.gid,
            "report_fd": fds[-1],
            "close_fds": list(fds),
        }

    def command(self, program: list[str], fds: tuple[int, ...], mode: str):
        """(argv, env, cwd) starting `program` in this sandbox, in `mode`; `fds` are the
        pipes the program keeps (the last one is where enter.py says it is in)."""
        if mode == NAMESPACES:
            env, _ = child_environment("/tmp/home", "/tmp", self.cds_archive)
            unshare = ["unshare", "--net", "--mount", "--pid", "--fork", "--kill-child"]
            if os.geteuid() != 0:
                unshare += ["--user", "--map-root-user"]
            enter = [sys.executable, "-P", "-m", "grading.sandbox.enter"]
            argv = [*unshare, "--", *enter, json.dumps(self.spec(fds)), "--", *program]
            return argv, env, str(self.folder)
        env, _ = child_environment(str(self.tmp / "home"), str(self.tmp), self.cds_archive)
        return list(program), env, str(self.tmp)

    def popen(self, program: list[str], fds: tuple[int, ...], mode: str, **kwargs):
        argv, env, cwd = self.command(program, fds, mode)
        return subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            pass_fds=fds,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **kwargs,
        )

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def namespaces_unavailable() -> str | None:
    """Why this machine cannot give the child namespaces (None: it may; enter.py tries)."""
    if not sys.platform.startswith("linux"):
        return f"no Linux namespaces on {sys.platform}"
    if shutil.which("unshare") is None:
        return "`unshare` (util-linux) is not installed"
    if os.environ.get("STEDI_GRADE_ISOLATION") == PROCESS:
        return "STEDI_GRADE_ISOLATION=process"
    return None


def describe(mode: str, sandbox: Sandbox, job_timeout: float, memory_limit: int,
             why_not: str | None = None) -> dict:  # fmt: skip
    """The report's "isolation" section: what held for the learner's jobs."""
    _, kept = child_environment("", "", None)
    gib = memory_limit / 2**30
    out = {
        "mode": mode,
        "environment": "scrubbed: only " + ", ".join(kept) + " kept; HOME and TMPDIR the "
        "child's own; AWS_* and other credentials removed; AWS_EC2_METADATA_DISABLED=true",
        "job_timeout_s": job_timeout,
        "memory_limit": f"{gib:g} GiB (resident memory of the child's processes)",
    }
    if mode == NAMESPACES:
        user = (
            f"{sandbox.user} (uid {sandbox.uid})"
            if sandbox.uid is not None
            else ("the grader's user, mapped to root of a user namespace")
        )
        out.update(
            network="none: a network namespace with loopback only",
            filesystem="a new root: system folders, code and project read-only; writable: "
            "the lake and the child's temp folder; the grader's HOME, data and report absent",
            user=f"{user}, no capabilities, no_new_privs",
            processes="a PID namespace: every process ends with the grade",
        )
    else:
        out.update(
            why_not=why_not or "no namespaces here",
            network="the grader's network",
            filesystem="the grader's files, as the grader's user",
            user="the grader's user",
            processes="a process session of its own, ended with the grade",
        )
    return out


def summary(isolation: dict) -> str:
    """One line for the terminal and report.md."""
    limits = f"{isolation['job_timeout_s']:g} s per job, {isolation['memory_limit'].split(' (')[0]}"
    if isolation["mode"] == NAMESPACES:
        return (
            "isolation: namespaces (no network; read-only root, writable lake and temp; "
            f"{isolation['user'].split(',')[0]}; own PIDs); environment scrubbed; {limits}"
        )
    return (
        f"isolation: a plain child process, the grader's files and network within its reach "
        f"({isolation['why_not']}); environment scrubbed; {limits}"
    )


# -- what the grader checks when it gets the lake back ---------------------------------------


def reclaim_lake(root: Path) -> list[str]:
    """Remove from the lake what a job could plant to make the grader read elsewhere or hang:
    symbolic links, FIFOs, sockets, device nodes and hard links. Nothing a Glue job writes
    is one of these. Returns the paths removed, relative to the lake."""
    import stat

    removed = []
    for folder, dirs, files in os.walk(root):  # never follows a link
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            mode = info.st_mode
            if stat.S_ISDIR(mode) or (stat.S_ISREG(mode) and info.st_nlink == 1):
                continue
            os.unlink(path)
            removed.append(os.path.relpath(path, root))
        dirs[:] = [d for d in dirs if os.path.isdir(os.path.join(folder, d))]
    return sorted(removed)


def fingerprint(files: list[Path]) -> dict[str, tuple]:
    """What changes when a file's content or metadata changes (ctime cannot be set back)."""
    out = {}
    for path in files:
        info = os.lstat(path)
        out[str(path)] = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return out
