"""Shared fixtures: one Spark session for the whole suite, the shared STEDI data, lakes."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("STEDI_SHARED_DATA") or REPO.parent / "shared" / "data" / "stedi-udacity"
)

# Modules whose tests take seconds each (whole pipelines, GX checkpoints, hypothesis through
# Spark): marked `slow`, so `make test-fast` (-m "not e2e and not slow") is the inner loop.
SLOW_MODULES = {
    "test_aws_moto",  # every test a setup or deploy against the moto server: 5-20 s each
    "test_beyond_one_machine",
    "test_ci_gate",  # a pytest run inside the test
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


# Session fixtures whose users share one xdist worker (`--dist loadgroup`), so that each is
# built once, not once per worker: the shared-data lakes and the `make run` checkout.
SHARED_BUILDS = ("shared_lake", "after_make_run")


def xdist_group_of(item, heavy: set[str]) -> str | None:
    """The one xdist group of a test, or None: any test may go to any worker.

    A session build's users go to its group; a module may name its group (test_warm.py). A
    test of a heavy module using a module-scoped fixture of that module (a grade, a pipeline
    run, a pip install) goes to its module's group: tests sent one by one to alternating
    workers would build that fixture on each worker."""
    fixtures = getattr(item, "fixturenames", ())
    for name in SHARED_BUILDS:
        if name in fixtures:
            return name
    if marker := item.get_closest_marker("xdist_group"):
        return str(marker.args[0])
    module = item.module.__name__
    if module not in heavy:
        return None  # a light module's fixture is cheaper than a whole module on one worker
    info = getattr(item, "_fixtureinfo", None)
    for defs in info.name2fixturedefs.values() if info else ():
        if any(d.scope == "module" and d.func.__module__ == module for d in defs):
            return module.rsplit(".", 1)[-1]
    return None


def pytest_collection_modifyitems(config, items):
    """`slow` by module; one xdist group per shared build (above); and the heavy modules first,
    so that `-n 2 --dist loadgroup`, which deals tests out in collection order, starts the long
    groups at once and ends on short tests rather than on one worker's long group."""
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    heavy = {
        item.module.__name__
        for item in items
        if item.get_closest_marker("e2e") or item.get_closest_marker("slow")
    }
    # Whole modules move, each keeping its order: module fixtures are built once per run of
    # a module's tests. sort() is stable, so every worker collects the same order.
    items.sort(key=lambda item: item.module.__name__ not in heavy)
    groups = {item.nodeid: xdist_group_of(item, heavy) for item in items}
    workerinput = getattr(config, "workerinput", {})
    if "stedi_groups" in workerinput:  # an xdist worker: tell the controller (below)
        path = Path(workerinput["stedi_groups"]) / f"{workerinput['workerid']}.json"
        path.parent.mkdir(exist_ok=True)  # a worker that replaces a crashed one comes later
        path.write_text(json.dumps({k: v for k, v in groups.items() if v}))


# pytest 9 builds item.nodeid from item._id, so the "@group" suffix xdist 3.8 writes into
# item._nodeid never reaches its scheduler and `xdist_group` marks group nothing. The workers
# write each test's group to a file (above) and the controller's scheduler reads it.
@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    if not hasattr(node.config, "stedi_groups"):
        node.config.stedi_groups = tempfile.mkdtemp(prefix="xdist-groups-")
    node.workerinput["stedi_groups"] = node.config.stedi_groups


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup" or not hasattr(config, "stedi_groups"):
        return None
    from xdist.scheduler import LoadGroupScheduling

    folder = Path(config.stedi_groups)

    class FileGroupScheduling(LoadGroupScheduling):
        """LoadGroupScheduling whose groups are the ones the workers wrote down."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # every worker has sent its collection: files are written
                files = sorted(folder.glob("*.json"))
                self.groups = json.loads(files[0].read_text()) if files else {}
                shutil.rmtree(folder, ignore_errors=True)
            if nodeid in self.groups:
                return "@" + self.groups[nodeid]
            return super()._split_scope(nodeid)

    return FileGroupScheduling(config, log)


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
