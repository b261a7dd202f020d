"""`make test`'s `-n 2 --dist loadgroup` keeps each shared build on one worker.

pytest 9 ignores the nodeid suffix by which pytest-xdist 3.8 groups tests, so `xdist_group`
once grouped nothing and every worker built the shared lakes and the `make run` checkout
itself. tests/conftest.py hands the groups to the scheduler: this runs its hooks on a small
suite of the same shapes and reads which worker ran which test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SUITE = {
    "test_heavy.py": """
import pytest
pytestmark = pytest.mark.e2e

@pytest.fixture(scope="module")
def built():
    return "a module fixture of a heavy module"

@pytest.mark.parametrize("i", range(6))
def test_heavy(built, i):
    pass
""",
    "test_marked.py": """
import pytest
pytestmark = pytest.mark.xdist_group("marked")

@pytest.mark.parametrize("i", range(6))
def test_marked(i):
    pass
""",
    "test_light.py": """
import time
import pytest

@pytest.mark.parametrize("i", range(12))
def test_light(i):
    time.sleep(0.05)
""",
}


def test_grouped_tests_run_on_one_worker_and_heavy_modules_first(tmp_path):
    shutil.copyfile(Path(__file__).with_name("conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n  e2e: e\n  slow: s\n")
    for name, text in SUITE.items():
        (tmp_path / name).write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v"]
        + ["-p", "no:randomly", "-p", "no:cacheprovider", "test_light.py", "test_marked.py"]
        + ["test_heavy.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    ran = [line.split() for line in done.stdout.splitlines() if " PASSED " in line]
    workers = {}
    for words in ran:
        workers.setdefault(words[-1].split("::")[1].split("[")[0], set()).add(words[0])
    assert len(workers["test_heavy"]) == 1, "the heavy module's fixture is built on one worker"
    assert len(workers["test_marked"]) == 1, "a module's xdist_group holds"
    assert len(workers["test_light"]) == 2, "ungrouped tests spread over both workers"
    first = {}  # each worker's first test: the first unit dealt out is one worker's first
    for words in ran:
        first.setdefault(words[0], words[-1])
    assert any("test_heavy" in t for t in first.values()), "the heavy module is dealt out first"
