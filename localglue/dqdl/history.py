"""The metrics of earlier evaluations, for dynamic rules (`RowCount > avg(last(3))`).

Glue keeps the statistics of every run of a ruleset (per evaluation context) and resolves
`last(k)` from them. Locally they live in the lake, one JSON line per evaluation:
  <lake>/_dq/<evaluation context>/metrics.jsonl   {"at": "...", "metrics": {key: value}}
A key is the metric's name (Dataset.*.RowCount, Column.age.Mean, ...), followed by
` where "<clause>"` for a rule with a where clause, so filtered and whole-dataset values of
the same metric never mix. Only EvaluateDataQuality in a job records; the current
evaluation never counts as its own history.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote


def metric_key(metric: str, where: str | None) -> str:
    return metric if where is None else f'{metric} where "{where}"'


class History:
    def __init__(self, directory: str | os.PathLike):
        self.path = Path(directory) / "metrics.jsonl"

    @classmethod
    def in_lake(cls, lake_root: str | os.PathLike, context: str) -> History:
        # The context names a folder: quote it so that no name ('..', 'a/b') leaves _dq/.
        folder = quote(context, safe="-_").replace(".", "%2E") or "%00"
        return cls(Path(lake_root) / "_dq" / folder)

    def runs(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def last(self, key: str, k: int) -> list[float]:
        """The key's values in the last k runs that measured it, most recent first."""
        values = [r["metrics"][key] for r in reversed(self.runs()) if key in r["metrics"]]
        return values[:k]

    def record(self, metrics: dict[str, float], at: datetime) -> None:
        if not metrics:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"at": at.isoformat(), "metrics": metrics}, sort_keys=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
