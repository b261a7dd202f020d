"""Which row counts a lake should give: one rule, used by the pipeline, validation and grading."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.resources import data_dir

COUNTS_FILE = data_dir("expectations") / "counts.json"
DATASET_FILE = "_dataset.json"


@dataclass
class ExpectedCounts:
    counts: dict[str, int] | None
    source: str | None  # where they came from, for the report
    dataset: str | None


def read_dataset_file(lake: Lake) -> dict:
    path = lake.root / DATASET_FILE
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise LakehouseError(f"{path} is not valid JSON: {exc}") from exc


def expected_counts(
    lake: Lake, profile: str, dataset: str | None = None, counts_path: Path | None = None
) -> ExpectedCounts:
    """The one rule for which expected counts win.

    1. `dataset` named explicitly (--dataset): expectations/counts.json[dataset][profile];
    2. the lake's _dataset.json names a dataset recorded in counts.json: that record;
    3. the lake's _dataset.json carries the generator's manifest: its expected_counts;
    4. none (the count check then says "no expectation", which is not a pass).
    """
    counts_path = counts_path or COUNTS_FILE
    shared = json.loads(counts_path.read_text()) if counts_path.is_file() else {}
    info = read_dataset_file(lake)
    if dataset is not None:
        if dataset not in shared:
            known = ", ".join(sorted(k for k in shared if not k.startswith("_"))) or "none"
            raise LakehouseError(
                f"dataset {dataset!r} is not in {counts_path} (known: {known}); "
                "omit --dataset to use the lake's _dataset.json"
            )
        return _profile_counts(
            shared[dataset], profile, f"{counts_path}[{dataset}][{profile}]", dataset
        )
    name = info.get("name")
    if name and name in shared:
        return _profile_counts(shared[name], profile, f"{counts_path}[{name}][{profile}]", name)
    expected = info.get("expected_counts")
    if expected and expected.get(profile):
        return ExpectedCounts(
            dict(expected[profile]),
            f"{lake.root / '_dataset.json'} expected_counts[{profile}]",
            name,
        )
    return ExpectedCounts(None, None, name)


def _profile_counts(by_profile: dict, profile: str, source: str, dataset: str) -> ExpectedCounts:
    counts = by_profile.get(profile)
    if counts is None:
        return ExpectedCounts(None, None, dataset)
    return ExpectedCounts({k: int(v) for k, v in counts.items()}, source, dataset)
