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
    "make notebooks": "a server that runs until stopped; test_notebooks.py starts it and "
    "opens both notebooks through it",
    ".venv/bin/jupyter lab": "what `make notebooks` runs",
    "make class-screenshot": "a class of nine submissions graded to redraw a committed image; "
    "tests/test_grade_class.py grades that class",
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
    # a learner's own database: crawled, then queried by its qualified name
    crawl = next(c for c in runnable() if "lakehouse crawl" in c and "--database mydb" in c)
    assert runnable().index(crawl) < runnable().index(
        '.venv/bin/python -m lakehouse sql "SELECT count(*) FROM mydb.t"'
    )


# Paths the README names as what a command makes, other than `make run`: each for its reason.
MADE_LATER = {
    "reports/grade/": "`lakehouse grade` writes it",
    "reports/screenshots/": "`validation.screenshots` writes it",
    "lake/_logs/": "a failed job writes it",
    "lake/_bookmarks/": "a job with bookmarks writes it",
    "lake/_quarantine/customer/": "ingest writes it when a line is quarantined",
    "reports/lake-strict/": "the README's example of another --lake",
    "reports/notebooks/": "the README's nbconvert command writes it",
}
PLACEHOLDERS = {"<profile>": "rubric", "<lake>": "lake", "<source>": "customer",
                "<lake folder name>": "lake-strict"}  # fmt: skip


def readme_paths() -> list[str]:
    """Every file or folder of the repository or of a run the README names in `code` or a
    link: the ones under a top-level name of the checkout (or lake/, reports/, sample/)."""
    unfenced = re.sub(r"```.*?```", "", README, flags=re.S)
    named = re.findall(r"`([^`\n]+)`", unfenced) + re.findall(r"\]\(([^)#\s]+)", unfenced)
    tops = {p.name for p in REPO.iterdir()} | {"lake", "reports", "sample"}
    found = []
    for text in named:
        path = text.strip().split("::")[0].removeprefix("./")
        for placeholder, value in PLACEHOLDERS.items():
            path = path.replace(placeholder, value)
        segments = path.split("/")
        if " " in path or "<" in path or segments[0] not in tops or "/" not in path:
            continue
        if any(s.isupper() for s in segments):  # <lake>/BUCKET/KEY: a template
            continue
        if path not in found:
            found.append(path)
    return found


def test_the_readme_names_paths_of_every_kind():
    paths = readme_paths()
    for expected in ("reports/rubric/report.json", "reports/rubric/data_docs/index.html",
                     "notebooks/explore_lakehouse.ipynb", "lake/_catalog/"):  # fmt: skip
        assert expected in paths


@pytest.mark.e2e
def test_every_path_the_readme_names_exists_after_make_run(after_make_run):
    missing = [
        p for p in readme_paths()
        if not any(p.startswith(later) for later in MADE_LATER)
        and not any(after_make_run.glob(p.rstrip("/")))
    ]  # fmt: skip
    assert not missing, f"the README names paths `make run` does not make: {missing}"


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
