"""Every strict rule is a CRITICAL check: a strict job that breaks one makes validation exit 1
and name the check, whether or not the lake has expected counts (a row-count mismatch alone
must never be what catches a privacy breach).

Each plant changes the strict jobs' output (tests.minilake with traps: a consent-0 customer, a
device shared by a consenting and a non-consenting customer, two customers recording at the
same instants) the way a broken strict job would have written it.
"""

from __future__ import annotations

import json

import pytest

from localglue.lake import Lake
from tests import minilake
from tests.minilake import read_rows, rewrite
from validation.report import failed_check_names, find_failure
from validation.run import main

PROFILE = "strict"


def landing(lake: Lake, table: str) -> list[dict]:
    path = next(minilake.folder(lake, table).glob("*.json"))
    return [json.loads(line) for line in path.read_text().splitlines()]


def consent_zero_customer(lake):
    rows = read_rows(lake, "customer_trusted")
    zero = next(
        c for c in landing(lake, "customer_landing") if c.get("shareWithResearchAsOfDate") == 0
    )
    rewrite(lake, "customer_trusted", rows + [{k: zero.get(k) for k in rows[0]}])


def implausible_consent(lake):
    rows = read_rows(lake, "customer_trusted")
    rewrite(lake, "customer_trusted", [{**rows[0], "shareWithResearchAsOfDate": 5}, *rows[1:]])


def accelerometer_reading_before_consent(lake):
    trusted = {
        c["email"]: c["shareWithResearchAsOfDate"] for c in read_rows(lake, "customer_trusted")
    }
    early = [
        a
        for a in landing(lake, "accelerometer_landing")
        if a["user"] in trusted and a["timestamp"] < trusted[a["user"]]
    ]
    rewrite(lake, "accelerometer_trusted", read_rows(lake, "accelerometer_trusted") + early[:1])


def accelerometer_reading_of_consent_zero_customer(lake):
    zero = next(
        c for c in landing(lake, "customer_landing") if c.get("shareWithResearchAsOfDate") == 0
    )
    theirs = [a for a in landing(lake, "accelerometer_landing") if a["user"] == zero["email"]]
    rewrite(lake, "accelerometer_trusted", read_rows(lake, "accelerometer_trusted") + theirs)


def _steps_of(lake, pick) -> list[dict]:
    customers = landing(lake, "customer_landing")
    owners: dict[str, list[dict]] = {}
    for c in customers:
        owners.setdefault(c["serialNumber"], []).append(c)
    return [s for s in landing(lake, "step_trainer_landing") if pick(owners[s["serialNumber"]], s)]


def step_reading_before_consent(lake):
    early = _steps_of(
        lake,
        lambda owners, s: (
            len(owners) == 1
            and (owners[0].get("shareWithResearchAsOfDate") or 0) > s["sensorReadingTime"]
        ),
    )
    rewrite(lake, "step_trainer_trusted", read_rows(lake, "step_trainer_trusted") + early[-1:])


def step_reading_of_a_shared_device(lake):
    shared = _steps_of(lake, lambda owners, s: len({o["email"] for o in owners}) > 1)
    rewrite(lake, "step_trainer_trusted", read_rows(lake, "step_trainer_trusted") + shared[-1:])


def step_reading_of_a_non_consenting_owner(lake):
    theirs = _steps_of(
        lake,
        lambda owners, s: len(owners) == 1 and owners[0].get("shareWithResearchAsOfDate") is None,
    )
    rewrite(lake, "step_trainer_trusted", read_rows(lake, "step_trainer_trusted") + theirs[-1:])


def ml_joined_on_the_timestamp_alone(lake):
    """The rubric's join: every phone reading taken at the step reading's instant, anyone's."""
    steps = read_rows(lake, "step_trainer_trusted")
    accel = read_rows(lake, "accelerometer_trusted")
    columns = [n for n, _ in minilake.ML_COLUMNS[PROFILE]]
    rows = [
        {k: {**s, **a}[k] for k in columns}
        for s in steps
        for a in accel
        if a["timestamp"] == s["sensorReadingTime"]
    ]
    assert len(rows) > len(read_rows(lake, "machine_learning_curated"))  # the trap is there
    rewrite(lake, "machine_learning_curated", rows)


def identifier_column_in_ml(lake):
    rows = read_rows(lake, "machine_learning_curated")
    rows = [{**r, "serialNumber": "00000000-0000-4000-8000-000000000000"} for r in rows]
    types = {"x": "double", "y": "double", "z": "double", "serialNumber": "string"}
    rewrite(lake, "machine_learning_curated", rows, [(k, types.get(k, "bigint")) for k in rows[0]])


PLANTS = [
    (consent_zero_customer, "customer_trusted:strict.consent_positive_on_every_record"),
    (implausible_consent, "customer_trusted:strict.consent_is_plausible_epoch"),
    (
        accelerometer_reading_before_consent,
        "accelerometer_trusted:strict.no_reading_before_consent",
    ),
    (
        accelerometer_reading_of_consent_zero_customer,
        "accelerometer_trusted:strict.no_reading_before_consent",
    ),
    (step_reading_before_consent, "step_trainer_trusted:strict.no_reading_before_consent"),
    (step_reading_of_a_shared_device, "step_trainer_trusted:strict.device_has_exactly_one_owner"),
    (step_reading_of_a_non_consenting_owner, "step_trainer_trusted:strict.device_owner_consents"),
    (ml_joined_on_the_timestamp_alone, "machine_learning_curated:strict.same_owner_same_instant"),
    (identifier_column_in_ml, "machine_learning_curated:privacy.no_identifier_columns"),
]


def run(lake: Lake, capsys) -> tuple[int, dict, str]:
    code = main(["--lake", str(lake.root), "--profile", PROFILE])
    out = capsys.readouterr().out
    report = json.loads((lake.root.parent / "reports" / PROFILE / "report.json").read_text())
    return code, report, out


def build(tmp_path, with_counts: bool) -> Lake:
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, PROFILE, traps=True)
    if not with_counts:
        (lake.root / "_dataset.json").unlink()
    return lake


@pytest.mark.parametrize("with_counts", [True, False], ids=["with-counts", "without-counts"])
def test_the_strict_jobs_output_passes_every_strict_check(tmp_path, capsys, with_counts):
    code, report, _ = run(build(tmp_path, with_counts), capsys)
    assert code == 0, failed_check_names(report)
    assert not any(f["severity"] == "critical" for t in report["tables"] for f in t["failures"])


@pytest.mark.parametrize("with_counts", [True, False], ids=["with-counts", "without-counts"])
@pytest.mark.parametrize(("plant", "check"), PLANTS, ids=[p.__name__ for p, _ in PLANTS])
def test_a_broken_strict_rule_fails_validation_naming_the_check(
    tmp_path, capsys, plant, check, with_counts
):
    lake = build(tmp_path, with_counts)
    plant(lake)
    code, report, out = run(lake, capsys)
    assert code == 1
    assert check in failed_check_names(report)
    table, name = check.split(":")
    assert find_failure(report, check)["severity"] == "critical"
    assert name in out
    if not with_counts:
        assert {t["count_check"]["status"] for t in report["tables"]} == {"no expectation"}
