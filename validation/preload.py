"""Validation in a child process that imports Great Expectations while the jobs run.

`import great_expectations` costs 2.5-5 s of pure Python, most of a cold validation. A run
starts this child first; it imports GX (and the validation modules) while the parent starts
the JVM and runs the jobs, then waits for one request on stdin: the argv of
`python -m validation.run`. Its stdout and stderr are the parent's, so the report prints where
it always did. A child process, not a thread: importing GX in a thread raced with the main
thread's imports and crashed 1 run in 3.

While the jobs run, the parent may also say which tables are final (`early`): the child
checks them then, at its low priority, and the request only has the tables left to check
(validation.run.Validation). An early pass that fails is dropped: the request then checks
everything, and reports whatever went wrong.

    with Preloaded() as validation:      # starts the child
        ... run the jobs ...
        validation.early(argv, tables)   # optional, any number of times
        code = validation.run(argv)      # or leave the block: the child exits unused
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys

NICENESS = 10


class Preloaded:
    """A `python -m validation.preload` child, ready to run validation.run.main(argv) once."""

    def __init__(self):
        env = dict(os.environ, GX_ANALYTICS_ENABLED=os.environ.get("GX_ANALYTICS_ENABLED", "False"))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "validation.preload"], stdin=subprocess.PIPE, env=env
        )

    def __enter__(self) -> Preloaded:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def early(self, argv: list[str], tables: list[str]) -> None:
        """These tables are final: the child may check them now (for the request `argv`)."""
        if self.alive():
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.write(
                    (json.dumps({"early": argv, "tables": tables}) + "\n").encode()
                )
                self.proc.stdin.flush()

    def run(self, argv: list[str]) -> int | None:
        """validation.run's exit code; None if the child died before the request (the caller
        then validates in-process, which reports the import error the child hit)."""
        if not self.alive():
            return None
        sys.stdout.flush()  # the parent's output first, then the report, in order
        sys.stderr.flush()
        try:
            self.proc.stdin.write((json.dumps(argv) + "\n").encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            self.proc.wait()
            return None
        return self.proc.wait()

    def close(self) -> None:
        """A child never asked to validate (a failed run, --no-validate) is stopped at once:
        nobody waits for an import whose result nobody will use."""
        if self.alive():
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
            self.proc.terminate()
        self.proc.wait()


def serve() -> int:
    """The child: import everything a validation needs, then run the one request, if any.

    At a lower CPU priority: on 2 cores the import must not slow the JVM start and the jobs,
    the run's critical path; it uses the cycles they leave idle (by the time the request
    comes the jobs are done, so the validation itself has the machine)."""
    import signal

    with contextlib.suppress(OSError, AttributeError):  # no nice() on some platforms
        os.nice(NICENESS)
    # Ctrl-C in the terminal reaches this child too: before the request the parent stops it
    # (close()), so no import traceback is printed; during validation Ctrl-C stops it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from validation import run

    run._import_gx()  # the point of this process
    from validation import checks, gx_runner, report, suites  # noqa: F401
    from validation.engines import local  # noqa: F401

    early: _Early | None = None
    for line in sys.stdin:
        message = json.loads(line)
        if isinstance(message, dict):  # {"early": argv, "tables": [...]}
            early = early or _Early(message["early"])
            if early.argv == message["early"]:
                early.check(message["tables"])
            continue
        signal.signal(signal.SIGINT, signal.default_int_handler)
        prepared = early.validation if early and early.argv == message else None
        run.exit_now(run.main(message, prepared=prepared))  # not a 2 s teardown to wait for
    return 0


class _Early:
    """The Validation that early passes fill for one argv. Once a pass fails it is dropped
    for good: the request then checks every table itself and reports what went wrong."""

    def __init__(self, argv: list[str]):
        self.argv, self.validation, self.failed = argv, None, False

    def check(self, tables: list[str]) -> None:
        from validation import run

        if self.failed:
            return
        try:
            if self.validation is None:
                self.validation = run.prepare(run.build_parser().parse_args(self.argv))
            self.validation.check(tables)
        except (Exception, SystemExit):  # noqa: BLE001 - the request re-checks and reports
            self.validation, self.failed = None, True


if __name__ == "__main__":
    raise SystemExit(serve())
