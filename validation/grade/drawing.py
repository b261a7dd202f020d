"""A grade's images drawn in a second Python process: `submit(fn, *args)` returns a Future.

WHY a process: matplotlib is mostly pure Python. Drawn in a thread, the job graphs took the
GIL from the jobs' own Python work (the landing JSON scan ran 3x slower) and the count images
were drawn one by one after the jobs. In a process the graphs use the idle core while Spark
runs the jobs, and half the count images are drawn there while this process draws the rest.

WHY not multiprocessing: its spawn and forkserver children import the parent's main module,
which re-runs a script that calls grade() without an `if __name__ == "__main__"` guard (and
fork would copy a process holding a JVM gateway and threads). This child is
`python -m validation.grade.drawing`; calls and results travel pickled over its stdin and
stdout. A child that dies fails the pending futures; the caller then draws in-process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import Future


class DrawingProcess:
    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "validation.grade.drawing"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.pending: dict[int, Future] = {}
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def __enter__(self) -> DrawingProcess:
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
                future.set_exception(RuntimeError("the drawing process stopped"))

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=5)


def serve() -> int:
    """The child: run each pickled call, answer with its pickled result or error."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever the drawing code prints goes to stderr, not into the answers
    sys.stdout = sys.stderr
    calls = sys.stdin.buffer
    while True:
        try:
            key, fn, args = pickle.load(calls)
        except EOFError:  # every answer is flushed and every image written: skip the
            os._exit(0)  # interpreter's teardown (matplotlib's), which the grade waits for
        try:
            answer = (key, True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - the caller draws it in-process instead
            answer = (key, False, f"{type(exc).__name__}: {exc}")
        pickle.dump(answer, answers)
        answers.flush()


if __name__ == "__main__":
    raise SystemExit(serve())
