"""Can this machine give a grade's child namespaces? Asked of `unshare` itself, not of the
grader, so a grader that wrongly falls back to a plain child fails the tests instead of
skipping them."""

from __future__ import annotations

import functools
import os
import subprocess

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
