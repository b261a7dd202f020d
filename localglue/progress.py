"""Show each job as it runs: name, state, rows written, time.

In a terminal this is a live rich table; when stdout is not a TTY (CI logs, pipes) it is
one plain line per event, so logs stay greppable and free of escape codes.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.live import Live
from rich.table import Table


def _rows_text(rows_written: dict[str, int]) -> str:
    if not rows_written:
        return "0"
    if len(rows_written) == 1:
        return f"{next(iter(rows_written.values())):,}"
    return ", ".join(f"{k}={v:,}" for k, v in rows_written.items())


class JobProgress:
    """Context manager: `start(name)` then `finish(result)` for each job."""

    def __init__(self, names: list[str] | None = None, console: Console | None = None):
        self.console = console or Console()
        self.plain = not self.console.is_terminal
        self.jobs: dict[str, dict] = {n: {"state": "waiting"} for n in (names or [])}
        self._live: Live | None = None

    # -- rendering ---------------------------------------------------------
    def _table(self) -> Table:
        table = Table(title="Glue jobs", expand=False)
        table.add_column("job")
        table.add_column("state")
        table.add_column("rows written", justify="right")
        table.add_column("seconds", justify="right")
        styles = {"SUCCEEDED": "green", "FAILED": "bold red", "RUNNING": "yellow"}
        for name, job in self.jobs.items():
            state = job["state"]
            seconds = job.get("seconds")
            if state == "RUNNING":
                seconds = time.perf_counter() - job["started"]
            table.add_row(
                name,
                f"[{styles.get(state, 'dim')}]{state}[/]",
                _rows_text(job["rows"]) if "rows" in job else "",
                f"{seconds:.1f}" if seconds is not None else "",
            )
        return table

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._table(), refresh=True)

    def __enter__(self):
        if not self.plain:
            self._live = Live(self._table(), console=self.console, refresh_per_second=4)
            self._live.__enter__()
        return self

    def __exit__(self, *exc):
        if self._live is not None:
            self._live.update(self._table())
            self._live.__exit__(*exc)
            self._live = None
        return False

    # -- events --------------------------------------------------------------
    def start(self, name: str) -> None:
        self.jobs[name] = {"state": "RUNNING", "started": time.perf_counter()}
        if self.plain:
            self.console.print(
                f"job {name}: RUNNING", highlight=False, soft_wrap=True, markup=False
            )
        self._refresh()

    def finish(self, result) -> None:
        self.jobs[result.name] = {
            "state": result.status,
            "rows": result.rows_written,
            "seconds": result.seconds,
        }
        if self.plain:
            # No error text here: `job`, `run` and `warm` print it once, in the failure's
            # summary (`job <name> failed at <script>:<line>: <cause>`).
            line = (
                f"job {result.name}: {result.status} in {result.seconds:.1f}s, "
                f"rows written {_rows_text(result.rows_written)}"
            )
            self.console.print(line, highlight=False, soft_wrap=True, markup=False)
        self._refresh()
