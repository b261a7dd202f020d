"""Job bookmarks: which input files a job already processed, per source.

Glue's documented S3 behaviour ("Tracking processed data using job bookmarks"):
- state belongs to a job and, inside it, to each source's `transformation_ctx`;
  a source without transformation_ctx is never bookmarked;
- `job-bookmark-enable`: a source reads only files it has not processed (an object whose
  last-modified time changed counts as new again); `job.commit()` records the run's files;
- `job-bookmark-pause`: read only new files, but do not advance the bookmark;
- `job-bookmark-disable` (the default): read everything, keep no state.
State lives in `<lake>/_bookmarks/<job_name>.json` as
{"job": name, "run": n, "sources": {ctx: {file: mtime_ns}}}.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from localglue import lake as lake_mod
from localglue.errors import LakehouseError

ENABLE, PAUSE, DISABLE = "job-bookmark-enable", "job-bookmark-pause", "job-bookmark-disable"
OPTIONS = (ENABLE, PAUSE, DISABLE)


def state_path(lake: lake_mod.Lake, job_name: str) -> Path:
    return lake.bookmarks_dir / f"{lake_mod.check_file_name('job name', job_name)}.json"


def load_state(lake: lake_mod.Lake, job_name: str) -> dict:
    from localglue.transaction import read_document

    text = read_document(state_path(lake, job_name))
    if text is None:
        return {"job": job_name, "run": 0, "sources": {}}
    return json.loads(text)


def reset(lake: lake_mod.Lake, job_name: str) -> None:
    """Like `aws glue reset-job-bookmark`: the next run reads everything again."""
    state_path(lake, job_name).unlink(missing_ok=True)


def _key(lake: lake_mod.Lake, file: str) -> str:
    """Files inside the lake are stored lake-relative so a moved lake keeps its bookmarks."""
    path = Path(lake.local_path(str(file))).resolve()
    try:
        return path.relative_to(lake.root).as_posix()
    except ValueError:
        return str(path)


def _mtime(lake: lake_mod.Lake, file: str) -> int:
    return os.stat(lake.local_path(str(file))).st_mtime_ns


@dataclass
class BookmarkRun:
    """One job run's bookmark: the committed state plus the files staged by this run."""

    job_name: str
    option: str
    lake: lake_mod.Lake
    state: dict
    staged: dict[str, dict[str, int]] = field(default_factory=dict)
    committed: bool = False

    def select(self, transformation_ctx: str | None, files: list[str]) -> list[str]:
        if self.option == DISABLE or not transformation_ctx:
            return list(files)
        done = self.state["sources"].get(transformation_ctx, {})
        chosen, stage = [], self.staged.setdefault(transformation_ctx, {})
        for file in files:
            key, mtime = _key(self.lake, file), _mtime(self.lake, file)
            if done.get(key) != mtime:
                chosen.append(file)
            stage[key] = mtime
        return chosen

    def commit(self) -> None:
        """Persist the staged files (enable only; pause and disable leave state alone)."""
        self.committed = True
        if self.option != ENABLE:
            return
        sources = self.state.setdefault("sources", {})
        for ctx, files in self.staged.items():
            sources.setdefault(ctx, {}).update(files)
        self.state["run"] = int(self.state.get("run", 0)) + 1
        from localglue.transaction import write_document

        # Inside a runner job this joins the job's transaction: the bookmark advances in the
        # same commit as the files the job wrote, never without them.
        text = json.dumps(self.state, indent=2, sort_keys=True) + "\n"
        write_document(state_path(self.lake, self.job_name), text)
        self.staged = {}


_current: BookmarkRun | None = None


def start_run(job_name: str, args: dict) -> BookmarkRun:
    """Called by Job.init: make this job the current one for select_files()."""
    global _current
    from localglue.args import resolved as _global_args

    option = args.get("job_bookmark_option") or _global_args.get("job_bookmark_option") or DISABLE
    if option not in OPTIONS:
        raise LakehouseError(f"--job-bookmark-option {option!r} is not one of {', '.join(OPTIONS)}")
    if not job_name:
        raise LakehouseError("job.init() needs the job name: pass args['JOB_NAME']")
    lake = lake_mod.current()
    _current = BookmarkRun(job_name, option, lake, load_state(lake, job_name))
    return _current


def current_run() -> BookmarkRun | None:
    return _current


def end_run() -> None:
    """Called by the runner after each script: the next script starts with no job."""
    global _current
    _current = None


def select_files(transformation_ctx: str | None, files: list[str]) -> list[str]:
    """The files a source may read: all, unless the current job bookmarks this source."""
    run = _current
    if run is None:
        return list(files)
    return run.select(transformation_ctx, files)
