"""A second Python process for CPU-bound work (localglue/helper_process.py): calls run there,
errors come back, and a process that died loses nothing: the caller does the work itself (the
grade's count images, a big landing source's files)."""

from __future__ import annotations

import os

import pytest

from grading.report import count_screenshots
from localglue.helper_process import HelperProcess


def report_of(counts: dict[str, int]) -> dict:
    tables = {
        name: {
            "rows": n,
            "database": "stedi",
            "location": f"s3://b/{name}/",
            "expected": n,
            "expected_strict": n,
            "status": "ok",
        }
        for name, n in counts.items()
    }
    return {"tables": tables, "database": "stedi", "counts_match": "rubric"}


def test_a_call_runs_in_the_drawing_process_and_returns_its_result():
    with HelperProcess() as pool:
        assert pool.submit(os.getpid).result(timeout=60) not in (None, os.getpid())


def test_an_error_in_the_drawing_process_reaches_the_caller():
    with HelperProcess() as pool, pytest.raises(RuntimeError, match="ZeroDivisionError"):
        pool.submit(divmod, 1, 0).result(timeout=60)


@pytest.mark.parametrize("dead", [False, True], ids=["alive", "died"])
def test_every_count_image_is_drawn_whether_or_not_the_process_lives(tmp_path, dead):
    counts = {"customer_landing": 956, "customer_trusted": 482, "customer_curated": 482}
    with HelperProcess() as pool:
        if dead:
            pool.proc.kill()
            pool.proc.wait()
        shots = count_screenshots(report_of(counts), tmp_path, "sample", pool)
    assert [p.name for p in shots] == [f"count_{name}.png" for name in counts]
    for path in shots:
        assert path.stat().st_size > 0 and path.with_suffix(".json").is_file()
