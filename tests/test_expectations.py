"""The hand-written GX suites under expectations/: they load completely, every check is named
and has a GX severity, and they say what the issue requires (column sets, privacy checks)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from localglue.errors import LakehouseError
from stedi.tables import PROFILES, TABLE_NAMES
from validation.suites import (
    SuiteError,
    expectations_dir,
    load_suite,
    read_expectation_dicts,
    suite_files,
)

CASES = [(t, p) for t in TABLE_NAMES for p in PROFILES]
IDENTIFIERS = {"user", "email", "serialnumber", "customername", "phone", "birthday"}


def expectations(table, profile):
    return read_expectation_dicts(suite_files(table, profile))


def column_set(table, profile):
    (exp,) = [
        e for e in expectations(table, profile) if e["type"] == "expect_table_columns_to_match_set"
    ]
    return set(exp["kwargs"]["column_set"])


@pytest.mark.parametrize(("table", "profile"), CASES)
def test_every_suite_loads_completely_in_gx(table, profile):
    loaded = load_suite(table, profile)
    assert loaded.loaded == loaded.declared == len(expectations(table, profile))
    assert loaded.name == f"{table}.{profile}"


@pytest.mark.parametrize(("table", "profile"), CASES)
def test_every_check_is_named_and_has_a_gx_severity(table, profile):
    for exp in expectations(table, profile):
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", exp["meta"]["name"])
        assert exp["severity"] in ("critical", "warning")


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "expect_column_values_to_be_bogus", "kwargs": {"column": "email"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {}},
    ],
    ids=["unknown-type", "missing-kwargs"],
)
def test_an_expectation_gx_would_silently_drop_fails_the_load(tmp_path, bad):
    root = tmp_path / "expectations"
    shutil.copytree(expectations_dir(), root)
    path = root / "trusted" / "customer_trusted.json"
    doc = json.loads(path.read_text())
    doc["expectations"].append({**bad, "meta": {"name": "bogus.check"}, "severity": "critical"})
    path.write_text(json.dumps(doc))
    with pytest.raises(SuiteError, match=r"declared, GX loaded .* bogus\.check"):
        load_suite("customer_trusted", "rubric", root)


def test_a_suite_error_exits_2(tmp_path, capsys):
    from tests import minilake
    from validation.run import main

    root = tmp_path / "expectations"
    shutil.copytree(expectations_dir(), root)
    path = root / "landing" / "customer_landing.json"
    doc = json.loads(path.read_text())
    doc["expectations"].append(
        {"type": "expect_nothing", "kwargs": {}, "meta": {"name": "bogus.check"}}
    )
    path.write_text(json.dumps(doc))
    from localglue.lake import Lake

    lake = Lake(tmp_path / "lake")
    minilake.build(lake)
    assert main(["--lake", str(lake.root), "--expectations", str(root), "--quiet"]) == 2
    assert "bogus.check (expect_nothing)" in capsys.readouterr().err


def test_check_names_must_be_unique_within_a_suite(tmp_path):
    root = tmp_path / "expectations"
    shutil.copytree(expectations_dir(), root)
    path = root / "curated" / "machine_learning_curated.strict.json"
    doc = json.loads(path.read_text())
    doc["expectations"].append(doc["expectations"][0])
    path.write_text(json.dumps(doc))
    with pytest.raises(LakehouseError, match="used twice"):
        load_suite("machine_learning_curated", "strict", root)


def test_accelerometer_trusted_has_accelerometer_columns_only():
    for profile in PROFILES:
        assert column_set("accelerometer_trusted", profile) == {"user", "timestamp", "x", "y", "z"}


def test_the_ml_table_differs_per_profile():
    rubric = column_set("machine_learning_curated", "rubric")
    strict = column_set("machine_learning_curated", "strict")
    assert {"serialnumber", "user"} <= rubric
    assert not strict & IDENTIFIERS
    assert strict == rubric - IDENTIFIERS


PRIVACY = [
    ("customer_trusted", "privacy.consent_present"),
    ("customer_trusted", "privacy.only_consenting_customers"),
    ("accelerometer_trusted", "privacy.only_consenting_customers"),
    ("step_trainer_trusted", "privacy.only_consenting_customers"),
    ("customer_curated", "privacy.consent_present"),
    ("customer_curated", "privacy.only_consenting_customers"),
    ("machine_learning_curated", "privacy.only_consenting_customers"),
    ("accelerometer_trusted", "integrity.user_is_trusted_customer"),
    ("step_trainer_trusted", "integrity.serial_is_curated_customer"),
]
STRICT_ONLY = [
    ("accelerometer_trusted", "strict.no_reading_before_consent"),
    ("step_trainer_trusted", "strict.no_reading_before_consent"),
    ("machine_learning_curated", "privacy.no_identifier_columns"),
]


@pytest.mark.parametrize(("table", "name"), PRIVACY + STRICT_ONLY)
def test_privacy_and_integrity_checks_are_critical_where_they_apply(table, name):
    profiles = (
        ["strict"]
        if (table, name) in STRICT_ONLY
        else (["rubric"] if table == "machine_learning_curated" else PROFILES)
    )
    for profile in profiles:
        found = {e["meta"]["name"]: e for e in expectations(table, profile)}
        assert found[name]["severity"] == "critical", (table, profile, name)


def test_strict_only_checks_are_absent_from_rubric():
    for table, name in STRICT_ONLY:
        assert name not in {e["meta"]["name"] for e in expectations(table, "rubric")}


def test_step_trainer_readings_are_unique_per_device_and_time():
    (exp,) = [
        e
        for e in expectations("step_trainer_trusted", "rubric")
        if e["meta"]["name"] == "keys.reading_unique"
    ]
    assert exp["type"] == "expect_compound_columns_to_be_unique"
    assert exp["kwargs"]["column_list"] == ["serialnumber", "sensorreadingtime"]


def all_queries():
    for table in TABLE_NAMES:
        for profile in PROFILES:
            for exp in expectations(table, profile):
                if exp["type"] == "unexpected_rows_expectation":
                    yield exp["meta"]["name"], exp["kwargs"]["unexpected_rows_query"]


@pytest.mark.parametrize(("name", "query"), sorted(set(all_queries())))
def test_sql_checks_are_portable_between_duckdb_and_athena(name, query):
    """GX substitutes {batch}: a JOIN query gets "(SELECT ...)" and must alias it; any other
    query gets an aliased subquery and must not. Identifiers that are keywords are quoted,
    no regex (unsupported by GX on duckdb/Athena), and the text parses as Trino SQL."""
    import sqlglot

    assert "{batch}" in query
    joined = re.search(r"\bJOIN\b", query, re.IGNORECASE)
    assert ("{batch} t " in query) == bool(joined)
    code = re.sub(r"'[^']*'", "''", query)  # string literals may say anything
    assert not re.search(r"(?<![\"\w.])(user|timestamp)\b(?!\")", code)
    assert not re.search(r"regexp|rlike|similar to", query, re.IGNORECASE)
    sqlglot.parse_one(query.replace("{batch}", "some_table"), read="trino")
    sqlglot.parse_one(query.replace("{batch}", "some_table"), read="duckdb")
