"""The synthetic data generator: deterministic, shaped like the real export, honest counts."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from test_pipeline_reference import TABLES, reference_counts

from lakehouse.cli import main as cli_main
from stedi.generator import READINGS_PER_SERIAL, generate

SOURCES = ("customer", "accelerometer", "step_trainer")


def _lines(folder: Path) -> list[dict]:
    return [
        json.loads(line) for f in sorted(folder.glob("*.json")) for line in f.open() if line.strip()
    ]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out)
    return out


@pytest.fixture(scope="module")
def rows(sample) -> dict[str, list[dict]]:
    return {s: _lines(sample / s / "landing") for s in SOURCES}


def test_same_seed_writes_identical_bytes(tmp_path):
    generate(tmp_path / "a", 40, seed=3)
    generate(tmp_path / "b", 40, seed=3)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_another_seed_writes_other_data(tmp_path):
    generate(tmp_path / "a", 40, seed=3)
    generate(tmp_path / "b", 40, seed=4)
    assert _tree(tmp_path / "a") != _tree(tmp_path / "b")


def test_regenerating_into_a_folder_replaces_its_files(tmp_path):
    generate(tmp_path, 200, seed=1)
    generate(tmp_path, 20, seed=1)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    listed = {f for files in manifest["files"].values() for f in files}
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("*/landing/*.json")}
    assert listed == on_disk


def test_layout_is_json_lines_in_several_files_per_source(sample):
    for source in SOURCES:
        files = sorted((sample / source / "landing").glob(f"{source}-*.json"))
        assert len(files) >= 2, source


def test_manifest_lists_every_table_for_both_profiles(sample):
    manifest = json.loads((sample / "manifest.json").read_text())
    assert manifest["name"] == "stedi-synthetic-n100-s7"
    for profile in ("rubric", "strict"):
        assert list(manifest["expected_counts"][profile]) == list(TABLES)


# -- the quirks of the real export ---------------------------------------------------------


def test_a_non_consenting_customer_has_no_consent_key(rows):
    customers = rows["customer"]
    assert any("shareWithResearchAsOfDate" not in c for c in customers)
    assert all(c.get("shareWithResearchAsOfDate", 1) is not None for c in customers)
    assert any(c.get("shareWithResearchAsOfDate") == 0 for c in customers), "a zero consent"


def test_some_birthdays_have_three_digit_years(rows):
    years = [c["birthDay"].split("-")[0] for c in rows["customer"]]
    assert any(len(y) == 3 for y in years) and any(len(y) == 4 for y in years)


def test_readings_come_in_threes_per_user_and_timestamp_without_duplicates(rows):
    per_instant = Counter((r["user"], r["timestamp"]) for r in rows["accelerometer"])
    assert Counter(per_instant.values()).most_common(1)[0][0] == 3
    assert set(per_instant.values()) <= {2, 3}
    assert len({tuple(r.values()) for r in rows["accelerometer"]}) == len(rows["accelerometer"])


def test_different_users_share_timestamps(rows):
    users_at = defaultdict(set)
    for r in rows["accelerometer"]:
        users_at[r["timestamp"]].add(r["user"])
    assert sum(1 for users in users_at.values() if len(users) > 1) >= 3


def test_some_readings_precede_their_owners_consent(rows):
    consent = {
        c["email"]: c["shareWithResearchAsOfDate"]
        for c in rows["customer"]
        if c.get("shareWithResearchAsOfDate")
    }
    early = [
        r
        for r in rows["accelerometer"]
        if r["user"] in consent and r["timestamp"] < consent[r["user"]]
    ]
    at = [r for r in rows["accelerometer"] if consent.get(r["user"]) == r["timestamp"]]
    assert early and at, "readings before consent, and readings exactly at it"


def test_one_step_reading_per_accelerometer_instant_of_its_owner(rows):
    serial_of = {c["email"]: c["serialNumber"] for c in rows["customer"]}
    instants = {
        (serial_of[r["user"]], r["timestamp"])
        for r in rows["accelerometer"]
        if r["user"] in serial_of
    }
    steps = Counter((s["serialNumber"], s["sensorReadingTime"]) for s in rows["step_trainer"])
    assert all(steps[i] == 1 for i in instants)


def test_thirty_step_readings_per_registered_serial(rows):
    registered = {c["serialNumber"] for c in rows["customer"]}
    per_serial = Counter(
        s["serialNumber"] for s in rows["step_trainer"] if s["serialNumber"] in registered
    )
    assert Counter(per_serial.values()).most_common(1)[0][0] == READINGS_PER_SERIAL


def test_traps_for_strict_are_present(rows):
    emails_of = defaultdict(set)
    for c in rows["customer"]:
        emails_of[c["serialNumber"]].add(c["email"])
    assert any(len(e) > 1 for e in emails_of.values()), "a serial on two customers"
    with_readings = {r["user"] for r in rows["accelerometer"]}
    assert any(c["email"] not in with_readings for c in rows["customer"]), "a customer without data"
    assert with_readings - {c["email"] for c in rows["customer"]}, "readings of an unknown user"


def test_type_drift_writes_the_customer_files_in_the_older_encoding(tmp_path):
    generate(tmp_path / "old", 40, seed=2, type_drift=True)
    generate(tmp_path / "new", 40, seed=2)
    old, new = (
        _lines(tmp_path / "old" / "customer" / "landing"),
        _lines(tmp_path / "new" / "customer" / "landing"),
    )
    assert all(isinstance(c["phone"], int) for c in old)
    assert all(isinstance(c["registrationDate"], float) for c in old)
    assert all("shareWithResearchAsOfDate" in c for c in old)
    assert any(c["shareWithResearchAsOfDate"] is None for c in old)
    assert all(isinstance(c["phone"], str) and isinstance(c["registrationDate"], int) for c in new)
    assert [c["email"] for c in old] == [c["email"] for c in new], "same customers, other encoding"


# -- the manifest's counts against an independent implementation ------------------------------


@pytest.mark.parametrize(
    ("customers", "seed", "drift"),
    [(6, 0, False), (40, 1, False), (100, 7, False), (75, 5, True), (260, 11, False)],
)
def test_manifest_counts_match_the_duckdb_reference(tmp_path, customers, seed, drift):
    manifest = generate(tmp_path, customers, seed, drift)
    assert manifest["expected_counts"] == reference_counts(tmp_path)


def test_generate_command_writes_the_sample(tmp_path, capsys):
    assert cli_main(["generate", str(tmp_path / "s"), "--customers", "12", "--seed", "5"]) == 0
    assert (tmp_path / "s" / "manifest.json").is_file()
    assert "stedi-synthetic-n12-s5" in capsys.readouterr().out


def test_generate_command_rejects_an_empty_sample(tmp_path, capsys):
    assert cli_main(["generate", str(tmp_path / "s"), "--customers", "0"]) == 2
    assert "--customers must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("seed", range(200))
def test_drawing_a_free_shared_instant_matches_the_plain_list_draw(seed):
    """The bisect draw (linear generation at 100x) picks what rng.choice over the list would."""
    import random

    from stedi.generator import _free_pool_instant

    r = random.Random(seed)
    pool = sorted({r.randrange(0, 500) for _ in range(r.randint(0, 60))})
    after = r.randrange(-10, 500)
    taken = [r.choice(pool) if pool and r.random() < 0.5 else r.randrange(500) for _ in range(30)]
    plain, fast = random.Random(seed), random.Random(seed)
    free = [p for p in pool if p > after and p not in taken]
    assert _free_pool_instant(fast, pool, after, taken) == (plain.choice(free) if free else None)
    assert fast.random() == plain.random()
