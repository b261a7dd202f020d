"""The pipeline on generated samples: every profile lands on the generator's counts, re-runs
replace rather than append, strict keeps its privacy promise, and the commands behave.

Jobs run in-process through stedi.pipeline (one shared JVM: the session `spark` fixture).
"""

from __future__ import annotations

import json

import pytest
from test_pipeline_checks import counts, privacy_violations, row_multisets

from lakehouse.cli import main as cli_main
from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi import pipeline
from stedi.generator import generate
from stedi.ingest import ingest


def run_ok(profile: str, lake, spark, on_final=None) -> None:
    results = pipeline.run_profile(profile, lake, spark=spark, on_final=on_final)
    failed = [r for r in results if not r.ok]
    assert not failed, f"{failed[0].name}: {failed[0].error}\n{failed[0].traceback}"
    assert [r.name for r in results] == list(pipeline.JOBS)


def expected(sample, profile: str) -> dict[str, int]:
    manifest = json.loads((sample / "manifest.json").read_text())
    return {
        t: n for t, n in manifest["expected_counts"][profile].items() if not t.endswith("_landing")
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    generate(out, 60, seed=21)
    return out


@pytest.fixture(scope="module", params=pipeline.PROFILES)
def twice(request, sample, spark, tmp_path_factory):
    """A lake where the profile ran twice: (profile, lake, tables after run 1, after run 2).

    The second run records what it announced final (`on_final`) in `announced[profile]`."""
    profile = request.param
    lake = Lake(tmp_path_factory.mktemp(f"lake-{profile}"))
    ingest(sample, lake)
    run_ok(profile, lake, spark)
    first = row_multisets(lake)
    said = announced.setdefault(profile, [])
    run_ok(profile, lake, spark, on_final=said.append)
    return profile, lake, first, row_multisets(lake)


announced: dict[str, list] = {}


def test_counts_equal_the_generator_manifest(twice, sample):
    profile, lake, _, _ = twice
    assert counts(lake) == expected(sample, profile)


def test_each_table_is_announced_final_when_no_later_job_writes_it(twice):
    """Validation checks a table as soon as it is announced (lakehouse run): the landing
    tables before the first job, then each job's table once that job has committed it."""
    profile = twice[0]
    assert announced[profile] == [
        list(pipeline.LANDING_TABLES),
        *([pipeline.OUTPUT_OF_JOB[job]] for job in pipeline.JOBS),
    ]


def test_running_a_profile_twice_gives_identical_tables(twice):
    """Glue's S3 sink appends; each job's purge node makes a re-run replace its table."""
    _, _, first, second = twice
    assert {t: sum(c.values()) for t, c in second.items()} == {
        t: sum(c.values()) for t, c in first.items()
    }
    assert second == first


def test_strict_lake_keeps_the_privacy_promise(twice):
    profile, lake, _, _ = twice
    if profile == "rubric":
        # the rubric profile is the Udacity spec: it leaks by design (checked, not excused)
        assert privacy_violations(lake)
    else:
        assert privacy_violations(lake) == []


def test_jobs_register_their_tables_in_the_catalog(twice):
    from localglue.catalog import Catalog, table_format, table_location

    _, lake, _, _ = twice
    catalog = Catalog(lake)
    for table, uri in pipeline.LOCATIONS.items():
        doc = catalog.get_table("stedi", table)
        assert table_location(doc).rstrip("/") == uri.rstrip("/")
        assert table_format(doc) == ("json" if table.endswith("_landing") else "parquet")


@pytest.mark.parametrize(
    ("profile", "customers", "seed", "drift"),
    [("rubric", 30, 3, True), ("strict", 30, 3, True), ("strict", 150, 8, False)],
)
def test_counts_equal_the_manifest_for_other_seeds_and_sizes(
    tmp_path, spark, profile, customers, seed, drift
):
    generate(tmp_path / "s", customers, seed, drift)
    lake = Lake(tmp_path / "lake")
    ingest(tmp_path / "s", lake)
    run_ok(profile, lake, spark)
    assert counts(lake) == expected(tmp_path / "s", profile)


# -- commands -----------------------------------------------------------------------------------


def test_run_without_ingested_data_says_what_to_do(tmp_path, capsys):
    assert cli_main(["run", "--lake", str(tmp_path / "empty"), "--no-validate"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "python -m lakehouse ingest" in err


def test_run_command_stops_at_the_first_failing_job(tmp_path, spark, capsys, monkeypatch):
    generate(tmp_path / "s", 12, seed=1)
    lake = Lake(tmp_path / "lake")
    ingest(tmp_path / "s", lake)
    jobs = tmp_path / "jobs" / "rubric"
    jobs.mkdir(parents=True)
    for job in pipeline.JOBS:
        text = (pipeline.STUDIO_JOBS / "rubric" / f"{job}.py").read_text()
        if job == "customer_trusted_to_curated":
            text = text.replace('table_name="accelerometer_trusted"', 'table_name="no_such_table"')
        (jobs / f"{job}.py").write_text(text)
    monkeypatch.setattr(pipeline, "STUDIO_JOBS", tmp_path / "jobs")
    assert cli_main(["run", "--lake", str(lake.root), "--no-validate"]) == 1
    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if "job customer_trusted_to_curated failed" in line]
    assert failed and "no_such_table" in err
    assert not (lake.root / "stedi-lake-house" / "step_trainer" / "trusted").exists(), "stopped"


def test_demo_generates_ingests_runs_and_reports(tmp_path, spark, capsys):
    code = cli_main(
        ["demo", "--lake", str(tmp_path / "lake"), "--sample", str(tmp_path / "sample")]
    )
    out = capsys.readouterr().out
    assert (tmp_path / "sample" / "manifest.json").is_file()
    assert "row counts (rubric profile)" in out
    table_lines = [
        line for line in out.splitlines() if line.split()[:1] and line.split()[0] in pipeline.TABLES
    ]
    assert len(table_lines) == 8 and all(line.endswith("ok") for line in table_lines), out
    assert code == 0, out  # jobs ran, counts matched, the validation report passed


def test_validation_gets_the_lake_and_profile(tmp_path, monkeypatch):
    import validation.run
    from lakehouse.cli.run import validate

    seen = []
    monkeypatch.setattr(validation.run, "main", lambda argv: seen.append(argv) or 1)
    assert validate(Lake(tmp_path), "strict") == 1
    assert seen == [["--lake", str(Lake(tmp_path).root), "--profile", "strict", "--data-docs"]]


def test_a_run_whose_validation_cannot_run_fails_and_says_how_to_fix_it(tmp_path, monkeypatch):
    import sys

    from lakehouse.cli.run import validate

    monkeypatch.setitem(sys.modules, "validation.run", None)  # import now raises ImportError
    with pytest.raises(LakehouseError, match="validation cannot run.*make venv"):
        validate(Lake(tmp_path), "rubric")
