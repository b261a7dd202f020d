"""Shared fixtures: one Spark session for the whole suite, the shared STEDI data, lakes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("STEDI_SHARED_DATA") or REPO.parent / "shared" / "data" / "stedi-udacity"
)

# Modules whose tests take seconds each (whole pipelines, GX checkpoints, hypothesis through
# Spark): marked `slow`, so `make test-fast` (-m "not e2e and not slow") is the inner loop.
SLOW_MODULES = {
    "test_beyond_one_machine",
    "test_crash_safety",
    "test_dqdl_render_roundtrip",
    "test_glue_studio_script",
    "test_grade_formats",
    "test_grade_hostile",
    "test_grade_projects",
    "test_gx_compat",
    "test_notebooks",
    "test_pipeline",
    "test_pipeline_shared",
    "test_privacy_properties",
    "test_rerun_properties",
    "test_screenshots",
    "test_validation_ledger",
    "test_validation_paths",
    "test_validation_preload",
    "test_validation_run",
    "test_validation_early",
    "test_warm",
}


def pytest_collection_modifyitems(items):
    """`slow` by module; every user of the shared-data lakes (or of the `make run` checkout) on
    one xdist worker, so that `-n 2 --dist loadgroup` builds each once, not once per worker."""
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        fixtures = getattr(item, "fixturenames", ())
        if "shared_lake" in fixtures:
            item.add_marker(pytest.mark.xdist_group("shared_lake"))
        if "after_make_run" in fixtures:
            item.add_marker(pytest.mark.xdist_group("after_make_run"))


# Small, quiet, deterministic: set before the JVM starts.
os.environ.setdefault("STEDI_SHUFFLE_PARTITIONS", "2")
os.environ.setdefault("STEDI_DRIVER_MEMORY", "2g")
# A warm runtime a developer left running (lakehouse warm) must not run the suite's jobs.
os.environ["STEDI_WARM"] = "0"


@pytest.fixture(scope="session")
def spark():
    from localglue.spark import get_spark

    session = get_spark("local[2]")
    yield session


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real STEDI starter data beside the repo (never copied into it). Missing, the
    headline counts are skipped on a laptop and FAIL in CI (the CI variable set): a CI run
    that cannot check the graders' numbers has not passed."""
    if not (SHARED_DATA / "customer" / "landing").is_dir():
        missing = f"the shared STEDI data is not at {SHARED_DATA}"
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; CI must check the headline counts (or set STEDI_SHARED_DATA)")
        pytest.skip(missing)
    return SHARED_DATA


@pytest.fixture
def lake(tmp_path):
    from localglue.lake import Lake

    return Lake(tmp_path / "lake")


@pytest.fixture
def glue(spark, lake):
    """A GlueContext whose s3:// paths resolve into this test's lake."""
    from localglue.awsglue.context import GlueContext
    from localglue.lake import using

    with using(lake):
        yield GlueContext(spark.sparkContext)


@pytest.fixture
def put_json(glue, lake, request):
    """put_json(name, *records): JSON lines at s3://<module BUCKET>/<name>/, read back as an
    S3 JSON source frame (transformation_ctx = name), as a Glue Studio S3 node reads them."""
    import json

    bucket = getattr(request.module, "BUCKET", "stedi-lake-house")

    def make(name, *records):
        path = lake.root / bucket / name / "part.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        return glue.create_dynamic_frame.from_options(
            connection_type="s3",
            format="json",
            connection_options={"paths": [f"s3://{bucket}/{name}/"]},
            transformation_ctx=name,
        )

    return make


@pytest.fixture(scope="session")
def shared_lake(shared_data, spark, tmp_path_factory):
    """shared_lake(profile): the shared STEDI data ingested and run through that profile.

    Built at most once per profile per session, because each build is the suite's heaviest
    work. Treat it as read-only: copy it (shutil.copytree) before planting anything.
    """
    from localglue.lake import Lake
    from stedi import pipeline
    from stedi.ingest import ingest

    lakes: dict[str, Lake] = {}

    def get(profile: str) -> Lake:
        if profile not in lakes:
            lake = Lake(tmp_path_factory.mktemp(f"shared-{profile}") / "lake")
            ingest(shared_data, lake)
            results = pipeline.run_profile(profile, lake, spark=spark)
            failed = [r for r in results if not r.ok]
            assert not failed, f"{failed[0].name}: {failed[0].error}"
            lakes[profile] = lake
        return lakes[profile]

    return get


@pytest.fixture(scope="session")
def after_make_run(tmp_path_factory) -> Path:
    """A copy of this checkout (tracked and new files) after the README's `make run`, with the
    project's venv, and ../shared beside it as in CI. Built once: its users share one worker."""
    import subprocess
    import sys

    from checkout import copy_checkout

    copy = copy_checkout(tmp_path_factory.mktemp("checkout") / "repo")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEDI_")}
    env["PYTHONPATH"] = str(copy)
    # The project's own venv stands in for the one `make run` would create (same pyproject).
    venv = Path(sys.executable).parent.parent
    (copy / ".venv").symlink_to(venv)
    stamp = venv / ".installed"  # make's mark that the venv holds this pyproject's install
    if stamp.is_file():
        before = stamp.stat().st_mtime - 1
        for prerequisite in ("pyproject.toml", "setup.py", "constraints.txt"):  # the Makefile's
            os.utime(copy / prerequisite, (before, before))
    done = subprocess.run(
        ["make", "-o", ".venv/.installed", "run"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    if SHARED_DATA.is_dir():
        (copy.parent / "shared" / "data").mkdir(parents=True)
        (copy.parent / "shared" / "data" / "stedi-udacity").symlink_to(SHARED_DATA)
    return copy
