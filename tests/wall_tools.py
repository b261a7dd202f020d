"""What the wall tests share: whether this machine can give a grade's child namespaces (asked
of `unshare` itself, not of the grader, so a grader that wrongly falls back to a plain child
fails the tests instead of skipping them), and a TCP server of the grader's."""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import threading

from grading import isolation


@functools.cache
def namespaces_missing() -> str | None:
    """Why the namespace sandbox cannot run here (None: it can)."""
    why = isolation.namespaces_unavailable()
    if why:
        return why
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    probe = subprocess.run(
        ["unshare", "--net", "--mount", "--pid", "--fork", *user, "true"],
        capture_output=True,
        text=True,
    )
    return (
        (probe.stderr.strip() or f"unshare exited {probe.returncode}") if probe.returncode else None
    )


class Listener:
    """A TCP server of the grader's on every interface, recording who connected."""

    def __init__(self):
        self.server = socket.create_server(("0.0.0.0", 0))
        self.server.settimeout(0.2)
        self.port, self.seen, self.stop = self.server.getsockname()[1], [], threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop.is_set():
            try:
                self.seen.append(self.server.accept()[1])
            except TimeoutError:
                continue

    def close(self):
        self.stop.set()
        self.thread.join()
        self.server.close()


def host_addresses() -> list[str]:
    """The grader's IPv4 addresses, loopback included."""
    import psutil

    found = {"127.0.0.1"}
    for addresses in psutil.net_if_addrs().values():
        found |= {a.address for a in addresses if a.family == socket.AF_INET}
    return sorted(found)
