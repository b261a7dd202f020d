"""`python -m validation.run` checks the landing ledger on every run: it reports the quarantine
count per source and fails (critical) when landing lines != accepted + quarantined."""

from __future__ import annotations

import json

import pytest

from localglue.lake import Lake
from stedi import landing, ledger
from tests import minilake
from validation.report import failed_check_names
from validation.run import main

QUARANTINED = [
    landing.QuarantinedRecord("late.json", 1, "{not json", "malformed JSON: Expecting property"),
    landing.QuarantinedRecord("late.json", 2, '{"email": null}', "required key email is null"),
]


@pytest.fixture
def ledgered(tmp_path) -> Lake:
    """A finished mini lake whose ingest quarantined two customer lines (as ingest records it)."""
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, "rubric")
    scans = {s: landing.scan_source(landing.landing_folder(lake, s), s) for s in landing.SOURCES}
    late = landing.FileScan("late.json", "customer", quarantined=list(QUARANTINED), lines_total=2)
    scans["customer"].files.append(late)
    landing.write_quarantine(lake, "customer", QUARANTINED)
    ledger.record(lake, {"name": "minilake", "source": str(tmp_path)}, scans)
    return lake


def _validate(lake: Lake, *extra: str) -> tuple[int, dict]:
    code = main(["--lake", str(lake.root), *extra])
    return code, json.loads((lake.root.parent / "reports" / "rubric" / "report.json").read_text())


def test_the_report_shows_the_quarantine_count_per_source(ledgered, capsys):
    code, report = _validate(ledgered)
    assert code == 0, report["quarantine"]
    assert report["quarantine"]["status"] == "passed"
    assert report["quarantine"]["quarantined"] == {
        "customer": 2,
        "accelerometer": 0,
        "step_trainer": 0,
    }
    out = capsys.readouterr().out
    assert "quarantined landing records: customer 2, accelerometer 0, step_trainer 0" in out
    md = (ledgered.root.parent / "reports" / "rubric" / "report.md").read_text()
    assert "Quarantined landing records: customer 2" in md


def _drop_quarantine_file(lake):
    (landing.quarantine_dir(lake, "customer") / "late.jsonl").unlink()


def _add_unexplained_record(lake):
    with (landing.quarantine_dir(lake, "customer") / "late.jsonl").open("a") as fh:
        fh.write(QUARANTINED[0].to_json() + "\n")


def _drop_landing_line_and_its_expectation(lake):
    """A (non-consenting) customer lost from landing after ingest, with the expected count
    edited to hide it: only the ledger still knows."""
    path = next(landing.landing_folder(lake, "customer").glob("*.json"))
    lines = path.read_text().splitlines(keepends=True)
    lost = next(i for i, x in enumerate(lines) if "shareWithResearchAsOfDate" not in x)
    path.write_text("".join(lines[:lost] + lines[lost + 1 :]))
    dataset = json.loads((lake.root / "_dataset.json").read_text())
    for counts in dataset["expected_counts"].values():
        counts["customer_landing"] -= 1
    (lake.root / "_dataset.json").write_text(json.dumps(dataset))


def _interrupted_ingest(lake):
    ledger.start(lake, {"name": "minilake", "source": "/somewhere"})


@pytest.mark.parametrize(
    ("plant", "failing_tables", "words"),
    [
        (_drop_quarantine_file, {"customer_landing"}, "2 missing"),
        (_add_unexplained_record, {"customer_landing"}, "1 unexplained"),
        (_drop_landing_line_and_its_expectation, {"customer_landing"}, "1 missing"),
        (_interrupted_ingest, {f"{s}_landing" for s in landing.SOURCES}, "did not finish"),
    ],
    ids=["quarantine file removed", "record added", "landing line lost", "ingest killed"],
)
def test_a_broken_ledger_fails_validation_as_critical(ledgered, plant, failing_tables, words):
    plant(ledgered)
    code, report = _validate(ledgered, "--quiet")
    assert code == 1 and report["status"] == "failed"
    assert report["quarantine"]["status"] == "failed"
    assert words in report["quarantine"]["message"]
    named = {n.split(":")[0] for n in failed_check_names(report) if n.endswith(ledger.CHECK_NAME)}
    assert named == failing_tables
    others = failed_check_names(report) - {f"{t}:{ledger.CHECK_NAME}" for t in failing_tables}
    assert not others, "only the ledger catches these plants"


def test_a_broken_ledger_fails_even_when_landing_tables_are_not_selected(ledgered):
    _drop_quarantine_file(ledgered)
    code, report = _validate(ledgered, "--quiet", "--tables", "customer_trusted")
    assert code == 1 and report["quarantine"]["status"] == "failed"
