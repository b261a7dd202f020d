"""A hostile project, graded once: each script tries one thing a stranger's job could do to
its grader (tests/learner_projects/hostile/, one behaviour per script). Each job gets the
right verdict, and none of them reaches the grader: its secrets, files, network, modules or
expected counts.

The grade runs with AWS credentials in the grader's environment and in a world-readable
~/.aws/credentials of the grader's HOME; targets.json, beside the scripts, tells them exactly
where the grader's files, servers and modules are (the strongest attacker).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from lakehouse.cli import main as cli_main
from tests.wall_tools import Listener, host_addresses, namespaces_missing

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        bool(namespaces_missing()), reason=f"no namespaces here: {namespaces_missing()}"
    ),
]

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "learner_projects" / "hostile"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-hostile"
JOB_TIMEOUT, MEMORY_LIMIT = 60, "3g"
VERDICTS = {  # script: (status, what its error says)
    "customer_landing_to_trusted.py": ("SUCCEEDED", None),
    "print_environment.py": ("SUCCEEDED", None),
    "read_aws_credentials.py": ("SUCCEEDED", None),
    "phone_home.py": ("SUCCEEDED", None),
    "write_outside_the_lake.py": ("SUCCEEDED", None),
    "forge_the_grade.py": ("SUCCEEDED", None),
    "fork_a_daemon.py": ("SUCCEEDED", None),
    "garbage_output.py": ("SUCCEEDED", None),
    "forge_its_result.py": ("SUCCEEDED", None),  # its own forged word (see below)
    "loop_forever.py": ("FAILED", f"exceeded the {JOB_TIMEOUT} s job time limit"),
    "eat_memory.py": ("FAILED", "exceeded the 3 GiB memory limit"),
    "kill_own_process.py": ("FAILED", "its process was killed by SIGKILL"),
    "syntax_error.py": ("FAILED", "SyntaxError: '(' was never closed"),
    "not_text.py": ("FAILED", "SyntaxError: source code string cannot contain null bytes"),
}


def _sources(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The hostile project graded once; what the tests look at afterwards."""
    from stedi.generator import generate

    work = tmp_path_factory.mktemp("hostile")
    sample = work / "sample"
    generate(sample, 20)
    project = work / "project"
    shutil.copytree(HOSTILE, project)
    home = work / "grader-home"
    (home / ".aws").mkdir(parents=True)
    credentials = home / ".aws" / "credentials"
    credentials.write_text(f"[default]\naws_secret_access_key = {SECRET}\n")
    credentials.chmod(0o644)
    listener = Listener()
    marks = {
        "grader tmp": work / "marker",
        "report": work / "report" / "marker",
        "project": project / "marker",
        "repository": REPO / "grading" / "marker-of-a-hostile-job",
        "grader home": home / "marker",
        "data": sample / "marker",
    }
    targets = {
        "read": [str(credentials), "/root/.aws/credentials"],
        "write": [str(p) for p in marks.values()],
        "connect": [["169.254.169.254", 80]] + [[h, listener.port] for h in host_addresses()],
        "modules": [str(REPO / "grading" / "count.py"), str(REPO / "grading" / "privacy.py")],
    }
    (project / "targets.json").write_text(json.dumps(targets))
    sources = _sources(REPO / "grading")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME", str(home))
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
        env.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEGRADER")
        env.setenv("AWS_SESSION_TOKEN", SECRET)
        code = cli_main(["grade", str(project), "--data", str(sample), "--lake",
                         str(work / "lake"), "--report-dir", str(work / "report"),
                         "--job-timeout", str(JOB_TIMEOUT), "--memory-limit", MEMORY_LIMIT])  # fmt: skip
    time.sleep(0.5)
    listener.close()
    report = json.loads((work / "report" / "report.json").read_text())
    return {"code": code, "report": report, "work": work, "marks": marks, "sample": sample,
            "listener": listener, "sources": sources, "project": project}  # fmt: skip


def probes(graded) -> dict[str, str]:
    found = {}
    for log in (graded["work"] / "report" / "logs").glob("*.log"):
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("PROBE "):
                probe = json.loads(line[len("PROBE ") :])
                found[probe["what"]] = probe["result"]
    return found


@pytest.mark.parametrize("script", sorted(VERDICTS))
def test_each_hostile_job_gets_its_verdict(graded, script):
    status, error = VERDICTS[script]
    [job] = [j for j in graded["report"]["jobs"] if j["script"] == script]
    assert job["status"] == status, job
    if error:
        assert error in job["error"], job


def test_the_grade_fails_on_the_graders_own_counts_and_checks_not_the_forged_ones(graded):
    report, sample = graded["report"], graded["sample"]
    manifest = json.loads((sample / "manifest.json").read_text())["expected_counts"]
    customers = sum(
        len(p.read_text().splitlines()) for p in (sample / "customer" / "landing").iterdir()
    )
    trusted = report["tables"]["customer_trusted"]
    assert probes(graded)["patch the grader's modules"] == "patched"
    assert probes(graded)["rewrite _dataset.json"] == "rewritten"
    assert trusted["expected"] == manifest["rubric"]["customer_trusted"] != 100
    assert customers == manifest["rubric"]["customer_landing"] == 20
    assert trusted["rows"] == customers, "everyone, as the job wrote them: the grader counted"
    assert trusted["status"] == "differs"
    leaks = {o["table"]: o["rows"] for o in report["privacy"]["non_consenting_rows"]}
    assert report["privacy"]["status"] == "failed" and leaks["customer_trusted"] > 0
    assert graded["code"] == 1 and report["status"] == "failed"


def test_a_job_can_forge_its_own_status_but_no_count_and_no_other_jobs_result(graded):
    """forge_its_result.py wrote a success with 14,460 rows over the runner's report pipe for
    every job number, and for itself with the token it found up the runner's call stack; then
    it failed without writing a row. Its own status is its word; the jobs after it keep their
    own results; the table's count is the grader's, from the files: there are none."""
    report = graded["report"]
    scripts = [j["script"] for j in report["jobs"]]
    at = scripts.index("forge_its_result.py")
    job = report["jobs"][at]
    assert job["status"] == "SUCCEEDED"
    assert job["rows_written"] == {"s3://hostile-bucket/step_trainer/trusted/": 14460}
    assert report["tables"]["step_trainer_trusted"]["rows"] is None
    later = report["jobs"][at + 1 :]
    assert any(j["status"] == "FAILED" for j in later)
    assert [j["status"] for j in later] == [VERDICTS[j["script"]][0] for j in later]


def test_no_job_saw_the_graders_secret(graded):
    """Not in the environment the jobs printed, nor read from ~/.aws: nowhere in the lake,
    the logs or the report."""
    work = graded["work"]
    env_log = (work / "report" / "logs" / "print_environment.log").read_text()
    assert "AWS_EC2_METADATA_DISABLED=true" in env_log and "HOME=/tmp/home" in env_log
    assert "AWS_SECRET_ACCESS_KEY" not in env_log and "AWS_ACCESS_KEY_ID" not in env_log
    seen = probes(graded)
    reads = {what: result for what, result in seen.items() if what.startswith("read ")}
    assert len(reads) == 4 and all(r.startswith("refused") for r in reads.values()), reads
    assert seen["boto3 credentials"] == "none"
    for folder in (work / "lake", work / "report"):
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                assert SECRET.encode() not in path.read_bytes(), path


def test_no_connection_left_the_sandbox(graded):
    connects = {w: r for w, r in probes(graded).items() if w.startswith(("connect", "resolve"))}
    assert len(connects) >= 3 and all(r.startswith("refused") for r in connects.values())
    assert graded["listener"].seen == [], "the grader's server saw no connection"


def test_no_file_of_the_graders_was_written(graded):
    writes = {w: r for w, r in probes(graded).items() if w.startswith(("write ", "open for"))}
    assert len(writes) == len(graded["marks"]) + 2
    assert all(r.startswith("refused") for r in writes.values()), writes
    for what, path in graded["marks"].items():
        assert not path.exists() and not Path(f"{path}.daemon").exists(), what
    assert _sources(REPO / "grading") == graded["sources"], "the grader's modules are unchanged"


def test_what_a_job_planted_in_the_lake_was_removed_before_the_grader_read_it(graded):
    assert graded["report"]["lake_removed"] == [
        "hostile-bucket/customer/trusted/part-99998-link.json",
        "hostile-bucket/customer/trusted/part-99999-fifo.json",
    ]


def test_a_daemon_a_job_forked_ended_with_the_grade(graded):
    beat = graded["work"] / "lake" / "heartbeat.txt"
    assert probes(graded)["fork a daemon"] == "forked" and beat.is_file()
    last = beat.stat().st_mtime_ns
    time.sleep(1)
    assert beat.stat().st_mtime_ns == last


def test_an_output_no_reader_understands_is_a_table_status_not_a_traceback(graded):
    table = graded["report"]["tables"]["accelerometer_trusted"]
    assert table["rows"] is None and table["status"] not in ("ok", "missing"), table
    privacy = graded["report"]["privacy"]
    assert privacy["status"] == "failed" and "accelerometer_trusted" in privacy["unchecked"]


def test_the_report_says_which_isolation_held(graded):
    isolation = graded["report"]["isolation"]
    assert isolation["mode"] == "namespaces", isolation
    assert isolation["checked_in_child"]["capabilities"] == "0000000000000000"
    assert isolation["job_timeout_s"] == JOB_TIMEOUT
    markdown = (graded["work"] / "report" / "report.md").read_text()
    assert isolation["summary"] in markdown and "no network" in isolation["summary"]


def test_a_machine_without_namespaces_still_gets_a_scrubbed_child_and_says_so(
    tmp_path, monkeypatch
):
    """Where `unshare` fails (a laptop without user namespaces), the jobs run in a plain child
    process: the environment still scrubbed, the limits still held, the report honest."""
    from stedi.generator import generate

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "unshare"
    fake.write_text("#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\n"
                    "exit 1\n")  # fmt: skip
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    generate(tmp_path / "sample", 20)
    code = cli_main(["grade", str(HOSTILE), "--data", str(tmp_path / "sample"), "--lake",
                     str(tmp_path / "lake"), "--report-dir", str(tmp_path / "report"),
                     "--order", "print_environment.py", "customer_landing_to_trusted.py"])  # fmt: skip
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    isolation = report["isolation"]
    assert isolation["mode"] == "process" and "Operation not permitted" in isolation["why_not"]
    assert "a plain child process" in isolation["summary"]
    assert [j["status"] for j in report["jobs"]] == ["SUCCEEDED", "SUCCEEDED"]
    env_log = (tmp_path / "report" / "logs" / "print_environment.log").read_text()
    assert "AWS_EC2_METADATA_DISABLED=true" in env_log and SECRET not in env_log
    assert report["tables"]["customer_trusted"]["rows"] == 20 and code == 1
