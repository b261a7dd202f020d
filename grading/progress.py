"""What a class run tells its user while it grades: a progress bar with the submissions being
graded and the time left on a terminal (stderr, rich), plain lines anywhere else (a CI log,
a pipe), nothing at all for a caller that passes the base Display."""

from __future__ import annotations

import contextlib
import sys


class Display:
    """Silent: the calls a class run makes."""

    def begin(self, pending: int, jobs: int) -> None: ...
    def started(self, name: str) -> None: ...
    def done(self, name: str, verdict: str, seconds: float) -> None: ...
    def skipped(self, name: str) -> None: ...
    def note(self, line: str) -> None: ...
    def tick(self) -> None: ...
    def end(self) -> None: ...


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


class Lines(Display):
    """One line per event; the time left from the grades finished so far."""

    def __init__(self, total: int, stream=None):
        self.total, self.stream = total, stream or sys.stderr
        self.finished, self.pending, self.jobs = 0, 0, 1
        self.times: list[float] = []

    def say(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def begin(self, pending: int, jobs: int) -> None:
        self.pending, self.jobs = pending, jobs
        self.say(f"grading {pending} of {self.total} submissions, {jobs} side by side")

    def started(self, name: str) -> None:
        self.say(f"  grading {name} ...")

    def left(self) -> float | None:
        """Seconds left: the mean grade so far, times the grades left, over the jobs."""
        left = self.pending - len(self.times)
        if not self.times or left <= 0:
            return None
        return sum(self.times) / len(self.times) * left / self.jobs

    def done(self, name: str, verdict: str, seconds: float) -> None:
        self.finished += 1
        self.times.append(seconds)
        eta = self.left()
        self.say(f"[{self.finished}/{self.total}] {name}: {verdict} in {seconds:.0f} s"
                 + (f"; about {_minutes(eta)} left" if eta else ""))  # fmt: skip

    def skipped(self, name: str) -> None:
        self.finished += 1
        self.say(f"[{self.finished}/{self.total}] {name}: already graded with the same files, "
                 "data, grader and options (--force grades it again)")  # fmt: skip

    def note(self, line: str) -> None:
        self.say(line)


class Bar(Lines):
    """rich's progress bar: the submissions being graded, done of total, elapsed, time left."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        super().__init__(total)
        self.console = Console(stderr=True)
        self.bar = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=self.console,
        )  # fmt: skip
        self.task = None
        self.active: list[str] = []

    def say(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False)

    def begin(self, pending: int, jobs: int) -> None:
        super().begin(pending, jobs)
        self.task = self.bar.add_task("starting", total=pending)
        self.bar.start()

    def _describe(self) -> None:
        text = "grading " + ", ".join(self.active) if self.active else "finishing"
        self.bar.update(self.task, description=text)

    def started(self, name: str) -> None:
        self.active.append(name)
        self._describe()

    def done(self, name: str, verdict: str, seconds: float) -> None:
        with contextlib.suppress(ValueError):
            self.active.remove(name)
        self.finished += 1
        self.times.append(seconds)
        self.say(f"  {name}: {verdict} in {seconds:.0f} s")
        self.bar.advance(self.task)
        self._describe()

    def end(self) -> None:
        self.bar.stop()


def for_terminal(total: int) -> Display:
    return Bar(total) if sys.stderr.isatty() else Lines(total)
