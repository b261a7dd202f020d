"""Test-only: run `lakehouse` and stop it at a commit step, so a crash test can SIGKILL it there.

    python tests/crash_points.py STEP lakehouse-args...

STEP `staged`: Spark has written the job's new files into the lake's staging folder and
nothing is committed; `applying`: the commit journal is written and the first file has been
moved into place. At the step the process writes <staging>/<run>/<STEP>.reached and sleeps.
The hooks wrap the runtime's own functions from here; production code carries none.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

STEPS = ("staged", "applying")


def _pause(staging_dir: Path, step: str) -> None:
    staging_dir.mkdir(parents=True, exist_ok=True)
    (staging_dir / f"{step}.reached").write_text(str(os.getpid()))
    time.sleep(600)


def install(step: str) -> None:
    from localglue import sinks, transaction

    if step == "staged":
        publish = sinks._publish

        def publish_then_pause(staging, target, fmt, codec, txn=None):
            moves = publish(staging, target, fmt, codec, txn)
            if txn is not None:  # a job's write: staged, not committed
                _pause(txn.dir, step)
            return moves

        sinks._publish = publish_then_pause
    elif step == "applying":
        roll_forward = transaction.roll_forward

        def first_move_then_pause(lake, journal):
            roll_forward(lake, {"moves": journal.get("moves", [])[:1]})
            _pause(Path(lake.staging_dir) / journal["run_id"], step)

        transaction.roll_forward = first_move_then_pause
    else:
        raise SystemExit(f"unknown step {step!r}; use one of {', '.join(STEPS)}")


if __name__ == "__main__":
    install(sys.argv[1])
    from lakehouse.cli import main

    raise SystemExit(main(sys.argv[2:]))
