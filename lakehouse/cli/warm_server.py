"""The warm runtime's server: `python -m lakehouse.cli.warm_server SOCKET` (see warm.py).

It starts Spark, warms it with a tiny JSON-to-Parquet job, then runs `lakehouse job` and
`lakehouse run` requests one at a time, each in a new Spark session made active for the request, in the client's
working directory and environment, its output sent back as frames. It stops after the idle
time, on a stop request, or when its socket file is gone.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import sys
import tempfile
from pathlib import Path

from lakehouse.cli import warm
from lakehouse.cli.run import PRELOAD_ENV
from localglue.spark import job_session, stopped

# The server's own Spark and Python-worker settings stay: the JVM started with them.
KEEP_ENV = ("PYSPARK_", "SPARK_", "JAVA_", "PY4J", "PYTHONPATH")


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
        # Modules the job imported from its own folder are read afresh next time.
        for name in set(sys.modules) - saved_modules:
            file = getattr(sys.modules[name], "__file__", None) or ""
            if file and not file.startswith((sys.prefix, sys.base_prefix, str(warm.PROJECT))):
                del sys.modules[name]


def _handle(conn: socket.socket, spark) -> bool:
    """One connection; False when asked to stop (or when the job stopped Spark)."""
    from lakehouse.cli import main as cli_main

    reader = conn.makefile("rb")
    line = reader.readline()
    if not line:
        return True
    request = json.loads(line)
    if request.get("stop"):
        conn.sendall(warm.frame(b"x", b'{"code": 0}'))
        return False
    code = 2
    if request.get("argv", [None])[0] not in warm.COMMANDS:
        conn.sendall(warm.frame(b"e", b"error: the warm runtime runs `lakehouse job` and `run`\n"))
    else:
        try:
            with _request(conn, request, spark):
                try:
                    code = cli_main(request["argv"])
                except SystemExit as exc:  # argparse: usage errors
                    code = exc.code if isinstance(exc.code, int) else 2
        except Exception as exc:  # noqa: BLE001 - reported to the client; the server goes on
            message = f"error: {type(exc).__name__}: {exc}\n"
            with contextlib.suppress(OSError):
                conn.sendall(warm.frame(b"e", message.encode()))
            code = 1
    going_on = not stopped(spark)
    if not going_on:
        note = "the job stopped Spark, and the warm runtime with it; `lakehouse warm` restarts it\n"
        conn.sendall(warm.frame(b"e", note.encode()))
    with contextlib.suppress(OSError):
        conn.sendall(warm.frame(b"x", json.dumps({"code": code}).encode()))
    return going_on


def serve(path: Path) -> int:
    from localglue.spark import get_spark

    warm.IN_SERVER = True
    spark = get_spark()
    _warm_up(spark)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a socket left by a killed server
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    os.chmod(path, 0o600)
    server.listen(8)
    server.settimeout(warm.idle_seconds())
    try:
        while path.exists():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                break  # idle long enough
            with conn:
                conn.settimeout(None)
                if not _handle(conn, spark):
                    break
    finally:
        server.close()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(serve(Path(sys.argv[1])))
