"""File rules on the lake's files: FileSize and FileFreshness.

A rule names an S3 file or folder (`FileSize "s3://bucket/folder/" < 2 GB`), resolved inside
the lake like every path a job names, or no path: then the files the frame was read from.
It measures each file (size in bytes, KB = 1024 B; last-modified time, UTC) and passes when
every file meets the condition, or the share given by `with threshold`. Tags: `recentFiles`
(only the n most recently modified files) and `uriRegex` (only paths the pattern finds);
FileFreshness also `timeZone` for its times of day ("9:30 PM").
Metrics as the reference lists them: Dataset.*.FileCount, Dataset.*.<Rule>.Compliance, and
FileSize's Dataset.*.MinimumFileSize / MaximumFileSize.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from localglue.dqdl.engine import Evaluator, rule_type
from localglue.dqdl.model import DQDLError, Rule
from localglue.dqdl.values import date_value

_UNIT_BYTES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}
_TAGS = {
    "FileSize": ("recentFiles", "uriRegex"),
    "FileFreshness": ("recentFiles", "uriRegex", "timeZone"),
}


def _tag(rule: Rule, name: str) -> str | None:
    value = rule.tags.get(name)
    return None if value is None else value.strip('"')


def _walk(top: str):
    """Files under a folder, skipping hidden `_`/`.` names as Hadoop listings do."""
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
        yield from (os.path.join(folder, n) for n in names if not n.startswith(("_", ".")))


def _files(ev: Evaluator, rule: Rule) -> list[tuple[str, os.stat_result]]:
    """(s3 uri, stat) of every file the rule looks at, most recently modified first."""
    from localglue import lake as lake_mod

    unknown = set(rule.tags) - set(_TAGS[rule.rule_type])
    if unknown:
        raise DQDLError(
            f"DQDL rule '{rule.text()}': tag(s) {sorted(unknown)} are not reproduced locally; "
            f"this runtime knows {', '.join(_TAGS[rule.rule_type])}"
        )
    lake = lake_mod.current()
    if rule.params:
        top = lake.local_path(rule.args[0])
        local = [top] if os.path.isfile(top) else list(_walk(top))
    else:
        local = [lake.local_path(uri) for uri in ev.df.inputFiles()]
    found = [(lake.s3_uri(p), os.stat(p)) for p in local]
    pattern = _tag(rule, "uriRegex")
    if pattern is not None:
        found = [(uri, st) for uri, st in found if re.search(pattern, uri)]
    found.sort(key=lambda f: f[1].st_mtime, reverse=True)
    recent = _tag(rule, "recentFiles")
    return found[: int(recent)] if recent is not None else found


def _file_outcome(ev: Evaluator, rule: Rule, passing: list[bool], metrics: dict):
    metrics["Dataset.*.FileCount"] = float(len(passing))
    if not passing:
        return ev.outcome(rule, False, "No files found at the rule's path", metrics)
    compliance = sum(passing) / len(passing)
    name = f"Dataset.*.{rule.rule_type}.Compliance"
    return ev.compliance(rule, name, compliance, None, None, metrics)


def _holds(op: str, value, operands: list) -> bool:
    if op == "between":
        return operands[0] < value < operands[1]
    if op == "not between":
        return value <= operands[0] or value >= operands[1]
    if op in ("in", "not in"):
        return (value in operands) == (op == "in")
    target = operands[0]
    return {
        ">": value > target,
        ">=": value >= target,
        "<": value < target,
        "<=": value <= target,
        "=": value == target,
        "!=": value != target,
    }[op]


@rule_type("FileSize")
def file_size(ev: Evaluator, rule: Rule):
    files = _files(ev, rule)
    limits = [s.amount * _UNIT_BYTES[s.unit] for s in rule.condition.values()]
    sizes = [st.st_size for _, st in files]
    metrics = {}
    if sizes:
        metrics = {
            "Dataset.*.MaximumFileSize": float(max(sizes)),
            "Dataset.*.MinimumFileSize": float(min(sizes)),
        }
    return _file_outcome(ev, rule, [_holds(rule.condition.op, s, limits) for s in sizes], metrics)


@rule_type("FileFreshness")
def file_freshness(ev: Evaluator, rule: Rule):
    files = _files(ev, rule)
    zone_name = _tag(rule, "timeZone") or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DQDLError(f"DQDL rule '{rule.text()}': unknown timeZone {zone_name!r}") from None
    now_here = ev.now.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
    bounds = []
    for expr in rule.condition.values():
        if expr.kind == "time":  # a time of day, today, in the rule's time zone
            local = date_value(expr, now_here).replace(tzinfo=zone)
            bounds.append(local.astimezone(UTC).replace(tzinfo=None))
        else:
            bounds.append(date_value(expr, ev.now))
    if None in bounds:
        raise DQDLError(f"DQDL rule '{rule.text()}': a file has no NULL modification time")
    modified = [datetime.fromtimestamp(st.st_mtime, UTC).replace(tzinfo=None) for _, st in files]
    return _file_outcome(ev, rule, [_holds(rule.condition.op, m, bounds) for m in modified], {})
