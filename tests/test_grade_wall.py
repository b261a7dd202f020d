"""The wall between the grader and the learner's code, wall by wall, without Spark.

A small Python program runs where a learner's job would (grading/isolation.py's sandbox,
entered through grading/sandbox/enter.py) and tries what a hostile job would: the network,
the grader's files and HOME, its environment, capabilities, a process that outlives it.
Then the grader's side: what the child reports is checked, never believed (messages.py);
what it leaves in the lake cannot make the grader read elsewhere (reclaim_lake); and the
grade command ends with exit 0/1/2 and a report.json whatever the project holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from grading import isolation, messages
from lakehouse.cli import main as cli_main
from tests.wall_tools import Listener, host_addresses, namespaces_missing

REPO = Path(__file__).resolve().parents[1]
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-grade-wall"


def run_child(sandbox: isolation.Sandbox, code: str, mode: str = isolation.NAMESPACES):
    """Run `code` as the learner's child would run; (exit code, output, entered facts)."""
    reports_r, reports_w = os.pipe()
    proc = sandbox.popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        (reports_w,),
        mode,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    os.close(reports_w)
    out, _ = proc.communicate(timeout=120)
    with os.fdopen(reports_r, "rb") as reports:
        entered = [messages.decode(x)[1] for x in reports.read().splitlines() if x.strip()]
    return proc.returncode, out.decode(), (entered[0] if entered else None)


needs_namespaces = pytest.mark.skipif(
    bool(namespaces_missing()), reason=f"no namespaces here: {namespaces_missing()}"
)


@pytest.fixture
def sandbox(tmp_path):
    (tmp_path / "lake").mkdir()
    (tmp_path / "project").mkdir()
    box = isolation.Sandbox(tmp_path / "lake", tmp_path / "project")
    box.hand_over()
    yield box
    box.remove()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@needs_namespaces
def test_the_child_cannot_open_a_tcp_connection_to_the_grader_or_the_metadata_service(
    sandbox, listener
):
    targets = [(host, listener.port) for host in host_addresses()] + [("169.254.169.254", 80)]
    code, out, _ = run_child(
        sandbox,
        f"""
        import socket
        for host, port in {targets!r}:
            try:
                socket.create_connection((host, port), timeout=3)
                print("CONNECTED", host)
            except OSError as exc:
                print("refused", host, exc.errno)
        # its own loopback works: Spark's driver and workers need it
        server = socket.create_server(("127.0.0.1", 0))
        socket.create_connection(server.getsockname(), timeout=3)
        print("loopback ok")
        """,
    )
    assert code == 0, out
    assert "CONNECTED" not in out and out.count("refused") == len(targets)
    assert "loopback ok" in out
    time.sleep(0.3)
    assert listener.seen == [], "no connection reached the grader's server"


@needs_namespaces
def test_the_child_writes_only_its_lake_and_its_own_temp_folder(sandbox, tmp_path):
    outside = {
        "the grader's /tmp": tmp_path / "marker",
        "the project": sandbox.project / "marker",
        "this repository": REPO / "grading" / "marker-of-a-learner",
        "a report folder": tmp_path / "report" / "marker",
    }
    (tmp_path / "report").mkdir()
    scratch = Path(f"/tmp/learner-scratch-{uuid.uuid4().hex}")
    inside = {"the lake": sandbox.lake / "out.json", "its /tmp": scratch}
    code, out, _ = run_child(
        sandbox,
        f"""
        for what, path in {[(k, str(v)) for k, v in {**outside, **inside}.items()]!r}:
            try:
                open(path, "w").write("x")
                print("WROTE", what)
            except OSError as exc:
                print("refused", what, exc.strerror)
        """,
    )
    assert code == 0, out
    for what, path in outside.items():
        assert f"WROTE {what}\n" not in out and not path.exists(), what
    for what in inside:
        assert f"WROTE {what}\n" in out, out
    assert (sandbox.lake / "out.json").is_file()
    assert not scratch.exists(), "its /tmp is its own"
    assert (sandbox.tmp / scratch.name).is_file()


@needs_namespaces
def test_the_child_cannot_read_the_graders_home_even_a_world_readable_secret(
    sandbox, tmp_path, monkeypatch
):
    home = tmp_path / "grader-home"
    (home / ".aws").mkdir(parents=True)
    credentials = home / ".aws" / "credentials"
    credentials.write_text(f"[default]\naws_secret_access_key = {SECRET}\n")
    credentials.chmod(0o644)  # readable by anyone: only the sandbox keeps it away
    monkeypatch.setenv("HOME", str(home))
    code, out, _ = run_child(
        sandbox,
        f"""
        import os
        for path in ({str(credentials)!r}, os.path.expanduser("~/.aws/credentials")):
            try:
                print("READ", open(path).read())
            except OSError as exc:
                print("refused", path, exc.strerror)
        """,
    )
    assert code == 0, out
    assert "READ" not in out and SECRET not in out


@pytest.mark.parametrize(
    "mode",
    [pytest.param(isolation.NAMESPACES, marks=needs_namespaces), isolation.PROCESS],
)
def test_the_childs_environment_holds_none_of_the_graders_secrets(sandbox, monkeypatch, mode):
    planted = {
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEGRADER",
        "AWS_PROFILE": "grader",
        "GITHUB_TOKEN": SECRET,
        "SSH_AUTH_SOCK": "/tmp/ssh-agent.sock",
        "DATABASE_PASSWORD": SECRET,
        "STEDI_API_KEY": SECRET,
    }
    for name, value in planted.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("STEDI_DRIVER_MEMORY", "2g")
    code, out, _ = run_child(
        sandbox, "import json, os; print(json.dumps(dict(os.environ)))", mode=mode
    )
    env = json.loads(out.strip().splitlines()[-1])
    assert code == 0
    assert not set(planted) & set(env) and SECRET not in out
    assert env["STEDI_DRIVER_MEMORY"] == "2g", "the project's Spark settings are kept"
    assert env["AWS_EC2_METADATA_DISABLED"] == "true"
    assert env["AWS_SHARED_CREDENTIALS_FILE"] == env["AWS_CONFIG_FILE"] == os.devnull
    assert env["HOME"] != os.environ["HOME"] and env["HOME"].startswith(env["TMPDIR"])


@needs_namespaces
def test_the_child_has_no_capabilities_and_is_not_the_graders_user(sandbox):
    code, out, entered = run_child(
        sandbox,
        """
        import os
        print(os.getuid(), *[l.split()[1] for l in open("/proc/self/status")
                            if l.startswith(("CapEff", "CapPrm", "CapBnd"))])
        """,
    )
    uid, *caps = out.split()
    assert code == 0 and set(caps) == {"0000000000000000"}
    if os.geteuid() == 0:
        assert int(uid) == entered["uid"] == isolation.unprivileged_user()[0]
    assert entered["network"] == "loopback only"


@needs_namespaces
def test_a_process_the_child_leaves_behind_ends_with_it(sandbox):
    beat = sandbox.lake / "heartbeat"
    code, out, _ = run_child(
        sandbox,
        f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            while True:
                open({str(beat)!r}, "w").write(str(time.time()))
                time.sleep(0.05)
        time.sleep(0.5)
        print("left a daemon")
        """,
    )
    assert code == 0 and "left a daemon" in out
    last = beat.stat().st_mtime_ns
    time.sleep(0.5)
    assert beat.stat().st_mtime_ns == last, "the daemon ended with the sandbox"


# -- the grader's side: what the child says is checked, never believed -------------------------

GOOD = {"job": 2, "token": "t0k3n", "status": "SUCCEEDED", "error": None, "line": None,
        "rows_written": {"s3://b/customer/trusted/": 12}, "catalog": [["db.t", "crawled"]]}  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b"[1, 2]",
        b'{"result": {}, "ready": {}}',
        b'{"exec": "import os"}',
        json.dumps({"result": {**GOOD, "job": 3}}).encode(),  # another job's result
        json.dumps({"result": {**GOOD, "token": "guessed"}}).encode(),  # written ahead
        json.dumps({"result": {**GOOD, "job": True}}).encode(),
        json.dumps({"result": {**GOOD, "status": "PASSED"}}).encode(),
        json.dumps({"result": {**GOOD, "rows_written": {"t": -5}}}).encode(),
        json.dumps({"result": {**GOOD, "rows_written": {"t": True}}}).encode(),
        json.dumps({"result": {**GOOD, "line": 0}}).encode(),
        json.dumps({"result": {**GOOD, "catalog": [["a", "b", "c"]]}}).encode(),
        json.dumps({"result": {**GOOD, "error": ["a", "list"]}}).encode(),
        b'{"result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"x" * (messages.MAX_LINE + 1),
    ],
)
def test_a_result_line_that_is_not_one_is_refused(line):
    with pytest.raises(messages.BadMessage):
        kind, body = messages.decode(line)
        assert kind == "result"
        messages.job_result(body, 2, "t0k3n")


def test_a_result_is_cut_to_one_short_line_and_nothing_more_is_taken():
    body = {**GOOD, "error": "Boom: " + "x" * 1000 + "\nsecond line", "extra": "ignored"}
    kind, decoded = messages.decode(json.dumps({"result": body}).encode())
    result = messages.job_result(decoded, 2, "t0k3n")
    assert kind == "result" and result.status == "SUCCEEDED"
    assert len(result.error) == messages.MAX_TEXT and "\n" not in result.error
    assert result.rows_written == {"s3://b/customer/trusted/": 12}
    assert result.catalog == [("db.t", "crawled")] and not hasattr(result, "extra")


def test_what_a_job_plants_in_the_lake_to_mislead_a_reader_is_removed(tmp_path):
    lake, outside = tmp_path / "lake", tmp_path / "secret"
    table = lake / "bucket" / "customer" / "trusted"
    table.mkdir(parents=True)
    outside.write_text("aws_secret_access_key = x\n")
    (table / "part-0.json").write_text('{"email": "a"}\n')
    (table / "part-1.json").symlink_to(outside)
    (table / "part-2.json").hardlink_to(outside)
    os.mkfifo(table / "part-3.json")
    (lake / "bucket" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    removed = isolation.reclaim_lake(lake)
    assert removed == [
        "bucket/customer/trusted/part-1.json",
        "bucket/customer/trusted/part-2.json",
        "bucket/customer/trusted/part-3.json",
        "bucket/elsewhere",
    ]
    assert [p.name for p in table.iterdir()] == ["part-0.json"]
    assert outside.read_text().startswith("aws_secret"), "the link's target is untouched"


# -- never a traceback ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    from stedi.generator import generate

    folder = tmp_path_factory.mktemp("wall-sample")
    generate(folder, 20)
    return folder


def grade(project: Path, sample: Path, tmp_path: Path, *extra: str):
    report = tmp_path / "report"
    code = cli_main(["grade", str(project), "--data", str(sample), "--lake",
                     str(tmp_path / "lake"), "--report-dir", str(report), *extra])  # fmt: skip
    return code, json.loads((report / "report.json").read_text())


GLUE_HEAD = "from awsglue.context import GlueContext\nfrom pyspark.context import SparkContext\n"


@pytest.mark.parametrize(
    "files, message",
    [
        ({}, "no Glue job scripts"),
        ({"notes.txt": "my project"}, "no Glue job scripts"),
        (None, "is not a folder"),
    ],
)
def test_a_grade_that_cannot_start_exits_2_with_one_line_and_a_report(
    files, message, sample, tmp_path, capsys
):
    project = tmp_path / "project"
    if files is not None:
        project.mkdir()
        for name, text in files.items():
            (project / name).write_text(text)
    code, report = grade(project, sample, tmp_path)
    err = capsys.readouterr().err
    assert code == 2 and report["status"] == "error" and message in report["error"]
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("error: ")


def test_scripts_that_do_not_parse_fail_their_jobs_with_the_line_and_the_grade_goes_on(
    sample, tmp_path, capsys
):
    project = tmp_path / "project"
    project.mkdir()
    (project / "half_written.py").write_text(GLUE_HEAD + "glueContext = GlueContext(\n")
    (project / "binary.py").write_bytes(b"\x89PNG\x00" + GLUE_HEAD.encode() + bytes(range(256)))
    code, report = grade(project, sample, tmp_path)
    jobs = {j["script"]: j for j in report["jobs"]}
    assert code == 1 and report["status"] == "failed"
    assert (
        "SyntaxError" in jobs["half_written.py"]["error"]
        and "line 3" in jobs["half_written.py"]["error"]
    )
    assert "null bytes" in jobs["binary.py"]["error"]
    assert "Traceback" not in capsys.readouterr().err


def test_an_internal_error_is_exit_2_with_the_error_in_the_report_and_the_trace_beside_it(
    sample, tmp_path, capsys, monkeypatch
):
    from grading import count

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the grader")

    monkeypatch.setattr(count, "identify", broken)
    project = tmp_path / "project"
    project.mkdir()
    (project / "half_written.py").write_text(GLUE_HEAD + "glueContext = GlueContext(\n")
    code, report = grade(project, sample, tmp_path)
    err = capsys.readouterr().err
    assert code == 2 and report["status"] == "error"
    assert report["error"] == "internal error: RuntimeError: a bug in the grader"
    assert "Traceback" not in err and "a bug in the grader" in err
    assert "RuntimeError" in Path(report["trace"]).read_text()


@pytest.mark.parametrize(
    "flag, value",
    [("--job-timeout", "0"), ("--job-timeout", "soon"), ("--memory-limit", "lots")],
)
def test_a_limit_that_is_not_one_is_a_usage_error(flag, value, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli_main(["grade", "project", flag, value])
    assert stopped.value.code == 2 and value in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, size", [("6g", 6 * 2**30), ("512m", 512 * 2**20), ("1.5GiB", 3 * 2**29), ("100", 100)]
)
def test_memory_limits_are_read_as_sizes(text, size):
    from grading.execute import parse_size

    assert parse_size(text) == size


def test_the_graders_own_modules_are_what_a_grade_imports(tmp_path):
    """The wall on the import graph: no grader module loads the Glue runner or the child side."""
    code = (
        "import sys, grading.grade, lakehouse.cli.grade; "
        "print(sorted(m for m in sys.modules if m in ('localglue.runner', 'localglue.shim') "
        "or m.startswith('grading.sandbox')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip() == "[]", out.stderr
