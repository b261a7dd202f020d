"""`python -m lakehouse warm [--stop | --status]`: keep a Spark runtime warm for `job` and `run`.

WHY: a fresh `lakehouse job` spends 3-4 s starting the JVM and seconds more warming it (class
loading, JIT) before the script's first line runs; on a warm JVM the same small job takes
about a second. `lakehouse warm` starts a background server (lakehouse/cli/warm_server.py)
holding a started Spark; while it runs, `lakehouse job` and `lakehouse run` hand their command
to it and print what the server sends back (`run` validates in the server after the jobs: Great
Expectations is imported there once, at the first run). Like Gradle's daemon: opt-in, per user, stopped after
STEDI_WARM_IDLE seconds without a job (default 1800) or by `lakehouse warm --stop`;
STEDI_WARM=0 makes `lakehouse job` ignore it.

Each job gets a new Spark session on the warm SparkContext (its own SQL conf, temporary
views and UDFs, as a new Glue job run would), runs in the client's working directory and
environment, and its script (and modules next to it) is read afresh.

One server per user (its socket and lock in a folder only that user can enter): `warm`
started twice at once leaves one server (a lock), and a `warm` for other code or settings
replaces the running one. The server is keyed by the Python, the installed packages, every
file of this project's packages and data folders (derived from the installation, not listed)
and the Spark settings: a client whose key differs (an edit of validation/, say, or other
STEDI_* Spark settings) is told so and runs cold until `lakehouse warm` restarts the server.

Protocol (a Unix socket; the server checks the peer is this user, SO_PEERCRED): one JSON line
from the client, {"argv": [...], "cwd": ..., "env": {...}, "key": ...}, {"status": true} or
{"stop": true}; then frames from the server: one byte (o: stdout, e: stderr, x: exit), a
4-byte length, the payload (x: JSON {"code": n}, or {"code": null, "key": ...} when the
client's key is not the server's). A malformed request is an error to that client only.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import site
import socket
import struct
import subprocess
import sys
import tempfile
import time
from importlib import metadata, util
from pathlib import Path

from localglue.errors import LakehouseError

IDLE_ENV, IDLE_DEFAULT = "STEDI_WARM_IDLE", 1800
# Settings the server's Spark was started with: a client with others runs cold.
SPARK_ENV = (
    "STEDI_SPARK_MASTER",
    "STEDI_DRIVER_MEMORY",
    "STEDI_SHUFFLE_PARTITIONS",
    "STEDI_CDS",
    "JAVA_HOME",
    "SPARK_HOME",
    "SPARK_CONF_DIR",
)
START_TIMEOUT = 180
STOP_TIMEOUT = 60
COMMANDS = ("job", "run")  # what a warm runtime runs
IN_SERVER = False  # set by warm_server: its own jobs never ask a server
OFF_ENV = "STEDI_WARM"  # 0: `lakehouse job` never uses a warm runtime (the test suite sets it)
SOCKET_NAME = "warm.sock"


def register(sub) -> None:
    parser = sub.add_parser(
        "warm",
        help="keep a Spark runtime warm in the background for `lakehouse job` and `run`",
        description="Start a background server holding a started Spark; while it runs, "
        "`lakehouse job` and `lakehouse run` run on it (about a second for a small job "
        "instead of several). "
        f"It stops after ${IDLE_ENV} idle seconds (default {IDLE_DEFAULT}) or with --stop.",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--stop", action="store_true", help="stop every warm runtime of yours")
    what.add_argument("--status", action="store_true", help="say whether one is running")
    parser.set_defaults(func=run)


def run(args) -> int:
    if args.stop:
        stopped = stop_all()
        print(f"stopped {stopped} warm runtime(s)" if stopped else "no warm runtime was running")
        return 0
    path = socket_path()
    if args.status:
        running = server_key(path)
        if running is None:
            print("no warm runtime is running")
            return 1
        if running != key():
            print(
                "a warm runtime is running, started before an edit of this project or with "
                "other Spark settings: `lakehouse warm` restarts it"
            )
            return 1
        print("a warm runtime is running")
        return 0
    with start_lock():  # two `warm` at once: the second waits, then finds the first's server
        running = server_key(path)
        if running == key():
            print("a warm runtime is already running; `lakehouse job` and `run` use it")
            return 0
        if running is not None:
            print("stopping the warm runtime of older code or other settings", file=sys.stderr)
            stop(path)
        start(path)
    print(
        "warm runtime ready: `lakehouse job` and `run` now run on it; it stops after "
        f"{idle_seconds()} idle seconds or with `.venv/bin/python -m lakehouse warm --stop`"
    )
    return 0


def idle_seconds() -> int:
    try:
        return max(1, int(os.environ.get(IDLE_ENV) or IDLE_DEFAULT))
    except ValueError:
        raise LakehouseError(f"{IDLE_ENV} must be a number of seconds") from None


def folder() -> Path:
    """Per user, mode 0700: whoever can reach the socket can run jobs as you."""
    from localglue.spark import user_dir

    return user_dir("warm")


def project_packages() -> list[str]:
    """This installation's top-level packages, from its own metadata (top_level.txt)."""
    top = __name__.split(".")[0]
    names: list[str] = []
    for dist in metadata.packages_distributions().get(top, []):
        with contextlib.suppress(metadata.PackageNotFoundError):
            names += (metadata.distribution(dist).read_text("top_level.txt") or "").split()
    return sorted(set(names) or {top})


def project_files() -> list[Path]:
    """Every file the server runs or reads of this project: each package's files (validation
    and grading too) and the data folders (DDL, suites, jobs, IAM)."""
    from stedi.resources import DATA_FOLDERS, data_dir

    roots = []
    for name in project_packages():
        spec = util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            roots += [Path(p) for p in spec.submodule_search_locations]
    roots += [data_dir(name) for name in DATA_FOLDERS]
    return sorted(
        file
        for root in roots
        for file in root.rglob("*")
        if "__pycache__" not in file.parts and file.is_file()
    )


def key() -> str:
    """The Python, the installed packages, the project's files (name, size, mtime) and
    Spark's settings: a server with another key runs other code than the client would."""
    digest = hashlib.sha256(sys.executable.encode())
    for folder in [*site.getsitepackages(), site.getusersitepackages()]:
        with contextlib.suppress(OSError):  # a pip install or upgrade changes the listing
            digest.update(f"{folder} {os.stat(folder).st_mtime_ns}".encode())
    for file in project_files():
        info = file.stat()
        digest.update(f"{file} {info.st_size} {info.st_mtime_ns}".encode())
    for name in SPARK_ENV:
        digest.update(f"{name}={os.environ.get(name, '')}".encode())
    return digest.hexdigest()[:16]


def socket_path() -> Path:
    """<cache>/stedi-lakehouse/warm/warm.sock; under a deep home, where that exceeds a Unix
    socket's path limit (~108 bytes), the same name in a private folder of the temp dir."""
    path = folder() / SOCKET_NAME
    if len(os.fsencode(path)) < SOCKET_PATH_MAX:
        return path
    return short_folder() / path.name


@contextlib.contextmanager
def start_lock():
    """Held while a `warm` command checks for, stops and starts the server."""
    with open(folder() / "start.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


SOCKET_PATH_MAX = 100


def short_folder() -> Path:
    from localglue.spark import private_dir

    path = Path(tempfile.gettempdir()) / f"stedi-lakehouse-{os.getuid()}" / "warm"
    if not private_dir(path.parent) or not private_dir(path):
        raise LakehouseError(f"{path} is not a folder of yours alone (mode 0700); remove it")
    return path


def _connect(path: Path, timeout: float | None = None) -> socket.socket | None:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(timeout)
    try:
        conn.connect(str(path))
    except OSError:
        conn.close()
        return None
    return conn


def alive(path: Path) -> bool:
    return server_key(path) is not None


def _ask(path: Path, request: dict, timeout: float = 10) -> dict | None:
    """One request whose answer is a single exit frame: its JSON, or None (no server)."""
    conn = _connect(path, timeout=timeout)
    if conn is None:
        return None
    with conn:
        try:
            conn.sendall(json.dumps(request).encode() + b"\n")
            head = _read(conn, 5)
            if head is None or head[:1] != b"x":
                return None
            payload = _read(conn, struct.unpack(">I", head[1:])[0])
        except OSError:
            return None
    return json.loads(payload) if payload else None


def server_key(path: Path) -> str | None:
    """The running server's key, or None when none answers at `path`."""
    answer = _ask(path, {"status": True})
    return None if answer is None else str(answer.get("key"))


def start(path: Path) -> None:
    """Start a detached server and wait until it accepts jobs (its log: warm.log)."""
    log = path.with_suffix(".log")
    print("starting the warm runtime (Spark) ...", file=sys.stderr, flush=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lakehouse.cli.warm_server", str(path), key()],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,  # outlives this command and its terminal's Ctrl-C
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if alive(path):
            return
        if proc.poll() is not None:
            raise LakehouseError(
                f"the warm runtime did not start (exit {proc.returncode}); see {log}"
            )
        time.sleep(0.2)
    proc.terminate()
    raise LakehouseError(f"the warm runtime did not start in {START_TIMEOUT} s; see {log}")


def stop(path: Path) -> bool:
    """Ask the server at `path` to stop and wait until it has: True if one was running."""
    if _ask(path, {"stop": True}) is None:
        return False
    deadline = time.monotonic() + STOP_TIMEOUT
    while alive(path) and time.monotonic() < deadline:
        time.sleep(0.2)
    return True


def stop_all() -> int:
    stopped = 0
    folders = [folder()]
    with contextlib.suppress(LakehouseError):
        folders.append(short_folder())
    for path in [p for f in folders for p in f.glob("*.sock")]:
        if stop(path):
            stopped += 1
        else:
            with contextlib.suppress(OSError):
                path.unlink()  # left by a server that was killed
    return stopped


def submit(argv: list[str], master: str | None = None) -> int | None:
    """Run `lakehouse <argv>` on the warm runtime; its exit code, or None when none runs or
    the command asks for its own Spark `master` (the caller then runs it cold)."""
    if master or IN_SERVER or os.environ.get(OFF_ENV) == "0":
        return None
    try:
        conn = _connect(socket_path())
    except (OSError, LakehouseError):  # no private cache folder to be had: nothing is warm
        return None
    if conn is None:
        return None
    mine = key()
    with conn:
        request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "key": mine}
        conn.sendall(json.dumps(request).encode() + b"\n")
        code = _relay(conn, note="running on the warm runtime (`lakehouse warm --stop` stops it)")
    if code == STALE:
        print(
            "the warm runtime was started before an edit of this project (or with other Spark "
            "settings): running cold; `lakehouse warm` restarts it",
            file=sys.stderr,
        )
        return None
    if code is None:
        raise LakehouseError(
            "the warm runtime stopped during the job; nothing it staged was committed. "
            "Run the job again (cold without `lakehouse warm`)"
        )
    return code


def _read(conn: socket.socket, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


STALE = -1  # _relay's answer when the server's key is not the client's


def _relay(conn: socket.socket, note: str | None = None) -> int | None:
    """Print the server's stdout and stderr frames here (after `note`, once the server has
    taken the job); the exit code, STALE, or None when cut off."""
    streams = {b"o": sys.stdout, b"e": sys.stderr}
    while True:
        head = _read(conn, 5)
        if head is None:
            return None
        kind, size = head[:1], struct.unpack(">I", head[1:])[0]
        payload = _read(conn, size) if size else b""
        if payload is None:
            return None
        if kind == b"x" and json.loads(payload)["code"] is None:
            return STALE
        if note is not None:
            print(note, file=sys.stderr)
            note = None
        if kind == b"x":
            return int(json.loads(payload)["code"])
        stream = streams.get(kind)
        if stream is not None:
            stream.write(payload.decode("utf-8", errors="replace"))
            stream.flush()


def frame(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack(">I", len(payload)) + payload
