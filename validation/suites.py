"""Load the versioned GX suites and the expected row counts.

Suites: expectations/<zone>/<table>.json holds what every profile checks;
expectations/<zone>/<table>.<profile>.json (optional) ADDS that profile's
expectations (e.g. machine_learning_curated.strict.json: no identifier column).
Each expectation carries meta.name, the check's name in every report.

GX silently drops an expectation it cannot build (unknown type, bad kwargs)
and only logs it, so `load_suite` counts the expectations in the files and the
ones GX built, and raises SuiteError naming each dropped one.

Expected counts: expectations/counts.json[dataset][profile] when --dataset is
given, or when <lake>/_dataset.json names a dataset found there; else
_dataset.json's "expected_counts"[profile]; else none (the count check then
reports "no expectation", which is not a pass).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.lake import Lake
from stedi.expected import ExpectedCounts, expected_counts
from stedi.resources import data_dir
from stedi.tables import PROFILES, TABLE_NAMES, ZONE


class SuiteError(LakehouseError):
    """A suite file GX cannot load as written (exit 2: fix the file)."""


def expectations_dir(value: str | os.PathLike | None = None) -> Path:
    return Path(value or os.environ.get("STEDI_EXPECTATIONS") or data_dir("expectations"))


def suite_files(table: str, profile: str, root: Path | None = None) -> list[Path]:
    """The base suite of a table, then its profile's additions if present."""
    root = expectations_dir(root)
    if table not in ZONE:
        raise SuiteError(f"no suite for table {table!r}; known tables: {', '.join(ZONE)}")
    base = root / ZONE[table] / f"{table}.json"
    if not base.is_file():
        raise SuiteError(f"suite file {base} is missing")
    extra = root / ZONE[table] / f"{table}.{profile}.json"
    return [base, extra] if extra.is_file() else [base]


def read_expectation_dicts(files: list[Path]) -> list[dict]:
    """The expectation dicts of the files, in order, each tagged with its file."""
    found = []
    for path in files:
        try:
            doc = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise SuiteError(f"suite file {path} is not valid JSON: {exc}") from exc
        for exp in doc.get("expectations", []):
            found.append({**exp, "_file": str(path)})
    return found


def check_names(table: str, exps: list[dict]) -> None:
    seen = set()
    for exp in exps:
        name = (exp.get("meta") or {}).get("name")
        if not name:
            raise SuiteError(
                f"an expectation of {exp['_file']} ({exp.get('type')}) has no meta.name"
            )
        if name in seen:
            raise SuiteError(f"suite {table}: check name {name!r} is used twice ({exp['_file']})")
        seen.add(name)


@dataclass
class SuiteSpec:
    """A table's suite as its files declare it, read without GX: what the SQL checks
    (validation/sql_suites.py) run, and what `load_suite` hands to GX."""

    table: str
    profile: str
    files: list[Path]
    expectations: list[dict]  # as in the files, each tagged with its "_file"

    @property
    def name(self) -> str:
        return f"{self.table}.{self.profile}"

    @property
    def names(self) -> list[str]:
        return [d["meta"]["name"] for d in self.expectations]


def read_suite(table: str, profile: str, root: Path | None = None) -> SuiteSpec:
    """The suite `<table>.<profile>` from its files; SuiteError for an unknown profile, a
    missing or unreadable file, or a check without a name or named twice."""
    if profile not in PROFILES:
        raise SuiteError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    files = suite_files(table, profile, root)
    dicts = read_expectation_dicts(files)
    check_names(table, dicts)
    return SuiteSpec(table=table, profile=profile, files=files, expectations=dicts)


@dataclass
class LoadedSuite:
    table: str
    profile: str
    files: list[Path]
    suite: object  # great_expectations.ExpectationSuite
    declared: int
    loaded: int
    names: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.suite.name


def load_suite(table: str, profile: str, root: Path | None = None) -> LoadedSuite:
    """Build the GX suite `<table>.<profile>`; raise SuiteError if GX dropped anything."""
    import logging

    import great_expectations as gx

    spec = read_suite(table, profile, root)
    files, dicts = spec.files, spec.expectations
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    plain = [{k: v for k, v in d.items() if k != "_file"} for d in dicts]
    broken = []
    for d, exp in zip(dicts, plain, strict=True):
        try:
            ExpectationConfiguration(**exp).to_domain_obj()
        except Exception as exc:  # unknown type, bad kwargs: GX would drop it or raise
            broken.append(
                f"{d['meta']['name']} ({d.get('type')}) in {d['_file']}: {str(exc).splitlines()[0]}"
            )
    gx_logger = logging.getLogger("great_expectations.core.expectation_suite")
    previous = gx_logger.disabled
    gx_logger.disabled = True  # we report dropped expectations ourselves, by name
    try:
        suite = gx.ExpectationSuite(
            name=f"{table}.{profile}",
            expectations=[] if broken else plain,
            meta={"table": table, "profile": profile, "files": [str(f) for f in files]},
        )
    finally:
        gx_logger.disabled = previous
    if broken or len(suite.expectations) != len(dicts):
        built = {e.meta.get("name") for e in suite.expectations if e.meta}
        detail = "; ".join(broken) or "; ".join(
            f"{d['meta']['name']} ({d.get('type')}) in {d['_file']}"
            for d in dicts
            if d["meta"]["name"] not in built
        )
        raise SuiteError(
            f"suite {table}.{profile}: {len(dicts)} expectations declared, GX loaded "
            f"{len(dicts) - len(broken) if broken else len(suite.expectations)}; not loaded: {detail}"
        )
    return LoadedSuite(
        table=table,
        profile=profile,
        files=files,
        suite=suite,
        declared=len(dicts),
        loaded=len(suite.expectations),
        names=[d["meta"]["name"] for d in dicts],
    )


def referenced_tables(table: str, profile: str, root: Path | None = None) -> set[str]:
    """The other lake tables a suite's checks query (cross-table SQL such as "every user is
    in customer_trusted"): a table can be checked early only once these are final too."""
    import re

    dicts = read_expectation_dicts(suite_files(table, profile, root))
    text = json.dumps([d.get("kwargs") for d in dicts])
    return {t for t in TABLE_NAMES if t != table and re.search(rf"\b{t}\b", text)}


def load_counts(
    lake: Lake, profile: str, dataset: str | None = None, root: Path | None = None
) -> ExpectedCounts:
    return expected_counts(lake, profile, dataset, expectations_dir(root) / "counts.json")
