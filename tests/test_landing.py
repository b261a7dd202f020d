"""Every landing line is accepted (normalised) or quarantined with a reason; none is lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localglue.errors import LakehouseError
from stedi import landing

CORPUS = Path(__file__).parent / "corpus" / "bad_landing"
EXPECTED = json.loads((CORPUS / "expected.json").read_text())


def _assert_lines_match(scan, case):
    assert scan.lines_total == case["lines"]
    assert scan.accepted_count == case["accepted"]
    assert len(scan.quarantined) == case["quarantined"]
    scan.check()


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_corpus_file_is_accepted_or_quarantined_as_expected(name):
    case = EXPECTED["files"][name]
    scan = landing.scan_file(CORPUS / name, case["source"])
    _assert_lines_match(scan, case)
    reasons = [q.reason for q in scan.quarantined]
    for reason, wanted in zip(reasons, case.get("reasons", []), strict=True):
        assert wanted in reason
    records = [json.loads(line) for line in scan.accepted]
    if "accepted_values" in case:
        for record, wanted in zip(records, case["accepted_values"], strict=True):
            assert {k: record.get(k, "<absent>") for k in wanted} == wanted
    if "accepted_absent" in case:
        for record, absent in zip(records, case["accepted_absent"], strict=True):
            assert not set(absent) & set(record)
    for record in records:
        for key in landing.EPOCH_FIELDS[case["source"]]:
            assert type(record.get(key)) in (int, type(None))
        assert type(record.get("phone")) in (str, type(None))
    for q in scan.quarantined:
        assert q.file == Path(name).name and q.line_no >= 1 and q.raw


@pytest.mark.parametrize("name", sorted(EXPECTED["sources"]))
def test_corpus_source_resolves_duplicate_customers(name):
    case = EXPECTED["sources"][name]
    scan = landing.scan_source(CORPUS / name, case["source"])
    _assert_lines_match(scan, case)
    winners = [[f.file, n] for f in scan.files for n in f.accepted_line_nos]
    assert sorted(winners) == case["winners"]
    assert {q.reason for q in scan.quarantined} == set(case["reasons"])


def test_the_shared_stedi_data_is_accepted_whole(shared_data):
    for source, lines in {"customer": 956, "accelerometer": 81273, "step_trainer": 28680}.items():
        scan = landing.scan_source(shared_data / source / "landing", source)
        assert (scan.lines_total, scan.accepted_count, len(scan.quarantined)) == (lines, lines, 0)


def test_unchanged_lines_are_passed_through_byte_for_byte():
    line = '{"user":"a@example.invalid","timestamp":1,"x":1.0,"y":2.0,"z":3.0}'
    scan = landing.scan_bytes((line + "\n").encode(), "f.json", "accelerometer")
    assert scan.accepted == [line]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1655564376361, 1655564376361),
        (1655564376361.0, 1655564376361),
        (1655564376361.7, 1655564376361),
        ("1655564376361", 1655564376361),
        ("1655564376361.0", 1655564376361),
        ("1.655564376361e12", 1655564376361),
        (None, None),
        (0, 0),
    ],
)
def test_epochs_are_normalised_to_integer_milliseconds(value, expected):
    assert landing.to_epoch_ms(value, "k") == expected


@pytest.mark.parametrize(
    "value", ["yesterday", "", True, False, [1], {"ms": 1}, float("inf"), 2**63, 1e30, "1e30"]
)
def test_non_numeric_epochs_are_rejected(value):
    with pytest.raises(landing.Reject, match="k is not"):
        landing.to_epoch_ms(value, "k")


def _customer(email, updated=None, registered=None, **extra):
    record = {"email": email, **extra}
    if updated is not None:
        record["lastUpdateDate"] = updated
    if registered is not None:
        record["registrationDate"] = registered
    return json.dumps(record)


@pytest.mark.parametrize(
    ("lines", "winner"),
    [
        ([_customer("a", 2, tag=0), _customer("a", 1, tag=1)], 0),  # latest update wins
        ([_customer("a", 1, 5, tag=0), _customer("a", 1, 3, tag=1)], 0),  # then registration
        ([_customer("a", 1, 1, tag=0), _customer("a", 1, 1, tag=1)], 1),  # then last seen
        ([_customer("a", 1, tag=0), _customer("a", tag=1)], 0),  # a date beats no date
        ([_customer("a", tag=0), _customer("a", tag=1)], 1),
    ],
)
def test_duplicate_customers_keep_one_winner_per_email(lines, winner):
    kept, superseded = landing.dedupe_customers([*lines, _customer("b", 1, tag=9)])
    assert [json.loads(k)["tag"] for k in kept] == [winner, 9]
    assert len(superseded) == 1


def test_a_later_withdrawal_of_consent_wins_over_an_older_consent():
    old = _customer("a", 1, shareWithResearchAsOfDate=1)
    new = _customer("a", 2)
    kept, superseded = landing.dedupe_customers([old, new])
    assert kept == [new] and superseded == [old]


def test_invariant_check_catches_a_lost_line():
    scan = landing.scan_bytes(b'{"email": "a"}\n{"email": "b"}\n', "f.json", "customer")
    scan.accepted.pop()
    scan.accepted_line_nos.pop()
    with pytest.raises(AssertionError, match="2 lines != 1 accepted"):
        scan.check()


def test_quarantine_round_trip_and_counts(lake):
    scan = landing.scan_file(CORPUS / "customer" / "malformed_json.json", "customer")
    written = landing.write_quarantine(lake, "customer", scan.quarantined)
    assert written == [lake.quarantine_dir / "customer" / "malformed_json.jsonl"]
    rows = landing.read_quarantine(lake, "customer")
    assert [(r["file"], r["line"]) for r in rows] == [
        ("malformed_json.json", 2),
        ("malformed_json.json", 3),
    ]
    assert all(r["reason"].startswith("malformed JSON") for r in rows)
    assert landing.quarantine_counts(lake) == {"customer": 2, "accelerometer": 0, "step_trainer": 0}
    landing.write_quarantine(lake, "customer", scan.quarantined)  # rewriting is idempotent
    assert landing.quarantine_counts(lake)["customer"] == 2
    landing.clear_quarantine(lake, "customer")
    assert landing.quarantine_counts(lake)["customer"] == 0


def test_non_utf8_raw_text_keeps_the_bad_bytes_visible():
    scan = landing.scan_file(CORPUS / "customer" / "non_utf8.json", "customer")
    assert "\\xe9" in scan.quarantined[0].raw
    json.loads(scan.quarantined[0].to_json())


def test_a_missing_source_folder_is_one_clear_error(tmp_path):
    with pytest.raises(LakehouseError, match=r"customer landing folder .* does not exist"):
        landing.scan_source(tmp_path / "nope", "customer")


@pytest.mark.parametrize("files", [{}, {"bad.json": b"[1]\n{oops\n"}, {"empty.json": b""}])
def test_a_source_without_any_valid_row_is_one_clear_error(tmp_path, files):
    folder = tmp_path / "customer" / "landing"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with pytest.raises(LakehouseError, match="has no valid rows") as info:
        landing.scan_source(folder, "customer")
    assert "\n" not in str(info.value)


def test_orphans_are_accepted_in_landing_and_reported(lake):
    root = landing.landing_folder(lake, "customer").parents[1]
    for source in ("customer", "accelerometer", "step_trainer"):
        target = root / source / "landing"
        target.mkdir(parents=True)
        for f in (CORPUS / source).glob("*.json"):
            scan = landing.scan_file(f, source)
            (target / f.name).write_text("".join(line + "\n" for line in scan.accepted))
    found = landing.orphans_in_lake(lake)
    assert found.accelerometer_users == ["Nobody@example.invalid"]
    assert found.accelerometer_rows == 1
    assert found.step_trainer_serials == []  # sn-ada is a customer's device
    shutil.rmtree(root / "customer")
    without_customers = landing.orphans_in_lake(lake)
    assert (without_customers.accelerometer_rows, without_customers.step_trainer_rows) == (5, 2)


def test_unknown_source_is_rejected():
    with pytest.raises(LakehouseError, match="unknown landing source"):
        landing.scan_bytes(b"", "f", "gyroscope")


def test_land_source_writes_accepted_lines_and_quarantines_the_rest(lake, tmp_path):
    dest = tmp_path / "landing"
    scan = landing.land_source(CORPUS / "customer_duplicates", dest, "customer", lake)
    written = {p.name: p.read_text().splitlines() for p in dest.glob("*.json")}
    assert sum(map(len, written.values())) == scan.accepted_count == 4
    assert landing.quarantine_counts(lake)["customer"] == len(scan.quarantined) == 5
    stamp = {p.name: p.stat().st_mtime_ns for p in dest.glob("*.json")}
    landing.land_source(CORPUS / "customer_duplicates", dest, "customer", lake)
    assert {p.name: p.stat().st_mtime_ns for p in dest.glob("*.json")} == stamp
    assert landing.quarantine_counts(lake)["customer"] == 5


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
_records = st.fixed_dictionaries(
    {},
    optional={
        k: _json_values | st.integers(0, 2**45).map(str)
        for k in (
            "email",
            "user",
            "timestamp",
            "serialNumber",
            "sensorReadingTime",
            "phone",
            "lastUpdateDate",
        )
    },
)
_lines = st.one_of(
    st.binary(max_size=30),
    _json_values.map(lambda v: json.dumps(v).encode()),
    _records.map(lambda r: json.dumps(r).encode()),
    _records.map(lambda r: json.dumps(r).encode() + b","),
    _records.map(lambda r: json.dumps(r).encode()[:-3]),
)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_lines, max_size=8), source=st.sampled_from(landing.SOURCES))
def test_any_bytes_are_accepted_or_quarantined_and_never_lost(lines, source):
    data = b"\n".join(lines)
    scan = landing.scan_bytes(data, "fuzz.json", source)
    scan.check()
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    assert scan.lines_total == sum(1 for line in body.split(b"\n") if line.strip())
    for line in scan.accepted:
        record = json.loads(line)
        for key in landing.REQUIRED[source]:
            assert record[key] not in (None, "")
        for key in landing.EPOCH_FIELDS[source]:
            value = record.get(key)
            assert value is None or (type(value) is int and -(2**63) <= value < 2**63)


def test_a_big_source_is_scanned_in_two_processes_with_the_same_result(tmp_path, monkeypatch):
    """Above PARALLEL_BYTES the files are parsed by two helper processes; each scan, its
    quarantined lines and the duplicate resolution come out as a one-process scan gives."""
    from localglue.helper_process import HelperProcess
    from stedi.landing import source

    folder = tmp_path / "customer" / "landing"
    shutil.copytree(CORPUS / "customer", folder)
    alone = landing.scan_source(folder, "customer")
    submitted = []
    submit = HelperProcess.submit
    monkeypatch.setattr(source, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(
        HelperProcess, "submit", lambda self, fn, *a: submitted.append(a) or submit(self, fn, *a)
    )
    two = landing.scan_source(folder, "customer")
    assert len(submitted) == len(alone.files) > 1
    assert two.files == alone.files
