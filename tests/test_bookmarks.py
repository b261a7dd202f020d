"""Job bookmarks as documented ("Tracking processed data using job bookmarks"): per job and
transformation_ctx, enable/pause/disable, state advanced only by job.commit()."""

import json
import os

import pytest

from localglue import bookmarks
from localglue.awsglue.job import Job
from localglue.lake import using


@pytest.fixture
def landing(lake):
    folder = lake.root / "stedi-lake-house" / "customer" / "landing"
    folder.mkdir(parents=True)

    def add(name: str) -> str:
        path = folder / name
        path.write_text('{"a": 1}\n')
        return str(path)

    add.folder = folder
    return add


def files_of(landing):
    return sorted(str(p) for p in landing.folder.iterdir())


def run(lake, landing, option, ctx="src_node1", commit=True, job="j"):
    """One job run: init, let a source select its files, maybe commit."""
    with using(lake):
        job_obj = Job(None)
        job_obj.init(job, {"JOB_NAME": job, "job_bookmark_option": option})
        chosen = bookmarks.select_files(ctx, files_of(landing))
        if commit:
            job_obj.commit()
        bookmarks.end_run()
    return [os.path.basename(f) for f in chosen]


def test_enable_reads_only_files_not_committed_before(lake, landing):
    landing("a.json")
    assert run(lake, landing, "job-bookmark-enable") == ["a.json"]
    assert run(lake, landing, "job-bookmark-enable") == []
    landing("b.json")
    assert run(lake, landing, "job-bookmark-enable") == ["b.json"]


def test_enable_rereads_a_file_whose_last_modified_time_changed(lake, landing):
    path = landing("a.json")
    run(lake, landing, "job-bookmark-enable")
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert run(lake, landing, "job-bookmark-enable") == ["a.json"]


def test_without_commit_the_bookmark_does_not_advance(lake, landing):
    landing("a.json")
    assert run(lake, landing, "job-bookmark-enable", commit=False) == ["a.json"]
    assert run(lake, landing, "job-bookmark-enable") == ["a.json"]


def test_pause_reads_new_files_but_does_not_advance(lake, landing):
    landing("a.json")
    run(lake, landing, "job-bookmark-enable")
    landing("b.json")
    assert run(lake, landing, "job-bookmark-pause") == ["b.json"]
    assert run(lake, landing, "job-bookmark-pause") == ["b.json"]
    assert run(lake, landing, "job-bookmark-enable") == ["b.json"]


def test_disable_reads_everything_and_keeps_no_state(lake, landing):
    landing("a.json")
    run(lake, landing, "job-bookmark-enable")
    assert run(lake, landing, "job-bookmark-disable") == ["a.json"]
    state = json.loads((lake.bookmarks_dir / "j.json").read_text())
    assert state["run"] == 1


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # A source without transformation_ctx is never bookmarked.
        ({"ctx": None}, {"ctx": None}, ["a.json"]),
        # State is per transformation_ctx ...
        ({"ctx": "node1"}, {"ctx": "node2"}, ["a.json"]),
        # ... and per job.
        ({"job": "one"}, {"job": "two"}, ["a.json"]),
    ],
)
def test_state_is_scoped_to_job_and_transformation_ctx(lake, landing, first, second, expected):
    landing("a.json")
    run(lake, landing, "job-bookmark-enable", **first)
    assert run(lake, landing, "job-bookmark-enable", **second) == expected


def test_state_file_is_lake_relative_json(lake, landing):
    landing("a.json")
    run(lake, landing, "job-bookmark-enable")
    state = json.loads((lake.bookmarks_dir / "j.json").read_text())
    assert list(state["sources"]["src_node1"]) == ["stedi-lake-house/customer/landing/a.json"]


def test_reset_makes_the_next_run_read_everything(lake, landing):
    landing("a.json")
    run(lake, landing, "job-bookmark-enable")
    bookmarks.reset(lake, "j")
    assert run(lake, landing, "job-bookmark-enable") == ["a.json"]


def test_no_current_job_reads_everything(lake, landing):
    landing("a.json")
    assert bookmarks.current_run() is None
    assert bookmarks.select_files("src_node1", files_of(landing)) == files_of(landing)


def test_bookmark_option_falls_back_to_resolved_arguments(lake, landing):
    """job.init(name) without args still honours --job-bookmark-option from getResolvedOptions."""
    from localglue.awsglue import utils

    landing("a.json")
    saved = dict(utils._global_args)
    utils._global_args["job_bookmark_option"] = "job-bookmark-enable"
    try:
        with using(lake):
            Job(None).init("k").commit()
        assert bookmarks.load_state(lake, "k")["run"] == 1
    finally:
        utils._global_args.clear()
        utils._global_args.update(saved)
        bookmarks.end_run()


# -- through a real Glue script ---------------------------------------------------------
SCRIPT = os.path.join(os.path.dirname(__file__), "fixtures", "bookmarks", "landing_to_trusted.py")


def _write_landing(lake, name: str, rows: list[dict]) -> None:
    folder = lake.root / "stedi-lake-house" / "customer" / "landing"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows))


def _trusted_ids(lake) -> list[int]:
    import duckdb

    folder = lake.root / "stedi-lake-house" / "customer" / "trusted"
    files = sorted(str(p) for p in folder.rglob("*.parquet"))
    if not files:
        return []
    return sorted(r[0] for r in duckdb.sql(f"select id from read_parquet({files!r})").fetchall())


@pytest.mark.parametrize(
    ("option", "second_run_rows"),
    [
        ("job-bookmark-enable", {}),
        ("job-bookmark-disable", {"s3://stedi-lake-house/customer/trusted/": 2}),
    ],
)
def test_second_run_with_no_new_files(spark, lake, option, second_run_rows):
    """With job-bookmark-enable a rerun over unchanged landing files writes nothing new;
    with bookmarks disabled (the default) it reads and writes every file again."""
    from localglue.runner import run_script

    _write_landing(lake, "a.json", [{"id": 1}, {"id": 2}])
    argv = ["--JOB_NAME", "bm", "--job-bookmark-option", option]
    first = run_script(SCRIPT, argv, lake, spark=spark)
    assert first.ok, first.traceback
    assert first.rows_written == {"s3://stedi-lake-house/customer/trusted/": 2}
    second = run_script(SCRIPT, argv, lake, spark=spark)
    assert second.ok, second.traceback
    assert {k: v for k, v in second.rows_written.items() if v} == second_run_rows
    if option == "job-bookmark-enable":
        _write_landing(lake, "b.json", [{"id": 3}])
        third = run_script(SCRIPT, argv, lake, spark=spark)
        assert third.rows_written == {"s3://stedi-lake-house/customer/trusted/": 1}
        assert 3 in _trusted_ids(lake)
