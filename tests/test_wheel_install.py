"""The project installed like any package: a wheel built from a copy of this checkout, installed
into a fresh virtualenv outside it (no system site-packages, the versions of constraints.txt),
runs the README's commands from another folder. Runtime-only first: a command that needs an
extra says which in one line; then with the extras: demo, validation.run, grade, aws policy.

Package registries (or pip's cache) provide the dependencies, as for any user; nothing is
read from the checkout once the wheel is built."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkout import copy_checkout

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """run(*argv, cwd=...) -> CompletedProcess in the fresh venv; .pip(*args) installs."""
    root = tmp_path_factory.mktemp("wheel")
    source = copy_checkout(root / "checkout")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist")]
        + [str(source)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    [wheel] = (root / "dist").glob("stedi_lakehouse-*.whl")
    shutil.rmtree(source)  # the installed copy must need nothing from a checkout
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STEDI_", "PYTHON"))}
    env |= {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "XDG_CACHE_HOME": str(root / "cache")}
    env["STEDI_WARM"] = "0"
    work = root / "elsewhere"
    work.mkdir()

    def run(*argv: str, cwd: Path = work, timeout: int = 1200):
        return subprocess.run(
            [str(venv / "bin" / argv[0]), *argv[1:]],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def pip(*requirements: str):
        done = run(
            "python", "-m", "pip", "install", "-q", "-c", str(REPO / "constraints.txt"),
            *requirements,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]

    run.pip, run.wheel, run.work, run.venv = pip, wheel, work, venv
    return run


def test_a_runtime_only_install_names_the_extra_a_command_needs(installed):
    installed.pip(str(installed.wheel))
    done = installed("python", "-m", "lakehouse", "generate", "sample", "--customers", "20")
    assert done.returncode == 0, done.stderr
    for argv, extra in [
        (["python", "-m", "validation.run", "--lake", "nowhere"], None),
        (["python", "-m", "lakehouse", "ingest", "sample", "--lake", "lake"], None),
        (["python", "-m", "validation.run", "--lake", "lake", "--data-docs"], "validation"),
        (["lakehouse", "aws", "policy", "--bucket", "my-lake", "--account", "123456789012"], "aws"),
    ]:
        done = installed(*argv)
        if extra is None:
            continue
        assert done.returncode == 2, done.stdout + done.stderr
        [line] = done.stderr.strip().splitlines()
        assert line.endswith(f"pip install 'stedi-lakehouse[{extra}]'"), line


def test_demo_validation_grade_and_aws_policy_run_from_another_folder(installed):
    installed.pip(f"{installed.wheel}[validation,grade,aws]")
    site = installed.venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    jobs = site / "site-packages" / "stedi" / "_data" / "studio_jobs" / "rubric"
    assert sorted(p.name for p in jobs.glob("*.py")) == sorted(
        p.name for p in (REPO / "studio_jobs" / "rubric").glob("*.py")
    ), "the wheel carries the studio jobs"

    demo = installed("python", "-m", "lakehouse", "demo", "--lake", "demo-lake")
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert "machine_learning_curated" in demo.stdout and "PASSED" in demo.stdout

    again = installed("python", "-m", "validation.run", "--lake", "demo-lake", "--no-data-docs")
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    report = json.loads(
        (installed.work / "reports" / "demo-lake" / "rubric" / "report.json").read_text()
    )
    assert report["profile"] == "rubric" and report["exit_code"] == 0

    project = installed.work / "my-project"
    shutil.copytree(jobs, project, ignore=shutil.ignore_patterns("*.json", "*.md"))
    grade = installed("lakehouse", "grade", str(project), "--report-dir", "grade-report")
    assert grade.returncode == 0, grade.stdout[-3000:] + grade.stderr[-3000:]
    graded = json.loads((installed.work / "grade-report" / "report.json").read_text())
    assert (graded["status"], graded["counts_match"]) == ("passed", "rubric")

    policy = installed(
        "lakehouse", "aws", "policy", "--bucket", "my-lake", "--account", "123456789012",
        "--region", "us-east-1",
    )  # fmt: skip
    assert policy.returncode == 0, policy.stderr
    resources = json.dumps(json.loads(policy.stdout)["Statement"])
    assert "arn:aws:s3:::my-lake/customer/landing/*" in resources
