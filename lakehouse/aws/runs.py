"""`aws run`: start the Glue jobs one after another and wait for each, politely.

Each job reads what the one before wrote, so a run starts only after the previous run
SUCCEEDED. Polling sleeps between GetJobRun calls with exponential backoff (never a busy
loop); the first run that ends FAILED, TIMEOUT, ERROR, STOPPED or EXPIRED stops everything
and its ErrorMessage is what the user sees.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rich.console import Console
from rich.live import Live
from rich.table import Table

from lakehouse.aws.clients import Aws
from localglue.errors import JobFailed

SUCCEEDED = "SUCCEEDED"
# JobRunState values that end a run without success (Glue API reference, JobRun).
FAILED_STATES = ("FAILED", "TIMEOUT", "ERROR", "STOPPED", "EXPIRED")


@dataclass(frozen=True)
class Backoff:
    """Delays between polls: initial, then x factor, capped. Glue runs take minutes."""

    initial: float = 5.0
    factor: float = 1.5
    maximum: float = 60.0

    def delays(self) -> Iterator[float]:
        delay = self.initial
        while True:
            yield delay
            delay = min(delay * self.factor, self.maximum)


class RunDisplay:
    """A live table in a terminal; one plain line per state change otherwise (CI logs)."""

    def __init__(self, names: list[str], console: Console | None = None):
        self.console = console or Console()
        self.rows = {n: {"state": "waiting", "polls": 0, "started": None} for n in names}
        self._live: Live | None = None

    def __enter__(self):
        if self.console.is_terminal:
            self._live = Live(self._table(), console=self.console, refresh_per_second=2)
            self._live.__enter__()
        return self

    def __exit__(self, *exc):
        if self._live:
            self._live.update(self._table())
            self._live.__exit__(*exc)

    def update(self, name: str, state: str, run_id: str | None = None, polls: int = 0) -> None:
        row = self.rows[name]
        changed = row["state"] != state
        if row["started"] is None:
            row["started"] = time.monotonic()
        row.update(state=state, polls=polls, run_id=run_id or row.get("run_id"))
        if self._live:
            self._live.update(self._table())
        elif changed:
            line = f"{name}: {state}" + (f" (run {run_id})" if run_id else "")
            self.console.print(line, soft_wrap=True, highlight=False)

    def _table(self) -> Table:
        table = Table(title="Glue job runs")
        for col in ("job", "state", "polls", "seconds"):
            table.add_column(col)
        colours = {SUCCEEDED: "green", "RUNNING": "yellow", "STARTING": "yellow"}
        for name, row in self.rows.items():
            state = row["state"]
            colour = "bold red" if state in FAILED_STATES else colours.get(state, "dim")
            secs = "" if row["started"] is None else f"{time.monotonic() - row['started']:.0f}"
            table.add_row(name, f"[{colour}]{state}[/]", str(row["polls"] or ""), secs)
        return table


def wait_for(
    aws: Aws,
    name: str,
    run_id: str,
    sleep: Callable[[float], None],
    backoff: Backoff,
    display: RunDisplay,
) -> dict:
    glue = aws.client("glue")
    delays = backoff.delays()
    polls = 0
    while True:
        run = glue.get_job_run(JobName=name, RunId=run_id, PredecessorsIncluded=False)["JobRun"]
        polls += 1
        state = run["JobRunState"]
        display.update(name, state, run_id, polls)
        if state == SUCCEEDED or state in FAILED_STATES:
            return run
        sleep(next(delays))


def run_jobs(
    aws: Aws,
    names: list[str],
    sleep: Callable[[float], None] | None = None,
    backoff: Backoff = Backoff(),
    console: Console | None = None,
) -> list[dict]:
    """Run `names` in order; JobFailed (exit 1) at the first run that does not succeed."""
    sleep = sleep or time.sleep
    glue = aws.client("glue")
    if aws.dry_run:
        for name in names:
            glue.start_job_run(JobName=name)
        aws.echo("[dry-run] would poll GetJobRun for each run and start the next on SUCCEEDED")
        return []
    runs = []
    with RunDisplay(names, console) as display:
        for name in names:
            run_id = glue.start_job_run(JobName=name)["JobRunId"]
            display.update(name, "STARTING", run_id)
            run = wait_for(aws, name, run_id, sleep, backoff, display)
            runs.append(run)
            if run["JobRunState"] != SUCCEEDED:
                rest = names[names.index(name) + 1 :]
                raise JobFailed(
                    f"Glue job {name} ended {run['JobRunState']} (run {run_id}): "
                    f"{run.get('ErrorMessage') or 'no ErrorMessage given'}"
                    + (f"; not started: {', '.join(rest)}" if rest else "")
                    + f" (logs: CloudWatch /aws-glue/jobs/error, stream {run_id})"
                )
    return runs
