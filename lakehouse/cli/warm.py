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
environment, and its script (and modules next to it) is read afresh. A server is keyed by
the Python, the project's code and the Spark settings: after an edit of the runtime, or
with other STEDI_* Spark settings, `lakehouse job` runs cold until `lakehouse warm` starts
a server that matches.

Protocol (a Unix socket, in a folder only its user can enter): one JSON line from the
client, {"argv": [...], "cwd": ..., "env": {...}} or {"stop": true}; then frames from the
server: one byte (o: stdout, e: stderr, x: exit), a 4-byte length, the payload (x: JSON
{"code": n}).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
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
PACKAGES = ("localglue", "stedi", "lakehouse")
PROJECT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180
COMMANDS = ("job", "run")  # what a warm runtime runs
IN_SERVER = False  # set by warm_server: its own jobs never ask a server
OFF_ENV = "STEDI_WARM"  # 0: `lakehouse job` never uses a warm runtime (the test suite sets it)


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
    if args.status:
        up = alive(socket_path())
        print(
            "a warm runtime is running" if up else "no warm runtime for this project and settings"
        )
        return 0 if up else 1
    path = socket_path()
    if alive(path):
        print("a warm runtime is already running; `lakehouse job` and `run` use it")
        return 0
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
    from localglue.spark import private_dir

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "stedi-lakehouse" / "warm"
    if not private_dir(path):
        raise LakehouseError(f"{path} is not a folder of yours alone (mode 0700); remove it")
    return path


def key() -> str:
    """The Python, the project's code (every .py: name, size, mtime) and Spark's settings."""
    digest = hashlib.sha256(sys.executable.encode())
    for package in PACKAGES:
        for file in sorted((PROJECT / package).rglob("*.py")):
            info = file.stat()
            digest.update(f"{file.relative_to(PROJECT)} {info.st_size} {info.st_mtime_ns}".encode())
    for name in SPARK_ENV:
        digest.update(f"{name}={os.environ.get(name, '')}".encode())
    return digest.hexdigest()[:16]


def socket_path() -> Path:
    """<cache>/stedi-lakehouse/warm/<key>.sock; under a deep home, where that exceeds a Unix
    socket's path limit (~108 bytes), the same name in a private folder of the temp dir."""
    path = folder() / f"{key()}.sock"
    if len(os.fsencode(path)) < SOCKET_PATH_MAX:
        return path
    return short_folder() / path.name


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
    conn = _connect(path, timeout=5)
    if conn is None:
        return False
    conn.close()
    return True


def start(path: Path) -> None:
    """Start a detached server and wait until it accepts jobs (its log: <key>.log)."""
    log = path.with_suffix(".log")
    print("starting the warm runtime (Spark) ...", file=sys.stderr, flush=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lakehouse.cli.warm_server", str(path)],
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


def stop_all() -> int:
    stopped = 0
    folders = [folder()]
    with contextlib.suppress(LakehouseError):
        folders.append(short_folder())
    for path in [p for f in folders for p in f.glob("*.sock")]:
        conn = _connect(path, timeout=5)
        if conn is None:
            with contextlib.suppress(OSError):
                path.unlink()  # left by a server that was killed
            continue
        with conn:
            conn.sendall(json.dumps({"stop": True}).encode() + b"\n")
            with contextlib.suppress(OSError):
                _relay(conn)
        stopped += 1
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
    print("running on the warm runtime (`lakehouse warm --stop` stops it)", file=sys.stderr)
    with conn:
        request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
        conn.sendall(json.dumps(request).encode() + b"\n")
        code = _relay(conn)
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


def _relay(conn: socket.socket) -> int | None:
    """Print the server's stdout and stderr frames here; the exit code (None: cut off)."""
    streams = {b"o": sys.stdout, b"e": sys.stderr}
    while True:
        head = _read(conn, 5)
        if head is None:
            return None
        kind, size = head[:1], struct.unpack(">I", head[1:])[0]
        payload = _read(conn, size) if size else b""
        if payload is None:
            return None
        if kind == b"x":
            return int(json.loads(payload)["code"])
        stream = streams.get(kind)
        if stream is not None:
            stream.write(payload.decode("utf-8", errors="replace"))
            stream.flush()


def frame(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack(">I", len(payload)) + payload
