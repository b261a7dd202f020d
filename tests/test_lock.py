"""One run per lake: a second run fails at once naming the holder; stale locks are reclaimed."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from localglue.errors import LakehouseError
from localglue.lock import holder, lake_lock, lock_path

HOLDER_SCRIPT = textwrap.dedent(
    """
    import sys
    from localglue.lake import Lake
    from localglue.lock import lake_lock

    with lake_lock(Lake(sys.argv[1]), run_id="run-in-subprocess", command="test"):
        print("held", flush=True)
        sys.stdin.readline()
    """
)


@pytest.fixture
def other_process_holding(lake):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(lake.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        if proc.poll() is None:
            proc.stdin.write("\n")
            proc.stdin.flush()
        proc.wait(timeout=30)


def _write_lock(lake, **fields):
    path = lock_path(lake)
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "run_id": "old-run",
        "pid": os.getpid(),
        "pid_started": psutil.Process().create_time(),
        "host": socket.gethostname(),
        "command": "run",
        "started": "2024-01-01T00:00:00+00:00",
        **fields,
    }
    path.write_text(json.dumps(record))
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_second_run_fails_at_once_naming_the_holder(lake, other_process_holding):
    started = time.monotonic()
    with pytest.raises(LakehouseError) as info, lake_lock(lake, run_id="second"):
        pass
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert message.startswith(f"lake {lake.root} is locked by run run-in-subprocess ")
    assert f"(pid {other_process_holding.pid} on host {socket.gethostname()} since " in message
    assert message.endswith(f"wait for it or remove {lock_path(lake)} if that run is gone")


def test_the_lock_is_free_again_when_the_holder_finishes(lake, other_process_holding):
    other_process_holding.stdin.write("\n")
    other_process_holding.stdin.flush()
    other_process_holding.wait(timeout=30)
    with lake_lock(lake, run_id="next") as record:
        assert holder(lake)["run_id"] == "next" == record["run_id"]
    assert holder(lake) is None


@pytest.mark.parametrize(
    "stale",
    [
        pytest.param(lambda: {"pid": _dead_pid()}, id="dead-pid"),
        pytest.param(
            lambda: {"pid_started": psutil.Process().create_time() - 3600}, id="reused-pid"
        ),
    ],
)
def test_a_stale_lock_is_taken_over_with_a_warning(lake, caplog, stale):
    _write_lock(lake, **stale())
    with caplog.at_level(logging.WARNING, logger="localglue.lock"), lake_lock(lake, run_id="new"):
        assert holder(lake)["run_id"] == "new"
    assert "taking over the stale lock" in caplog.text and "old-run" in caplog.text


def test_a_lock_from_another_host_is_respected(lake):
    _write_lock(lake, pid=_dead_pid(), host="some-other-host")
    with pytest.raises(LakehouseError, match="pid .* on host some-other-host"), lake_lock(lake):
        pass


def test_an_unreadable_lock_is_respected_while_fresh_and_reclaimed_when_old(lake):
    path = lock_path(lake)
    path.parent.mkdir(parents=True)
    path.write_text("")
    with pytest.raises(LakehouseError, match="locked by an unknown run"), lake_lock(lake):
        pass
    old = time.time() - 60
    os.utime(path, (old, old))
    with lake_lock(lake, run_id="after"):
        assert holder(lake)["run_id"] == "after"


def test_nested_acquisition_in_one_process_is_reentrant(lake):
    with lake_lock(lake, run_id="outer"), lake_lock(lake, run_id="inner") as inner:
        assert inner["run_id"] == "outer"
    assert holder(lake) is None


def test_release_never_removes_someone_elses_lock(lake):
    with lake_lock(lake, run_id="mine"):
        _write_lock(lake, run_id="theirs")
    assert holder(lake)["run_id"] == "theirs"
