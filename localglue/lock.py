"""One run at a time per lake: `with lake_lock(lake, run_id=..., command=...):`.

Two runs writing the same lake would interleave Parquet files, bookmarks and catalog
updates, so the second one fails at once with a message that says who holds the lake.
The lock is `<lake>/_runs/lock`, created with O_CREAT|O_EXCL (atomic on local file
systems) and holding pid, host, run id, command and start time as JSON.

A lock left by a process that died (same host, pid gone, or pid reused by a process that
started after the lock) is stale: it is taken over with a warning. A lock from another host
cannot be checked and is respected. Nested acquisition in the same process (e.g. a pipeline
that ingests then runs) is re-entrant.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psutil

from localglue.errors import LakehouseError

log = logging.getLogger("localglue.lock")

LOCK_NAME = "lock"
# A lock file that exists but holds no readable JSON is being written right now,
# unless it is older than this: then its writer died between create and write.
UNREADABLE_GRACE_SECONDS = 5.0

_held: dict[Path, int] = {}  # lock path -> nesting depth in this process


def lock_path(lake) -> Path:
    return Path(lake.runs_dir) / LOCK_NAME


def _process_started(pid: int) -> float | None:
    try:
        return psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None


def _holder_alive(holder: dict) -> bool:
    """False only when we can tell the holding process is gone."""
    if holder.get("host") != socket.gethostname():
        return True
    pid = holder.get("pid")
    if not isinstance(pid, int) or not psutil.pid_exists(pid):
        return False
    try:
        if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return False
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
    started = _process_started(pid)
    recorded = holder.get("pid_started")
    # The pid now belongs to a process born after the lock holder: the holder is gone.
    return not (started and recorded and started > recorded + 1.0)


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _describe(root, path: Path, holder: dict | None) -> str:
    if holder is None:
        who = "an unknown run (the lock file is being written or is unreadable)"
    else:
        who = (
            f"run {holder.get('run_id')} (pid {holder.get('pid')} on host {holder.get('host')} "
            f"since {holder.get('started')})"
        )
    return f"lake {root} is locked by {who}; wait for it or remove {path} if that run is gone"


def _create(path: Path, record: dict) -> bool:
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(record, handle)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _remove_if_same(path: Path, seen: dict | None) -> None:
    """Delete a stale lock, unless someone replaced it since we looked (a reclaim race)."""
    guard = path.with_name(path.name + ".reclaim")
    try:
        fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if time.time() - _mtime(guard) > UNREADABLE_GRACE_SECONDS:
            guard.unlink(missing_ok=True)
        return
    os.close(fd)
    try:
        with contextlib.suppress(FileNotFoundError):
            if _read(path) == seen:
                path.unlink()
    finally:
        guard.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()


def acquire(lake, run_id: str | None = None, command: str | None = None) -> dict:
    """Take the lake lock or raise LakehouseError naming its holder; returns our record."""
    path = lock_path(lake)
    path.parent.mkdir(parents=True, exist_ok=True)
    me = psutil.Process()
    record = {
        "run_id": run_id or uuid.uuid4().hex[:12],
        "pid": os.getpid(),
        "pid_started": me.create_time(),
        "host": socket.gethostname(),
        "command": command,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for _ in range(3):
        if _create(path, record):
            return record
        try:
            holder = _read(path)
        except FileNotFoundError:
            continue  # released between our create and read: try again
        if holder is None:
            if time.time() - _mtime(path) <= UNREADABLE_GRACE_SECONDS:
                raise LakehouseError(_describe(lake.root, path, None))
        elif _holder_alive(holder):
            raise LakehouseError(_describe(lake.root, path, holder))
        log.warning(
            "taking over the stale lock of %s: %s",
            lake.root,
            "unreadable lock file"
            if holder is None
            else f"run {holder.get('run_id')} (pid {holder.get('pid')}, "
            f"since {holder.get('started')}) is no longer running",
        )
        _remove_if_same(path, holder)
    raise LakehouseError(_describe(lake.root, path, _read_quietly(path)))


def _read_quietly(path: Path) -> dict | None:
    try:
        return _read(path)
    except FileNotFoundError:
        return None


def release(lake, record: dict) -> None:
    """Remove the lock if it is still ours (never someone else's)."""
    path = lock_path(lake)
    with contextlib.suppress(FileNotFoundError):
        holder = _read(path)
        if (
            holder
            and holder.get("pid") == record["pid"]
            and holder.get("run_id") == record["run_id"]
        ):
            path.unlink()


def holder(lake) -> dict | None:
    """The current lock record of a lake, or None when it is free."""
    return _read_quietly(lock_path(lake))


@contextlib.contextmanager
def lake_lock(lake, run_id: str | None = None, command: str | None = None):
    """Hold the lake for the block; re-entrant within one process."""
    path = lock_path(lake).resolve()
    if _held.get(path):
        _held[path] += 1
        try:
            yield holder(lake)
        finally:
            _held[path] -= 1
        return
    record = acquire(lake, run_id=run_id, command=command)
    _held[path] = 1
    try:
        yield record
    finally:
        _held.pop(path, None)
        release(lake, record)
