"""Headless Chromium (Debian's `chromium`) with the network off: what a grader on a train sees.

Off twice over: in a new network namespace (`unshare -n`, where the kernel allows it) and
with every host name unresolvable and a proxy that refuses. Used by the tests, and by hand
for the committed pictures:
    .venv/bin/python -m tests.browser reports/rubric/data_docs/index.html OUT.png [WIDTH HEIGHT]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@cache
def no_network_prefix() -> tuple[str, ...]:
    try:
        ok = subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    except FileNotFoundError:
        ok = False
    return ("unshare", "-n") if ok else ()


def run(page: Path, *args: str, timeout: int = 180) -> str:
    """Open a local page with the network off; Chromium's stdout."""
    with tempfile.TemporaryDirectory(prefix="stedi-chromium-") as profile:
        done = subprocess.run(
            [*no_network_prefix(), executable() or "chromium", *FLAGS,
             f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-800:]}")
    return done.stdout


def dump_dom(page: Path) -> str:
    """The page's DOM after its scripts ran (the index's table is built by JavaScript)."""
    return run(page, "--dump-dom")


def screenshot(page: Path, out: Path, width: int = 1400, height: int = 1000) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    run(page, f"--window-size={width},{height}", f"--screenshot={out.resolve()}")
    return out


if __name__ == "__main__":
    size = [int(x) for x in sys.argv[3:5]]  # optional WIDTH HEIGHT
    print(screenshot(Path(sys.argv[1]), Path(sys.argv[2]), *size))
