"""`lakehouse warm`: `lakehouse job` on a Spark runtime kept warm in the background
(lakehouse/cli/warm.py). Each job gets its own Spark session, the client's directory and
environment, its script and the modules next to it read afresh; `--stop` ends it and jobs run
cold again. One server for the module (it starts a JVM), in a private cache folder, running a
copy of this checkout: a test edits the copy's validation/ and sees the next run use it."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest
from checkout import copy_checkout

# One worker runs the module in file order: its tests share one server, the last one ends it.
pytestmark = pytest.mark.xdist_group("warm")

REPO = Path(__file__).resolve().parents[1]
WARM_NOTE = "running on the warm runtime"
STALE_NOTE = "started before an edit of this project"

HEADER = """\
import sys
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)
"""


def servers(socket_path: Path) -> list[psutil.Process]:
    """The warm servers serving `socket_path` (this module's), by their command line."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "lakehouse.cli.warm_server" in cmdline and str(socket_path) in cmdline:
            found.append(proc)
    return found


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """run(script_text, *args, cwd=None, env=None) -> CompletedProcess of `lakehouse job`.

    The server is started by two `lakehouse warm` commands at once: one server must result."""
    root = tmp_path_factory.mktemp("warm")
    checkout = copy_checkout(root / "checkout")
    env = dict(
        os.environ,
        PYTHONPATH=str(checkout),  # the copy's packages, not this worktree's
        XDG_CACHE_HOME=str(root / "cache"),  # this module's server only
        STEDI_CDS="0",  # no class archive written into the temp folder
        STEDI_WARM_IDLE="600",
        STEDI_WARM="1",  # conftest turns warm runtimes off for the rest of the suite
    )
    lake = root / "lake"
    landing = lake / "bucket" / "people" / "landing"
    landing.mkdir(parents=True)
    (landing / "people.json").write_text(
        "".join(json.dumps({"name": f"p{i}", "age": 20 + i}) + "\n" for i in range(5))
    )

    def command(*args):
        return [sys.executable, "-m", "lakehouse", *args]

    def lakehouse(*args, cwd=None, extra=None):
        return subprocess.run(
            command(*args),
            cwd=cwd or checkout,
            env={**env, **(extra or {})},
            capture_output=True,
            text=True,
            timeout=600,
        )

    both = [
        subprocess.Popen(
            command("warm"), cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=600) for proc in both]
    sock = root / "cache" / "stedi-lakehouse" / "warm" / "warm.sock"

    def run(text: str, name: str = "probe.py", folder: Path | None = None, **kw):
        folder = folder or root / "scripts"
        folder.mkdir(exist_ok=True)
        script = folder / name
        script.write_text(HEADER + textwrap.dedent(text) + "\njob.commit()\n")
        return lakehouse("job", "--lake", str(lake), str(script), **kw)

    run.lake, run.root, run.lakehouse, run.checkout, run.env = lake, root, lakehouse, checkout, env
    run.started, run.socket = list(zip([p.returncode for p in both], outputs, strict=True)), sock
    try:
        yield run
    finally:
        lakehouse("warm", "--stop")
        for proc in servers(sock):  # a server the stop did not reach: ours, by its pid
            proc.kill()


def test_two_warm_commands_started_together_leave_one_server(warm):
    codes = [code for code, _ in warm.started]
    said = [out.decode() for _, (out, _err) in warm.started]
    assert codes == [0, 0], [err.decode()[-2000:] for _, (_out, err) in warm.started]
    assert sum("warm runtime ready" in s for s in said) == 1
    assert sum("already running" in s for s in said) == 1
    assert len(servers(warm.socket)) == 1


def test_a_job_runs_on_the_warm_runtime_and_commits_its_table(warm):
    done = warm.lakehouse("warm", "--status")
    assert done.returncode == 0
    result = warm(
        """
        people = glueContext.create_dynamic_frame.from_options(connection_type="s3",
            format="json", connection_options={"paths": ["s3://bucket/people/landing/"]})
        glueContext.write_dynamic_frame.from_options(frame=people, connection_type="s3",
            format="glueparquet", connection_options={"path": "s3://bucket/people/trusted/"})
        """
    )
    assert result.returncode == 0, result.stderr
    assert WARM_NOTE in result.stderr
    assert "SUCCEEDED" in result.stdout + result.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(warm.lake / "bucket" / "people" / "trusted").num_rows == 5


def test_each_job_gets_a_new_spark_session(warm):
    """As each Glue job run does: no SQL conf or temporary view carries over."""
    first = warm(
        """
        spark.conf.set("spark.sql.shuffle.partitions", "7")
        spark.range(3).createOrReplaceTempView("left_behind")
        """,
        name="first.py",
    )
    assert first.returncode == 0, first.stderr
    second = warm(
        """
        print("partitions", spark.conf.get("spark.sql.shuffle.partitions"))
        print("views", [t.name for t in spark.catalog.listTables() if t.isTemporary])
        """,
        name="second.py",
    )
    assert second.returncode == 0, second.stderr
    assert WARM_NOTE in second.stderr
    partitions = os.environ.get("STEDI_SHUFFLE_PARTITIONS", "4")  # the server's setting
    assert f"partitions {partitions}\n" in second.stdout and "views []" in second.stdout


def test_the_clients_directory_environment_and_edited_modules_apply(warm, tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    probe = """
        import os, helper
        print("cwd", os.getcwd())
        print("probe", os.environ.get("STEDI_PROBE"))
        print("helper", helper.VALUE)
        """
    for value in (1, 2):  # the learner edits the module next to the script between runs
        (folder / "helper.py").write_text(f"VALUE = {value}\n")
        result = warm(probe, folder=folder, cwd=folder, extra={"STEDI_PROBE": f"run{value}"})
        assert result.returncode == 0, result.stderr
        assert WARM_NOTE in result.stderr
        assert f"cwd {folder}" in result.stdout
        assert f"probe run{value}" in result.stdout
        assert f"helper {value}" in result.stdout


def test_a_failing_job_exits_1_with_the_glue_summary(warm):
    result = warm('raise ValueError("planted failure")\n', name="broken.py")
    assert result.returncode == 1
    assert WARM_NOTE in result.stderr
    assert "failed" in result.stderr and "planted failure" in result.stderr


def test_stedi_warm_0_runs_the_job_in_its_own_process(warm):
    result = warm('print("pid", __import__("os").getpid())\n', extra={"STEDI_WARM": "0"})
    assert result.returncode == 0, result.stderr
    assert WARM_NOTE not in result.stderr and "pid" in result.stdout


def test_without_a_warm_runtime_submit_says_so_and_the_job_runs_cold(tmp_path, monkeypatch):
    from lakehouse.cli import warm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("STEDI_WARM", "1")
    assert warm.submit(["job", "x.py"]) is None  # lakehouse job then runs in its own process
    assert warm.stop_all() == 0


def test_other_spark_settings_change_the_key(tmp_path, monkeypatch):
    """Named for what it pins: an environment setting. Code edits: the stale-validation test."""
    from lakehouse.cli import warm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    before = warm.key()
    monkeypatch.setenv("STEDI_DRIVER_MEMORY", "3g")
    assert warm.key() != before


def test_a_run_of_the_five_jobs_runs_and_validates_on_the_warm_runtime(warm, tmp_path):
    from stedi.generator import generate

    generate(tmp_path / "sample", 40, seed=5)
    lake = str(tmp_path / "lake")
    ingested = warm.lakehouse("ingest", str(tmp_path / "sample"), "--lake", lake)
    assert ingested.returncode == 0, ingested.stderr
    result = warm.lakehouse("run", "--lake", lake)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert WARM_NOTE in result.stderr
    assert "machine_learning_curated" in result.stdout and "PASSED" in result.stdout
    report = json.loads((tmp_path / "reports" / "rubric" / "report.json").read_text())
    assert report["status"] == "passed"
    # the warm runtime's run asks for GX too: its suites agree and its Data Docs are written
    assert report["gx"] == {"checked": True, "agrees": True, "disagreements": []}
    assert Path(report["data_docs"]).is_file()


def _server_key(warm) -> str:
    from lakehouse.cli import warm as client

    return client.server_key(warm.socket)


def _send(path: Path, line: bytes, close_early: bool = False) -> tuple[int | None, bytes]:
    """One raw request line; (exit code from the x frame, the error text) or (None, b"")."""
    from lakehouse.cli import warm as client

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(60)
        conn.connect(str(path))
        try:
            conn.sendall(line)
            if close_early:
                return None, b""
            conn.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading it all (a too-long line)
        errors = b""
        while True:
            head = client._read(conn, 5)
            if head is None:
                return None, errors
            payload = client._read(conn, int.from_bytes(head[1:], "big")) or b""
            if head[:1] == b"e":
                errors += payload
            if head[:1] == b"x":
                return json.loads(payload)["code"], errors


def test_a_request_from_a_folder_that_is_gone_fails_and_the_runtime_goes_on(warm, tmp_path):
    request = {"argv": ["job", "probe.py"], "cwd": str(tmp_path / "gone"), "env": {}}
    request["key"] = _server_key(warm)
    code, errors = _send(warm.socket, json.dumps(request).encode() + b"\n")
    assert code == 1 and b"FileNotFoundError" in errors
    assert warm.lakehouse("warm", "--status").returncode == 0


@pytest.mark.parametrize(
    "line",
    [
        b"hello\n",
        b"[]\n",
        b'{"argv": []}\n',
        b'{"argv": ["job"], "cwd": 3, "env": {}, "key": "k"}\n',
        b'{"argv": ["sql", "SELECT 1"], "cwd": "/", "env": {}, "key": "k"}\n',
        b"\xff\xfe{}\n",
        b'{"argv": ["job", "x"' + b" " * (2 << 20) + b"]}\n",
        b"no newline and then the client waits",
    ],
    ids=["hello", "[]", "empty argv", "cwd type", "not job/run", "not utf-8", "2 MiB", "no nl"],
)
def test_a_malformed_request_is_an_error_to_that_client_only(warm, line):
    code, errors = _send(warm.socket, line)
    assert code == 2 and errors.startswith(b"error: ")
    assert _server_key(warm) is not None, "the server still answers"


FUZZ_LINES = 1000


def _fuzzed_lines(seed: int, key: str, cwd: str):
    """Request lines near valid ones: fields dropped, retyped or mangled, bytes flipped, lines
    cut, JSON of every shape, garbage. Never {"stop": true}: the server must still be there."""
    rng = random.Random(seed)
    valid = {"argv": ["job", "--help"], "cwd": cwd, "env": {"HOME": cwd}, "key": key}
    odd_values = [None, 0, -1, 1.5, True, "", "x" * 300, [], {}, ["job"], {"a": 1}, "\u0000"]
    for _ in range(FUZZ_LINES):
        request = json.loads(json.dumps(valid))
        for _ in range(rng.randint(1, 3)):
            field = rng.choice([*valid, "stop", "status", "extra"])
            action = rng.random()
            if action < 0.3:
                request.pop(field, None)
            elif field in ("stop", "status"):
                request[field] = rng.choice([v for v in odd_values if v is not True])
            else:
                request[field] = rng.choice(odd_values)
        line = json.dumps(request).encode()
        shape = rng.random()
        if shape < 0.15:
            cut = rng.randrange(len(line))
            line = line[:cut]
        elif shape < 0.3:
            raw = bytearray(line)
            for _ in range(rng.randint(1, 4)):
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            line = bytes(raw).replace(b"\n", b" ")
        elif shape < 0.35:
            line = bytes(rng.randrange(256) for _ in range(rng.randint(0, 64))).replace(b"\n", b"")
        elif shape < 0.4:
            line = json.dumps(rng.choice(odd_values)).encode()
        yield line + b"\n", rng.random() < 0.05


def test_a_thousand_fuzzed_requests_leave_one_server_answering(warm, tmp_path):
    key = _server_key(warm)
    answered = 0
    for line, close_early in _fuzzed_lines(seed=21, key=key, cwd=str(tmp_path)):
        code, _errors = _send(warm.socket, line, close_early)
        answered += code is not None
        assert code in (None, 0, 1, 2), line[:200]
    assert answered > FUZZ_LINES * 0.8
    assert _server_key(warm) == key and len(servers(warm.socket)) == 1
    assert warm.lakehouse("warm", "--status").returncode == 0


def test_another_local_user_is_refused_even_through_an_open_socket(warm, tmp_path):
    """SO_PEERCRED: the folder's mode keeps other users out; if it were opened (by mistake),
    the server still refuses a peer of another uid. Needs root to be that other user."""
    if os.geteuid() != 0:
        pytest.skip("becoming another local user needs root")
    import tempfile

    # A folder the other user can enter (pytest's own temp folders are mode 0700) on the
    # socket's file system: a hard link there is the same socket, reachable from outside.
    public = Path(tempfile.mkdtemp(prefix="stedi-peer-", dir=tempfile.gettempdir()))
    public.chmod(0o755)
    link = public / "warm.sock"
    try:
        os.link(warm.socket, link)
    except OSError as exc:
        shutil.rmtree(public)
        pytest.skip(f"no hard link to the socket from {public}: {exc}")
    os.chmod(warm.socket, 0o666)
    probe = (  # connect and read: the server answers a foreign peer before any request
        "import socket, sys\n"
        "c = socket.socket(socket.AF_UNIX)\n"
        "c.connect(sys.argv[1])\n"
        "print(c.makefile('rb').read())\n"
    )
    try:
        other = subprocess.run(
            ["/usr/bin/python3", "-c", probe, str(link)],
            user=65534,
            capture_output=True,
            text=True,
            timeout=60,
            cwd="/",
        )
    finally:
        os.chmod(warm.socket, 0o600)
        shutil.rmtree(public)
    assert other.returncode == 0, other.stderr
    assert "serves only the user who started it" in other.stdout
    assert '"code": 2' in other.stdout and warm.root.name not in other.stdout
    assert _server_key(warm) is not None


def test_an_edit_of_validation_makes_the_next_run_use_it_and_say_so(warm, tmp_path):
    """The stale-validation case: the server imported validation/ at an earlier run; after an
    edit the run says the runtime is older than the code and runs (cold) with the edit."""
    from stedi.generator import generate

    generate(tmp_path / "sample", 30, seed=6)
    lake = str(tmp_path / "lake")
    assert warm.lakehouse("ingest", str(tmp_path / "sample"), "--lake", lake).returncode == 0
    edited = warm.checkout / "validation" / "report.py"
    original, info = edited.read_text(), edited.stat()
    marker = "EDITED-VALIDATION-IN-USE"
    assert '"[green]PASSED[/green]"' in original
    edited.write_text(original.replace('"[green]PASSED[/green]"', f'"[green]{marker}[/green]"'))
    try:
        result = warm.lakehouse("run", "--lake", lake)
    finally:  # the same bytes and time: the key is the server's again for the tests after
        edited.write_text(original)
        os.utime(edited, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert STALE_NOTE in result.stderr and WARM_NOTE not in result.stderr
    assert marker in result.stdout
    again = warm("print('back on the warm runtime')\n", name="after_edit.py")
    assert WARM_NOTE in again.stderr and "back on the warm runtime" in again.stdout


def test_a_job_that_stops_spark_ends_the_warm_runtime_and_says_so(warm):
    """Run last: the module's server ends here (a later job would run cold)."""
    result = warm("job.commit()\nspark.stop()\n", name="stopper.py")
    assert WARM_NOTE in result.stderr
    assert "the warm runtime with it" in result.stderr
    assert warm.lakehouse("warm", "--status").returncode == 1


def test_a_socket_path_too_long_for_unix_moves_to_a_private_temp_folder(tmp_path, monkeypatch):
    from lakehouse.cli import warm

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ("deep" * 30)))
    path = warm.socket_path()
    assert len(str(path)) < warm.SOCKET_PATH_MAX
    assert path.parent.stat().st_mode & 0o777 == 0o700
