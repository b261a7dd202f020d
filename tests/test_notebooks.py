"""The notebooks run top to bottom on real lakes, in a kernel of the project's own Python."""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

import pytest

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.tables import MACHINE_LEARNING_CURATED
from tests import minilake
from validation import explore
from validation.engines.local import LocalEngine
from validation.report_view import failures_frame, find_report, tables_frame

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
KERNEL = "python3"


def execute(path_or_nb, env: dict[str, str], monkeypatch, timeout: int = 240, cwd=NOTEBOOKS):
    """Run a notebook with nbclient in the `python3` kernel, started in `cwd` (Jupyter's
    default is the notebook's folder); return the executed notebook."""
    import nbformat
    from nbclient import NotebookClient

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    nb = path_or_nb if not isinstance(path_or_nb, Path) else nbformat.read(path_or_nb, as_version=4)
    client = NotebookClient(
        nb, kernel_name=KERNEL, timeout=timeout, resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()
    return nb


def outputs(nb, kind: str) -> list:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if kind == "stream" and out.get("output_type") == "stream":
                found.append(out["text"])
            elif kind in out.get("data", {}):
                found.append(out["data"][kind])
    return found


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_carry_no_outputs(path):
    """Notebooks are committed stripped: outputs would hold data of a particular lake."""
    doc = json.loads(path.read_text())
    assert doc["metadata"]["kernelspec"]["name"] == KERNEL
    for cell in doc["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_the_python3_kernel_is_this_virtualenvs_python(monkeypatch):
    """nbclient's `python3` kernelspec must start the venv's interpreter, or imports differ."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell("import sys; print(sys.prefix)")])
    done = execute(nb, {}, monkeypatch, timeout=60)
    assert outputs(done, "stream")[0].strip() == sys.prefix
    nbformat.validate(done)


# -- the helpers the notebooks call, on a tiny lake --------------------------------------
@pytest.fixture
def mini_rubric(tmp_path) -> Lake:
    lake = Lake(tmp_path / "mini")
    minilake.build(lake, "rubric")
    return lake


def test_the_timestamp_only_join_is_seen_pairing_two_customers(mini_rubric):
    """A machine_learning_curated row whose accelerometer user does not own the step trainer
    counts as 'different customers' (the rubric join's cross-customer pairs)."""
    with LocalEngine(mini_rubric) as engine:
        before = explore.rubric_pairs(engine).set_index("pairing")["rows"].to_dict()
        _, rows = engine.query("SELECT * FROM machine_learning_curated ORDER BY sensorReadingTime")
        columns = [c for c, _ in minilake.ML_COLUMNS["rubric"]]
    stranger = dict(zip(columns, rows[0], strict=True))
    stranger["user"] = "Test1.Person@test.com"  # Test0's step trainer, Test1's accelerometer
    planted = [dict(zip(columns, r, strict=True)) for r in rows] + [stranger]
    folder = Path(mini_rubric.local_path("s3://stedi-lake-house/step_trainer/curated/"))
    minilake.write_parquet(folder, planted, minilake.ML_COLUMNS["rubric"])
    with LocalEngine(mini_rubric) as engine:
        after = explore.rubric_pairs(engine).set_index("pairing")["rows"].to_dict()
    assert before == {"same customer": len(rows)}
    assert after == {"same customer": len(rows), "different customers": 1}


def test_funnel_lists_every_table_in_pipeline_order_with_its_rows(mini_rubric):
    expected = minilake.build(mini_rubric, "rubric")
    with LocalEngine(mini_rubric) as engine:
        df = explore.funnel(engine)
    assert dict(zip(df["table"], df["rows"], strict=True)) == expected
    assert list(df["zone"].unique()) == ["landing", "trusted", "curated"]


def test_consent_kinds_tell_blank_from_zero_from_a_date(mini_rubric):
    with LocalEngine(mini_rubric) as engine:
        kinds = dict(explore.consent_kinds(engine).itertuples(index=False))
        expected_blank = engine.count("customer_landing") - engine.count("customer_trusted")
    assert kinds == {"absent (blank)": expected_blank, "consent date": 6}


def test_consent_timeline_counts_only_real_consent_dates(mini_rubric):
    with LocalEngine(mini_rubric) as engine:
        timeline = explore.consent_timeline(engine)
        _, rows = engine.query(
            "SELECT COUNT(DISTINCT email) FROM customer_landing WHERE shareWithResearchAsOfDate > 0"
        )
        customers = engine.count("customer_landing")
    last = timeline.groupby("kind")["customers"].max().to_dict()
    assert last == {"registered": customers, "consented": rows[0][0]}


@pytest.mark.parametrize("where", ["env file", "env folder", "lake default"])
def test_the_report_notebook_finds_the_newest_report(tmp_path, monkeypatch, where):
    old, new = (
        tmp_path / "reports" / "a" / "report.json",
        tmp_path / "reports" / "b" / "report.json",
    )
    for i, path in enumerate((old, new)):
        path.parent.mkdir(parents=True)
        path.write_text("{}")

        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    monkeypatch.delenv("STEDI_REPORT", raising=False)
    if where == "env file":
        monkeypatch.setenv("STEDI_REPORT", str(old))
        assert find_report() == old
    elif where == "env folder":
        monkeypatch.setenv("STEDI_REPORT", str(tmp_path / "reports"))
        assert find_report() == new
    else:
        monkeypatch.setenv("STEDI_LAKE", str(tmp_path / "lake"))
        assert find_report() == new


def test_the_report_notebook_never_takes_a_grades_or_another_lakes_report(tmp_path, monkeypatch):
    """reports/ also holds grades (reports/grade/<project>/) and other lakes' reports."""
    mine = tmp_path / "reports" / "rubric" / "report.json"
    others = [tmp_path / "reports" / "grade" / "p" / "report.json",
              tmp_path / "reports" / "lake-strict" / "strict" / "report.json"]  # fmt: skip
    for i, path in enumerate([mine, *others]):
        path.parent.mkdir(parents=True)
        path.write_text("{}")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    monkeypatch.delenv("STEDI_REPORT", raising=False)
    monkeypatch.setenv("STEDI_LAKE", str(tmp_path / "lake"))
    assert find_report() == mine
    monkeypatch.setenv("STEDI_LAKE", str(tmp_path / "lake-strict"))
    assert find_report() == others[1]


def test_no_report_is_an_error_naming_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("STEDI_REPORT", str(tmp_path / "empty"))
    with pytest.raises(LakehouseError, match="validation.run"):
        find_report()


def validated(repo: Path, lake: str, profile: str, status: str) -> Path:
    """A lake folder of `repo` and the report validation.run leaves for it."""
    from validation.run import default_report_dir

    root = repo / lake
    root.mkdir()
    report = default_report_dir(Lake(root), profile) / "report.json"
    report.parent.mkdir(parents=True)
    report.write_text(json.dumps({"lake": str(root), "profile": profile, "status": status}))
    return root


@pytest.mark.parametrize(
    ("reports", "chosen"),
    [
        ([("lake", "strict", "passed")], "lake"),
        ([("lake", "rubric", "passed")], None),  # a rubric lake is no strict lake
        ([("lake", "strict", "failed"), ("lake-strict", "strict", "passed")], "lake-strict"),
    ],
)
def test_the_explore_notebook_takes_a_lake_whose_validation_of_the_profile_passed(
    tmp_path, monkeypatch, reports, chosen
):
    monkeypatch.setattr(explore, "REPO", tmp_path)
    for lake, profile, status in reports:
        validated(tmp_path, lake, profile, status)
    found = explore._validated_repo_lake("strict")
    assert (found.root.name if found else None) == chosen


def test_the_explore_notebook_refuses_a_lake_whose_validation_failed(tmp_path, monkeypatch):
    """The rubric lake, validated as strict, failed: it must not be shown as the strict lake."""
    monkeypatch.setattr(explore, "REPO", tmp_path)
    monkeypatch.delenv("STEDI_LAKE_STRICT", raising=False)
    validated(tmp_path, "lake", "strict", "failed")
    with pytest.raises(LakehouseError) as refused:
        explore.lake_from_env("strict")
    message = str(refused.value)
    assert len(message.splitlines()) == 1 and "strict validation of lake/ failed" in message
    assert "lakehouse run --profile strict --lake lake-strict" in message


# -- executing the notebooks --------------------------------------------------------------
def plant_non_consenting_customer(lake: Lake) -> None:
    """Copy a customer without consent into customer_trusted: a privacy violation."""
    rows = minilake.derive("rubric")
    trusted = rows["customer_trusted"]
    intruder = next(c for c in rows["customer_landing"] if "shareWithResearchAsOfDate" not in c)
    folder = Path(lake.local_path("s3://stedi-lake-house/customer/trusted/"))
    minilake.write_parquet(folder, [*trusted, intruder], minilake.CUSTOMER_COLUMNS)


def test_report_notebook_shows_the_failures_of_a_lake_with_a_privacy_violation(
    tmp_path, monkeypatch
):
    from validation.run import main as validate

    lake = Lake(tmp_path / "lake")
    minilake.build(lake, "rubric")
    plant_non_consenting_customer(lake)
    reports = tmp_path / "reports"
    assert validate(["--lake", str(lake.root), "--report-dir", str(reports), "--quiet"]) == 1
    report = json.loads((reports / "report.json").read_text())
    failed = failures_frame(report)
    assert "customer_trusted" in set(failed["table"])
    assert (tables_frame(report).set_index("table").loc["customer_trusted", "status"]) == "failed"

    nb = execute(NOTEBOOKS / "validation_report.ipynb", {"STEDI_REPORT": str(reports)}, monkeypatch)
    text = "\n".join(outputs(nb, "stream") + outputs(nb, "text/plain"))
    assert "status failed" in text
    for check in failed.loc[failed["table"] == "customer_trusted", "check"]:
        assert check in text
    assert len(outputs(nb, "image/png")) == 1


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """A new shell's environment: no virtualenv, no PYTHONPATH, no STEDI_* variables."""
    home.mkdir(exist_ok=True)
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **extra}


def readme_command(start: str) -> str:
    from tests.test_readme_commands import _fenced_commands, _inline_commands

    readme = (REPO / "README.md").read_text()
    return next(c for c in _fenced_commands(readme) + _inline_commands(readme) if start in c)


@pytest.mark.e2e
def test_the_readmes_jupyter_command_opens_both_notebooks(after_make_run, tmp_path):
    """The README's `make notebooks` line, pasted into a new shell after `make run`, serves
    both notebooks and the python3 kernel (asked over its REST API on loopback, as the
    browser tab would)."""
    import signal
    import socket
    import subprocess
    import time
    import urllib.request

    command = readme_command("make notebooks")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "stedi-notebook-test"
    server = subprocess.Popen(
        ["bash", "-c", f"exec {command} JUPYTER_ARGS='--no-browser --ServerApp.ip=127.0.0.1 "
         f"--ServerApp.port={port} --IdentityProvider.token={token}'"],
        cwd=after_make_run, env=bare_env(tmp_path / "home"), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def get(path: str) -> dict:
        url = f"http://127.0.0.1:{port}/api/{path}?token={token}"
        with urllib.request.urlopen(url, timeout=30) as answer:
            return json.loads(answer.read())

    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                get("status")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()[-2000:]
                assert time.monotonic() < deadline, "jupyter lab did not answer in 240 s"
                time.sleep(1)
        for name in ("explore_lakehouse.ipynb", "validation_report.ipynb"):
            doc = get(f"contents/{name}")
            assert doc["type"] == "notebook" and doc["content"]["cells"], name
        assert KERNEL in get("kernelspecs")["kernelspecs"]  # the venv's (test above)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)


def html_text(path: Path) -> str:
    """The visible text of an nbconvert HTML page (outputs included)."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


@pytest.mark.e2e
def test_the_readmes_nbconvert_command_runs_both_notebooks_from_the_notebooks_folder(
    after_make_run, tmp_path
):
    """Jupyter starts in notebooks/ with no variables set: the repository's lake/ and reports/."""
    import re
    import subprocess

    command = readme_command("jupyter nbconvert")
    assert command.startswith("cd notebooks && ") and "--execute" in command
    env = bare_env(tmp_path / "home", STEDI_NOTEBOOK_TMP=str(tmp_path / "nb"))
    done = subprocess.run(
        ["bash", "-c", command], cwd=after_make_run, env=env, capture_output=True, text=True,
        timeout=1200, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    out = after_make_run / "reports" / "notebooks"

    report_page = (out / "validation_report.html").read_text()
    text = html_text(out / "validation_report.html")
    assert str(after_make_run / "reports" / "rubric" / "report.json") in text
    assert "status   passed" in text
    assert "Traceback" not in report_page

    explore_page = (out / "explore_lakehouse.html").read_text()
    assert str(after_make_run / "lake") in html_text(out / "explore_lakehouse.html")
    images = re.findall(r'<img[^>]+src="data:image/png;base64,([^"]+)"', explore_page)
    assert len(images) == 4
    assert all(base64.b64decode(i)[:4] == b"\x89PNG" for i in images)
    assert "Traceback" not in explore_page
    # The join figure's numbers are the lake's: rubric pairs add up to the ML table.
    with LocalEngine(Lake(after_make_run / "lake")) as engine:
        pairs = explore.rubric_pairs(engine)["rows"].sum()
        assert pairs == engine.count(MACHINE_LEARNING_CURATED.name)
