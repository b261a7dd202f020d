"""The rubric profile's privacy section counts what the rubric lets through and strict would
not (pre-consent readings, consent-0 customers, shared devices, cross-customer pairs), as
warnings, and each table's count equals the strict profile's removal: rubric - strict rows."""

from __future__ import annotations

import json

import pytest

from localglue.lake import Lake
from stedi.tables import TABLE_NAMES, ZONE
from tests import minilake
from validation.run import main

DOWNSTREAM = [t for t in TABLE_NAMES if ZONE[t] != "landing"]


def validate(lake: Lake, capsys, profile: str = "rubric", *extra: str) -> tuple[int, dict, str]:
    report_dir = lake.root.parent / "reports" / profile
    code = main(
        ["--lake", str(lake.root), "--profile", profile, "--report-dir", str(report_dir), *extra]
    )
    out = capsys.readouterr().out
    return code, json.loads((report_dir / "report.json").read_text()), out


def removals(counts: dict) -> dict[str, int]:
    return {t: counts["rubric"][t] - counts["strict"][t] for t in DOWNSTREAM}


def section_rows(report: dict) -> dict[str, int]:
    return {t["table"]: t["rows"] for t in report["privacy"]["tables"]}


@pytest.fixture(scope="module")
def trapped(tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("traps") / "lake")
    minilake.build(lake, "rubric", traps=True)
    return lake


def test_the_section_equals_strict_removals_on_a_lake_with_every_trap(trapped, capsys):
    code, report, out = validate(trapped, capsys)
    assert code == 0  # warnings only: the rubric is graded as written
    expected = {
        p: {t: len(r) for t, r in minilake.derive(p, traps=True).items()}
        for p in ("rubric", "strict")
    }
    assert section_rows(report) == removals(expected)
    assert all(removals(expected).values())  # every table has something to count here
    reasons = {r for t in report["privacy"]["tables"] for r in t["reasons"]}
    assert {
        "reading before consent",
        "consent 0 or missing on a record",
        "device shared by several customers",
        "cross-customer pair",
    } <= reasons
    assert report["privacy"]["shared_devices"] == 1
    assert report["privacy"]["severity"] == "warning"
    assert report["summary"]["privacy_warnings"] == report["privacy"]["warnings"] > 0
    assert "cross-customer pair" in out
    md = (trapped.root.parent / "reports" / "rubric" / "report.md").read_text()
    assert "## Privacy" in md and "reading before consent" in md


def test_the_strict_profile_report_has_no_privacy_section(tmp_path, capsys):
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, "strict", traps=True)
    code, report, _ = validate(lake, capsys, "strict")
    assert code == 0 and "privacy" not in report


@pytest.mark.e2e
def test_on_the_shared_data_the_section_equals_strict_removals(shared_lake, capsys):
    """e.g. 40,981 - 32,025 = 8,956 accelerometer readings before consent."""
    from validation.suites import expectations_dir

    counts = json.loads((expectations_dir() / "counts.json").read_text())["stedi-udacity"]
    code, report, _ = validate(shared_lake("rubric"), capsys)
    assert code == 0
    assert section_rows(report) == removals(counts)
    accelerometer = next(
        t for t in report["privacy"]["tables"] if t["table"] == "accelerometer_trusted"
    )
    assert accelerometer["reasons"] == {"reading before consent": 8956}
