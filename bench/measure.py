"""Wall time and peak memory of a command, counting every process it starts.

Spark runs in a JVM child of the Python process, so the RSS of the Python process alone
says little: the sampler sums the resident memory of the whole process tree every 50 ms.
Peak RSS sampled this way can miss a spike shorter than the interval; it never over-counts.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from dataclasses import dataclass

import psutil

INTERVAL_S = 0.05


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (0 once it is gone)."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += proc.memory_info().rss
    return total


class PeakSampler:
    """Samples tree_rss(pid) in a thread until stopped; `.peak` is the largest sample."""

    def __init__(self, pid: int, interval: float = INTERVAL_S):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


@dataclass
class Measured:
    returncode: int
    seconds: float
    peak_rss: int
    stdout: str
    stderr: str


def run_measured(cmd: list[str], cwd=None, env=None, timeout: float | None = None) -> Measured:
    """Run cmd to completion, sampling the memory of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with PeakSampler(proc.pid) as sampler:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            err += f"\n(timed out after {timeout} s)"
    return Measured(proc.returncode, time.perf_counter() - started, sampler.peak, out, err)


def measure_call(fn, *args, **kwargs):
    """(result, seconds, peak RSS of this process tree) of a call in this process."""
    import os

    started = time.perf_counter()
    with PeakSampler(os.getpid()) as sampler:
        result = fn(*args, **kwargs)
    return result, time.perf_counter() - started, sampler.peak
