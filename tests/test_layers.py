"""The architecture as facts: layers that import-linter enforces, no cycle between packages,
and one module that names the eight STEDI tables."""

from __future__ import annotations

import ast
import itertools
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

from stedi.tables import TABLE_NAMES

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("localglue", "stedi", "validation", "grading", "lakehouse")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, include_external_packages=False)


def test_no_two_sibling_packages_import_each_other(graph):
    """A cycle between packages (a -> ... -> b and b -> ... -> a) at any depth is a failure."""
    parents = [None, *sorted(m for m in graph.modules if graph.find_children(m))]
    cycles = []
    for parent in parents:
        children = PACKAGES if parent is None else sorted(graph.find_children(parent))
        for a, b in itertools.combinations(children, 2):
            there = graph.find_shortest_chain(a, b, as_packages=True)
            back = graph.find_shortest_chain(b, a, as_packages=True)
            if there and back:
                cycles.append(f"{' -> '.join(there)}  and  {' -> '.join(back)}")
    assert not cycles, "\n".join(cycles)


def test_every_contract_in_pyproject_is_kept():
    """Each contract pyproject.toml declares is checked and kept: none skipped or miscounted."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    out = subprocess.run([str(LINT_IMPORTS)], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count(" KEPT") == len(declared["contracts"]), out.stdout


def test_an_upward_import_breaks_the_layers_and_names_the_chain(tmp_path):
    """The runtime importing the domain must fail lint-imports, or the contracts prove nothing."""
    for package in PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    lake_module = tmp_path / "localglue" / "lake.py"
    lake_module.write_text(lake_module.read_text() + "\nimport stedi.tables  # planted\n")
    out = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 1, out.stdout
    assert "BROKEN" in out.stdout
    assert "localglue.lake -> stedi.tables" in out.stdout


def _string_constants(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, node.lineno


def test_the_eight_table_names_are_written_in_one_module_only():
    """Everything else takes them from stedi/tables.py, the one table contract."""
    contract = REPO / "stedi" / "tables.py"
    found = [
        f"{path.relative_to(REPO)}:{line}: {value!r}"
        for folder in (*PACKAGES, "bench")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path != contract
        for value, line in _string_constants(path)
        if value in TABLE_NAMES
    ]
    assert not found, "\n".join(found)
    assert {value for value, _ in _string_constants(contract)} >= set(TABLE_NAMES)
