"""Every command the README shows works when pasted into a new shell on a clean checkout.

The checkout is a copy of this one after the README's `make run` (tests/conftest.py), with
../shared beside it as in CI. Each command runs in `bash -c` with a bare environment (no
virtualenv activated, no PYTHONPATH, no STEDI_* variables), in README order. The `aws`
commands run against a moto server on loopback, given to them only through the
environment (AWS_ENDPOINT_URL and fake credentials), so the command text is the README's.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()

# Words a reader replaces before running: a command that holds one is a template, not a command.
PLACEHOLDER = re.compile(
    r"<[^>]*>|\[|\.\.\.|…|\||\b(DIR|URL|SCRIPT|GLUE_ARGS|SRC|OUT|NAME|PATH|FILE|DB|N|S)\b"
)
RUNNABLE = re.compile(r"^(\.venv/bin/python -m |\.venv/bin/\w+ |make |source )")
# Not run here, each for its reason.
SKIPPED = {
    "make run": "the fixture ran it to make the checkout",
    "make test": "it is this test suite",
    "make test-fast": "a subset of this test suite",
    "make bench": "minutes of benchmarks; `python -m bench` records its own run",
    ".venv/bin/python -m bench": "minutes of benchmarks, as `make bench`",
    "make clean": "it deletes the lake and reports the other commands read",
    ".venv/bin/python -m pytest": "it is this test suite",
    ".venv/bin/python -m lakehouse aws run": "moto runs no SQL, so its Athena validation cannot "
    "pass there; its job runs are tested in test_aws_moto.py",
}


def _fenced_commands(text: str) -> list[str]:
    commands = []
    for block in re.findall(r"```(?:bash|sh)\n(.*?)```", text, re.S):
        joined = re.sub(r"\\\n\s*", "", block)
        for line in joined.splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                commands.append(re.sub(r"\s+", " ", line))
    return commands


def _inline_commands(text: str) -> list[str]:
    unfenced = re.sub(r"```.*?```", "", text, flags=re.S)
    unfenced = re.sub(r"``.*?``", "", unfenced.replace("\n", " "))  # ``a `quoted` span``
    spans = re.findall(r"`([^`]+)`", unfenced)
    return [re.sub(r"\s+", " ", s).strip() for s in spans]


def readme_commands() -> list[str]:
    found = []
    for command in _fenced_commands(README) + _inline_commands(README):
        if (RUNNABLE.match(command) or command.startswith("python")) and command not in found:
            found.append(command)
    return found


def runnable() -> list[str]:
    return [
        c
        for c in readme_commands()
        if not PLACEHOLDER.search(c) and not any(c.startswith(s) for s in SKIPPED)
    ]


def test_the_readme_never_asks_for_a_bare_python():
    """A new shell has no virtualenv: `python -m lakehouse` there is ModuleNotFoundError."""
    bare = [c for c in readme_commands() if c.startswith(("python ", "python3 "))]
    assert not bare, f"spell these `.venv/bin/python -m ...`: {bare}"


def test_the_readme_shows_runnable_commands_of_every_kind():
    commands = " ".join(runnable())
    for expected in ("lakehouse job", "lakehouse sql", "lakehouse grade", "validation.run"):
        assert expected in commands


@pytest.fixture(scope="module")
def moto_env(tmp_path_factory) -> dict[str, str]:
    import aws_server

    aws_server.reset()
    return {
        **aws_server.FAKE_CREDENTIALS,
        "AWS_ENDPOINT_URL": aws_server.endpoint(),
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_CONFIG_FILE": "/nonexistent",
    }


@pytest.mark.e2e
def test_every_readme_command_works_in_a_new_shell(after_make_run, moto_env, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    bare = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    failures = []
    for command in runnable():
        env = {**bare, **(moto_env if " aws " in f" {command} " else {})}
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=after_make_run,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            failures.append(f"$ {command}\n  exit {done.returncode}: {done.stderr.strip()[-600:]}")
    assert not failures, "\n".join(failures)
