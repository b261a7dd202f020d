"""Bad landing input end to end: `ingest` lands accepted lines, quarantines the rest, records
the ledger (landing lines = accepted + quarantined) and validation checks it on every run.

The bad inputs are H6's corpus (tests/corpus/bad_landing/ with its expected counts); each is
ingested beside a small valid baseline file so the source stays usable.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lakehouse.cli import main as cli_main
from localglue.lake import Lake
from stedi import landing, ledger
from stedi.generator import generate
from stedi.ingest import SOURCES, ingest
from stedi.pipeline import count_rows

CORPUS = Path(__file__).parent / "corpus" / "bad_landing"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())
BASE = 3  # valid baseline lines per source


def _baseline(source: str) -> str:
    rows = {
        "customer": lambda i: {
            "customerName": f"Base {i}",
            "email": f"base-{i}@example.invalid",
            "phone": "5550000",
            "birthDay": "1990-01-01",
            "serialNumber": f"base-serial-{i}",
            "registrationDate": 1700000000000,
            "lastUpdateDate": 1700000000000,
            "shareWithResearchAsOfDate": 1700000000000,
            "shareWithPublicAsOfDate": 1700000000000,
            "shareWithFriendsAsOfDate": 1700000000000,
        },
        "accelerometer": lambda i: {
            "user": "base-0@example.invalid",
            "timestamp": 1700000000000 + i,
            "x": 0.5,
            "y": -0.5,
            "z": 1.0,
        },
        "step_trainer": lambda i: {
            "sensorReadingTime": 1700000000000 + i,
            "serialNumber": "base-serial-0",
            "distanceFromObject": 200 + i,
        },
    }[source]
    return "".join(json.dumps(rows(i)) + "\n" for i in range(BASE))


def make_dataset(root: Path, extra: dict[str, list[Path]]) -> Path:
    """SRC/<source>/landing/ with base.json plus the given corpus files."""
    for source in SOURCES:
        folder = root / source / "landing"
        folder.mkdir(parents=True)
        (folder / "base.json").write_text(_baseline(source))
        for f in extra.get(source, []):
            shutil.copyfile(f, folder / f.name)
    return root


CASES = [
    pytest.param(
        case["source"], [CORPUS / name], case, id=name.replace("/", ":").removesuffix(".json")
    )
    for name, case in sorted(EXPECTED["files"].items())
] + [
    pytest.param(case["source"], sorted((CORPUS / name).glob("*.json")), case, id=f"{name}:source")
    for name, case in sorted(EXPECTED["sources"].items())
]
LANDING_TABLE = {s: f"{s}_landing" for s in SOURCES}


@pytest.mark.parametrize(("source", "files", "case"), CASES)
def test_each_bad_input_kind_is_landed_or_quarantined_with_its_counts(
    tmp_path, lake, source, files, case
):
    src = make_dataset(tmp_path / "src", {source: files})
    report = ingest(src, lake)

    assert count_rows(lake, LANDING_TABLE[source]) == BASE + case["accepted"]
    records = landing.read_quarantine(lake, source)
    assert len(records) == case["quarantined"]
    names = {f.name for f in files}
    assert all(r["file"] in names and r["line"] >= 1 and r["raw"] for r in records)
    reasons = [r["reason"] for r in records]
    if len(files) == 1:  # one file: quarantine order is line order
        for reason, wanted in zip(reasons, case.get("reasons", []), strict=True):
            assert wanted in reason
    else:
        assert set(reasons) == set(case["reasons"])
    # What the jobs will read holds only accepted, normalised lines.
    for path in landing.landing_files(landing.landing_folder(lake, source)):
        for line in path.read_text(encoding="utf-8").splitlines():
            landing.normalize_record(json.loads(line), source)

    result = ledger.check(lake)
    assert result.status == "passed", result.message
    [account] = [a for a in result.sources if a.source == source]
    assert account.recorded_lines == BASE + case["lines"]
    assert (account.landing_now, account.quarantined_now) == (
        BASE + case["accepted"],
        case["quarantined"],
    )
    line = next(x for x in report.lines() if x.startswith(f"{source}:"))
    assert (f"{case['quarantined']} line(s) quarantined" in line) == bool(case["quarantined"])


def test_the_whole_corpus_at_once_accounts_for_every_line(tmp_path, lake):
    by_source: dict[str, list[Path]] = {}
    lines = dict.fromkeys(SOURCES, BASE)
    for name, case in EXPECTED["files"].items():
        by_source.setdefault(case["source"], []).append(CORPUS / name)
        lines[case["source"]] += case["lines"]
    ingest(make_dataset(tmp_path / "src", by_source), lake)
    quarantined = landing.quarantine_counts(lake)
    for source in SOURCES:
        landed = count_rows(lake, LANDING_TABLE[source])
        assert landed + quarantined[source] == lines[source]
        assert landed >= BASE
    reasons = {r["reason"] for r in landing.read_quarantine(lake, "customer")}
    assert landing.SUPERSEDED in reasons, "the corpus repeats e-mails across files"
    assert ledger.check(lake).status == "passed"


def test_reingesting_replaces_the_quarantine_instead_of_adding_to_it(tmp_path, lake):
    src = make_dataset(tmp_path / "src", {"customer": [CORPUS / "customer/malformed_json.json"]})
    ingest(src, lake)
    ingest(src, lake)
    assert landing.quarantine_counts(lake)["customer"] == 2
    (src / "customer" / "landing" / "malformed_json.json").unlink()
    ingest(src, lake)
    assert landing.quarantine_counts(lake)["customer"] == 0
    assert ledger.check(lake).status == "passed"


# -- an unusable source: one error line, the lake untouched ---------------------------------
def _no_folder(src: Path) -> None:
    shutil.rmtree(src / "step_trainer" / "landing")


def _no_valid_row(src: Path) -> None:
    folder = src / "customer" / "landing"
    (folder / "base.json").write_text('{"email": null}\nnot json\n[1, 2]\n')


@pytest.mark.parametrize(
    ("spoil", "message"),
    [(_no_folder, "step_trainer/landing is missing"), (_no_valid_row, "has no valid rows")],
    ids=["missing folder", "zero valid rows"],
)
def test_an_unusable_source_stops_ingest_with_one_error_line(tmp_path, capsys, spoil, message):
    lake = Lake(tmp_path / "lake")
    good = make_dataset(tmp_path / "good", {})
    assert cli_main(["ingest", str(good), "--lake", str(lake.root)]) == 0
    before = {p: p.read_bytes() for p in lake.root.rglob("*") if p.is_file()}
    capsys.readouterr()

    bad = make_dataset(tmp_path / "bad", {})
    spoil(bad)
    assert cli_main(["ingest", str(bad), "--lake", str(lake.root)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err
    after = {p: p.read_bytes() for p in lake.root.rglob("*") if p.is_file()}
    assert after == before, "a failed ingest changes nothing"


# -- the real data and the generated sample: nothing quarantined, same counts ---------------
def test_the_shared_data_ingests_whole_with_nothing_quarantined(shared_data, lake):
    ingest(shared_data, lake)
    assert landing.quarantine_counts(lake) == dict.fromkeys(SOURCES, 0)
    counts = {t: count_rows(lake, t) for t in LANDING_TABLE.values()}
    assert counts == {
        "customer_landing": 956,
        "accelerometer_landing": 81273,
        "step_trainer_landing": 28680,
    }
    assert ledger.check(lake).status == "passed"


@pytest.mark.parametrize("type_drift", [False, True], ids=["sample", "sample with type drift"])
def test_the_generated_sample_ingests_whole_with_its_manifest_counts(tmp_path, lake, type_drift):
    manifest = generate(tmp_path / "sample", 40, seed=5, type_drift=type_drift)
    ingest(tmp_path / "sample", lake)
    assert landing.quarantine_counts(lake) == dict.fromkeys(SOURCES, 0)
    for table in LANDING_TABLE.values():
        assert count_rows(lake, table) == manifest["expected_counts"]["rubric"][table]
