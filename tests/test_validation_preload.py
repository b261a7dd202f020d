"""The validation child of `lakehouse run` (validation/preload.py): GX imports in a separate
process while the jobs run, the run's validation happens there, and nothing is lost when the
run never asks for it."""

from __future__ import annotations

import json
import subprocess
import sys

from validation.preload import Preloaded


def test_the_preloaded_child_runs_validation_with_the_argv_it_is_sent(tmp_path, capfd):
    with Preloaded() as child:
        code = child.run(["--lake", str(tmp_path / "no-lake"), "--quiet"])
    assert code == 2  # validation.run's configuration error: the lake does not exist
    assert "lake not found" in capfd.readouterr().err  # printed on the parent's terminal


def test_the_child_checks_tables_announced_final_before_the_request(tmp_path, capfd):
    from localglue.lake import Lake
    from tests import minilake

    lake = Lake(tmp_path / "lake")
    minilake.build(lake, "rubric")
    argv = ["--lake", str(lake.root), "--no-data-docs"]
    with Preloaded() as child:
        child.early(argv, ["customer_landing", "accelerometer_landing", "step_trainer_landing"])
        child.early(argv, ["customer_trusted"])
        code = child.run(argv)
    assert code == 0
    report = json.loads((tmp_path / "reports" / "rubric" / "report.json").read_text())
    assert report["timings"]["early_passes"] == 2
    assert capfd.readouterr().out.count("customer_trusted") == 1  # one report, printed once


def test_an_early_pass_that_fails_leaves_every_check_to_the_request(tmp_path, capfd):
    argv = ["--lake", str(tmp_path / "no-lake"), "--quiet"]
    with Preloaded() as child:
        child.early(argv, ["customer_landing"])
        code = child.run(argv)
    assert code == 2  # the request's own error, reported on the parent's terminal
    assert "lake not found" in capfd.readouterr().err


def test_a_child_never_asked_to_validate_is_stopped_when_the_run_ends():
    import time

    child = Preloaded()
    started = time.perf_counter()
    child.close()
    assert child.proc.returncode is not None  # gone, without waiting for GX's import
    assert time.perf_counter() - started < 5


def test_a_child_that_died_before_the_request_hands_validation_back_to_the_caller():
    child = Preloaded()
    child.proc.kill()
    child.proc.wait()
    assert child.run(["--quiet"]) is None  # lakehouse.cli.run.validate then runs it in-process
    child.close()


def test_a_process_without_spark_imports_gx_without_pyspark():
    """GX imports pyspark (and pyspark.ml) when it can; validation never runs GX on Spark."""
    probe = (
        "import sys; from validation import run; run._import_gx(); "
        "import great_expectations as gx; gx.get_context(mode='ephemeral'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyspark'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
