"""The warm runtime's server: `python -m lakehouse.cli.warm_server SOCKET KEY` (see warm.py).

It takes the user's server lock (one server per user), starts Spark, warms it with a tiny
JSON-to-Parquet job, then answers requests one at a time: `lakehouse job` and `lakehouse run`
each in a new Spark session made active for the request, in the client's working directory
and environment, its output sent back as frames. It stops after the idle time, on a stop
request, or when its socket file is gone.

Whatever a connection sends, only that connection gets the error: a peer that is not this
user, a line that is not a request (not UTF-8, not JSON, not an object, too long, wrong field
types), a client that sends nothing or leaves. The server goes on.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import socket
import struct
import sys
import tempfile
import traceback
from pathlib import Path

from lakehouse.cli import warm
from lakehouse.cli.run import PRELOAD_ENV
from localglue.spark import job_session, stopped

# The server's own Spark and Python-worker settings stay: the JVM started with them.
KEEP_ENV = ("PYSPARK_", "SPARK_", "JAVA_", "PY4J", "PYTHONPATH")
MAX_REQUEST = 1 << 20  # bytes of one request line (a client's whole environment fits)
REQUEST_TIMEOUT = 10  # seconds a client has to send its request line


class BadRequest(ValueError):
    """A request line the server cannot act on: an error to that client only."""


def parse_request(line: bytes) -> dict:
    """The request in one line, checked field by field, or BadRequest saying what is wrong."""
    if len(line) > MAX_REQUEST:
        raise BadRequest(f"request longer than {MAX_REQUEST} bytes")
    try:
        request = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("request is not UTF-8") from None
    except ValueError:
        raise BadRequest("request is not one JSON line") from None
    if not isinstance(request, dict):
        raise BadRequest(f"request is a JSON {type(request).__name__}, not an object")
    if request.get("stop") is True or request.get("status") is True:
        return request
    argv, cwd, env = request.get("argv"), request.get("cwd"), request.get("env")
    if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
        raise BadRequest('"argv" must be a non-empty list of strings')
    if argv[0] not in warm.COMMANDS:
        raise BadRequest("the warm runtime runs `lakehouse job` and `run`")
    if not (isinstance(cwd, str) and os.path.isabs(cwd) and "\0" not in cwd):
        raise BadRequest('"cwd" must be an absolute path')
    if not (isinstance(env, dict) and all(_env_item(k, v) for k, v in env.items())):
        raise BadRequest('"env" must map names to strings')
    if not isinstance(request.get("key"), str):
        raise BadRequest('"key" must be a string')
    if any("\0" in a for a in argv):
        raise BadRequest('"argv" must not hold NUL characters')
    return request


def _env_item(name, value) -> bool:
    return (
        isinstance(name, str)
        and isinstance(value, str)
        and name
        and "=" not in name
        and "\0" not in name + value
    )


def peer_uid(conn: socket.socket) -> int:
    """The connecting process's user id, as the kernel reports it (SO_PEERCRED)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


class _Frames(io.TextIOBase):
    """A text stream that sends what is written to the client as frames of one kind."""

    def __init__(self, conn: socket.socket, kind: bytes):
        self.conn, self.kind = conn, kind

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if text:
            with contextlib.suppress(OSError):  # the client left: the job still finishes
                self.conn.sendall(warm.frame(self.kind, text.encode("utf-8")))
        return len(text)


def _warm_up(spark) -> None:
    """Load and compile what a first job needs (JSON read, SQL, Parquet write)."""
    with tempfile.TemporaryDirectory(prefix="stedi-warm-") as tmp:
        source = Path(tmp) / "in.json"
        source.write_text('{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n')
        frame = spark.read.json(str(source))
        frame.createOrReplaceTempView("warm_up")
        spark.sql("SELECT a, b FROM warm_up WHERE a > 1").write.parquet(str(Path(tmp) / "out"))
        spark.catalog.dropTempView("warm_up")


@contextlib.contextmanager
def _request(conn: socket.socket, request: dict, spark):
    """The client's directory, environment and output, and a new Spark session, for one job."""
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    saved_out, saved_err = sys.stdout, sys.stderr
    saved_modules = set(sys.modules)
    try:
        os.chdir(request["cwd"])
        kept = {k: v for k, v in os.environ.items() if k.startswith(KEEP_ENV)}
        os.environ.clear()
        # Validation runs here, after the jobs: a preloaded child would print to the log.
        os.environ.update({**request["env"], **kept, PRELOAD_ENV: "0"})
        sys.stdout, sys.stderr = _Frames(conn, b"o"), _Frames(conn, b"e")
        with job_session(spark):
            yield
    finally:
        sys.stdout, sys.stderr = saved_out, saved_err
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        # Modules the job imported from its own folder are read afresh next time; the
        # project's and the installed ones stay (the key says when they change).
        for name in set(sys.modules) - saved_modules:
            if not _kept(name, getattr(sys.modules[name], "__file__", None)):
                del sys.modules[name]


def _kept(name: str, file: str | None) -> bool:
    """A module the server keeps loaded: the project's own, the standard library's, an
    installed one. Paths are compared by whole components: /venv-other is not in /venv."""
    if not file or name.split(".")[0] in _project_packages():
        return True
    where = Path(os.path.abspath(file))
    return any(where.is_relative_to(prefix) for prefix in {sys.prefix, sys.base_prefix})


_project: list[str] = []


def _project_packages() -> list[str]:
    if not _project:
        _project.extend(warm.project_packages())
    return _project


def _reply(conn: socket.socket, code: int | None, message: str | None = None, **extra) -> None:
    """An error line (if any) and the exit frame; a client that left is not an error here."""
    with contextlib.suppress(OSError):
        if message:
            conn.sendall(warm.frame(b"e", f"error: {message}\n".encode()))
        conn.sendall(warm.frame(b"x", json.dumps({"code": code, **extra}).encode()))


def _read_request(conn: socket.socket) -> bytes | None:
    """One line, at most MAX_REQUEST bytes (+ newline); None if the client sent nothing."""
    conn.settimeout(REQUEST_TIMEOUT)
    line = conn.makefile("rb").readline(MAX_REQUEST + 2)
    conn.settimeout(None)
    if not line:
        return None
    if not line.endswith(b"\n") and len(line) > MAX_REQUEST:
        raise BadRequest(f"request longer than {MAX_REQUEST} bytes")
    return line


def _handle(conn: socket.socket, spark, key: str) -> bool:
    """One connection; False when asked to stop (or when the job stopped Spark)."""
    from lakehouse.cli import main as cli_main

    if peer_uid(conn) != os.getuid():
        _reply(conn, 2, "the warm runtime serves only the user who started it")
        return True
    try:
        line = _read_request(conn)
        if line is None:
            return True
        request = parse_request(line)
    except (BadRequest, TimeoutError) as exc:
        _reply(conn, 2, f"bad request to the warm runtime: {exc or 'no request line in time'}")
        return True
    if request.get("status") is True:
        _reply(conn, 0, key=key)
        return True
    if request.get("stop") is True:  # {"stop": {"a": 1}} is not a stop request
        _reply(conn, 0)
        return False
    if request["key"] != key:
        _reply(conn, None, key=key)  # the client runs other code: it runs cold
        return True
    code = 2
    try:
        with _request(conn, request, spark):
            try:
                code = cli_main(request["argv"])
            except SystemExit as exc:  # argparse: usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:  # noqa: BLE001 - reported to the client; the server goes on
        _reply(conn, 1, f"{type(exc).__name__}: {exc}")
        return not stopped(spark)
    going_on = not stopped(spark)
    if not going_on:
        note = "the job stopped Spark, and the warm runtime with it; `lakehouse warm` restarts it\n"
        with contextlib.suppress(OSError):
            conn.sendall(warm.frame(b"e", note.encode()))
    _reply(conn, code)
    return going_on


@contextlib.contextmanager
def server_lock(path: Path):
    """The user's one server: held for the server's life; a second server exits at once."""
    with open(path.with_suffix(".lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"another warm runtime holds {handle.name}; exiting") from None
        yield


def serve(path: Path, key: str) -> int:
    from localglue.spark import get_spark

    warm.IN_SERVER = True
    with server_lock(path):
        spark = get_spark()
        _warm_up(spark)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # a socket left by a killed server (we hold the lock: none runs)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        os.chmod(path, 0o600)
        mine = os.stat(path).st_ino
        server.listen(8)
        server.settimeout(warm.idle_seconds())
        try:
            while _still_ours(path, mine):
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    break  # idle long enough
                with conn:
                    try:
                        if not _handle(conn, spark, key):
                            break
                    except Exception:  # noqa: BLE001 - one connection's failure, in the log
                        traceback.print_exc()
        finally:
            server.close()
            if _still_ours(path, mine):
                path.unlink()
    return 0


def _still_ours(path: Path, inode: int) -> bool:
    try:
        return os.stat(path).st_ino == inode
    except OSError:
        return False


if __name__ == "__main__":
    raise SystemExit(serve(Path(sys.argv[1]), sys.argv[2]))
