"""End to end on the real STEDI data: graders' counts, strict privacy, older file encodings.

Heavy (the full shared data through Spark), so marked e2e and kept few: one finished lake per
profile is shared by the session (conftest.shared_lake). Expected strict counts come from the DuckDB reference
(test_pipeline_reference), not from the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_pipeline_checks import counts, privacy_violations, read_table
from test_pipeline_reference import GRADER_RUBRIC_COUNTS, reference_counts

from localglue.lake import Lake
from stedi import pipeline
from stedi.expected import COUNTS_FILE
from stedi.ingest import ingest

pytestmark = pytest.mark.e2e

DOWNSTREAM = [t for t in GRADER_RUBRIC_COUNTS if not t.endswith("_landing")]


def run_ok(profile: str, lake, spark) -> None:
    results = pipeline.run_profile(profile, lake, spark=spark)
    failed = [r for r in results if not r.ok]
    assert not failed, f"{failed[0].name}: {failed[0].error}\n{failed[0].traceback}"


@pytest.fixture(scope="module")
def strict_reference(shared_data) -> dict[str, int]:
    return reference_counts(shared_data)["strict"]


@pytest.mark.parametrize("profile", pipeline.PROFILES)
def test_profile_gives_its_documented_counts(profile, shared_lake, strict_reference):
    lake = shared_lake(profile)
    recorded = json.loads(COUNTS_FILE.read_text())
    want = GRADER_RUBRIC_COUNTS if profile == "rubric" else strict_reference
    got = {**{t: pipeline.count_rows(lake, t) for t in pipeline.LANDING_TABLES}, **counts(lake)}
    assert got == want == recorded["stedi-udacity"][profile]


def test_strict_holds_no_reading_before_consent_and_no_identifier(shared_lake):
    lake = shared_lake("strict")
    assert privacy_violations(lake) == []
    columns = {c.lower() for c in read_table(lake, "machine_learning_curated").column_names}
    assert columns == {"sensorreadingtime", "distancefromobject", "timestamp", "x", "y", "z"}


def test_rubric_ml_pairs_readings_across_customers_as_the_rubric_counts(shared_lake):
    """43,681 is the rubric's number because a time-only join pairs different customers."""
    lake = shared_lake("rubric")
    ml = read_table(lake, "machine_learning_curated").to_pylist()
    serial_of = {}
    for f in sorted((lake.root / "stedi-lake-house/customer/landing").glob("*.json")):
        for line in f.open():
            c = json.loads(line)
            serial_of[c["email"]] = c["serialNumber"]
    strangers = [r for r in ml if serial_of[r["user"]] != r["serialNumber"]]
    assert strangers, "no reading paired with another customer's"
    assert privacy_violations(lake), "the rubric profile leaks by design"


# -- the older encodings of the customer file ----------------------------------------------------


def _explicit_nulls(rec: dict) -> dict:
    keys = ("shareWithResearchAsOfDate", "shareWithPublicAsOfDate", "shareWithFriendsAsOfDate")
    return {**rec, **{k: rec.get(k) for k in keys}}


def _numeric_phone(rec: dict) -> dict:
    return {**rec, "phone": int(rec["phone"])}


def _float_dates(rec: dict) -> dict:
    return {k: float(v) if k.endswith("Date") and v is not None else v for k, v in rec.items()}


ENCODINGS = {
    "explicit nulls": _explicit_nulls,
    "numeric phone": _numeric_phone,
    "float dates": _float_dates,
}


def _variant(shared_data: Path, out: Path, encode) -> Path:
    """The shared data with its customer file re-encoded (built at test time, never committed)."""
    landing = out / "customer" / "landing"
    landing.mkdir(parents=True)
    for f in sorted((shared_data / "customer" / "landing").glob("*.json")):
        with f.open() as src, (landing / f.name).open("w") as dst:
            for line in src:
                dst.write(json.dumps(encode(json.loads(line))) + "\n")
    for source in ("accelerometer", "step_trainer"):
        (out / source).mkdir()
        (out / source / "landing").symlink_to(shared_data / source / "landing")
    return out


@pytest.mark.parametrize("encoding", ENCODINGS, ids=str)
def test_both_profiles_count_right_on_an_older_customer_encoding(
    encoding, shared_data, spark, tmp_path, strict_reference
):
    src = _variant(shared_data, tmp_path / "data", ENCODINGS[encoding])
    assert reference_counts(src)["strict"] == strict_reference, "the encoding keeps the meaning"
    lake = Lake(tmp_path / "lake")
    ingest(src, lake)
    for profile, want in (("rubric", GRADER_RUBRIC_COUNTS), ("strict", strict_reference)):
        run_ok(profile, lake, spark)
        assert counts(lake) == {t: want[t] for t in DOWNSTREAM}, profile
