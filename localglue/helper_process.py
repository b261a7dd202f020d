"""A second Python process that runs pickled calls: `submit(fn, *args)` returns a Future.

For CPU-bound Python work that can use the machine's other core: a grade's images drawn while
Spark runs the jobs (grading/grade.py), a big landing source's files parsed two at a
time (stedi/landing/source.py). A thread would share the GIL with the caller's own Python.

WHY not multiprocessing: its spawn and forkserver children import the parent's main module,
which re-runs a script that calls such code without an `if __name__ == "__main__"` guard (and
fork would copy a process holding a JVM gateway and threads). This child is
`python -m localglue.helper_process`; calls and results travel pickled over its stdin and
stdout, so `fn` must be a module-level function. A child that dies fails the pending futures;
callers then do the work in-process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import Future


class HelperProcess:
    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "localglue.helper_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.pending: dict[int, Future] = {}
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def __enter__(self) -> HelperProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        with self.lock:
            key = len(self.pending) + 1
            self.pending[key] = future
            try:
                pickle.dump((key, fn, args), self.proc.stdin)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                future.set_exception(exc)
        return future

    def _read(self) -> None:
        try:
            while True:
                key, ok, value = pickle.load(self.proc.stdout)
                future = self.pending[key]
                future.set_result(value) if ok else future.set_exception(RuntimeError(value))
        except (EOFError, OSError, pickle.UnpicklingError):
            pass
        for future in self.pending.values():
            if not future.done():
                future.set_exception(RuntimeError("the helper process stopped"))

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)


def map_in_two(fn, items: list, *args) -> list:
    """[fn(item, *args) for item in items], the items shared between two helper processes
    while this one only collects (working here too would fight the thread unpickling their
    results for the GIL). An item whose call failed there is redone here, so a dead helper
    costs nothing and an error there is raised here as itself."""
    with HelperProcess() as first, HelperProcess() as second:
        helpers = (first, second)
        pending = [helpers[i % 2].submit(fn, item, *args) for i, item in enumerate(items)]
        results = []
        for item, done in zip(items, pending, strict=True):
            try:
                results.append(done.result())
            except Exception:  # noqa: BLE001 - redone here, raising the real error if any
                results.append(fn(item, *args))
    return results


def serve() -> int:
    """The child: run each pickled call, answer with its pickled result or error."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the called code prints goes to stderr, not into the answers
    sys.stdout = sys.stderr
    calls = sys.stdin.buffer
    while True:
        try:
            key, fn, args = pickle.load(calls)
        except EOFError:  # every answer is flushed and every file written: skip the
            os._exit(0)  # interpreter's teardown (matplotlib's, say), which the caller waits for
        try:
            answer = (key, True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - the caller does it in-process instead
            answer = (key, False, f"{type(exc).__name__}: {exc}")
        pickle.dump(answer, answers)
        answers.flush()


if __name__ == "__main__":
    raise SystemExit(serve())
