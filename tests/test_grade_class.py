"""`lakehouse grade --class DIR`: a class of learner-style submissions graded side by side,
each in its own grade process and walled-off child, into one summary.

The first tests stand in a small program for `lakehouse grade` (Options.command) to pin what
the class run does around a grade: its time limit, a grade that dies, what is graded again.
The end-to-end test grades a real class on the embedded sample (tests/learner_class.py):
interrupted with kill -9, resumed, run again (nothing graded twice), then joined by a hostile
classmate that attacks the others' folders and reports, which must come out unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import unquote

import psutil
import pytest

from grading import classroom, summary
from lakehouse.cli import main as cli_main
from stedi.tables import TABLE_NAMES
from tests import browser
from tests.learner_class import build_class, zip_project
from tests.wall_tools import namespaces_missing

REPO = Path(__file__).resolve().parents[1]

# -- the class run around a grade, with a stand-in for `lakehouse grade` -----------------------

STAND_IN = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    project, report = sys.argv[1], sys.argv[sys.argv.index("--report-dir") + 1]
    name = os.path.basename(project)
    with open(os.path.join(os.path.dirname(report), "calls.log"), "a") as f:
        f.write(name + "\\n")
    if name.startswith("hang"):  # a grade that never ends, nor lets go of its helper
        helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                                  start_new_session=True)
        with open(os.path.join(report, "pids"), "w") as f:
            f.write(f"{os.getpid()} {helper.pid}")
        while True:
            time.sleep(1)
    if name.startswith("crash"):
        sys.exit(3)
    with open(os.path.join(report, "report.json"), "w") as f:
        json.dump({"status": "passed", "counts_match": "rubric", "tables": {}, "jobs": [],
                   "privacy": {"status": "passed"}}, f)
    """
)


@pytest.fixture
def stand_in(tmp_path) -> list[str]:
    program = tmp_path / "stand_in_grade.py"
    program.write_text(STAND_IN)
    return [sys.executable, str(program)]


@pytest.fixture
def data(tmp_path) -> Path:
    for source in ("customer", "accelerometer", "step_trainer"):
        folder = tmp_path / "data" / source / "landing"
        folder.mkdir(parents=True)
        (folder / "part.json").write_text("{}\n")
    return tmp_path / "data"


def project(folder: Path, text: str = "x = 1\n") -> Path:
    folder.mkdir(parents=True)
    (folder / "job.py").write_text(text)
    return folder


def run_class(folder: Path, report: Path, command, data: Path, **options) -> dict:
    subs, _ = classroom.find_submissions(folder)
    opts = classroom.Options(report_dir=report, data=data, command=command,
                             record_archive=False, jobs=options.pop("jobs", 2), **options)  # fmt: skip
    return classroom.ClassRun(folder.name, subs, opts).run()


def test_submissions_are_every_folder_and_archive_each_named_once(tmp_path):
    cohort = tmp_path / "cohort"
    project(cohort / "alice")
    zip_project(cohort / "alice", cohort / "alice.zip")  # the same name twice
    (cohort / "bob.tgz").write_bytes(b"")
    (cohort / "carol.tar.gz").write_bytes(b"")
    (cohort / "dave.bundle").write_bytes(b"")
    (cohort / "erin").write_bytes(b"# v2 git bundle\n")  # a bundle by its first line
    (cohort / "summary.html").mkdir()  # a name the class summary needs
    (cohort / ".git").mkdir()
    (cohort / "notes.txt").write_text("not a submission")
    subs, ignored = classroom.find_submissions(cohort)
    assert [(s.name, s.source.name, s.kind) for s in subs] == [
        ("alice", "alice", "folder"),
        ("alice.zip", "alice.zip", "zip"),
        ("bob", "bob.tgz", "tar"),
        ("carol", "carol.tar.gz", "tar"),
        ("dave", "dave.bundle", "bundle"),
        ("erin", "erin", "bundle"),
        ("_summary.html", "summary.html", "folder"),
    ]
    assert ignored == ["notes.txt"]


def test_a_grade_past_the_submission_time_limit_is_stopped_with_every_process_it_started(
    tmp_path, stand_in, data
):
    project(tmp_path / "class" / "hang")
    project(tmp_path / "class" / "quick")
    started = time.monotonic()
    doc = run_class(tmp_path / "class", tmp_path / "report", stand_in, data, submission_timeout=5)
    rows = {r["submission"]: r for r in doc["submissions"]}
    assert rows["hang"]["verdict"] == "error"
    assert rows["hang"]["cause"] == "exceeded the 5 s submission time limit"
    assert rows["quick"]["verdict"] == "passed", "the other submission went on"
    pids = [int(p) for p in (tmp_path / "report" / "hang" / "pids").read_text().split()]
    time.sleep(0.5)
    alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]
    assert not alive, "the grade and the helper it started in a session of its own ended"
    assert time.monotonic() - started < 60


def test_a_grade_that_ends_without_a_report_is_that_rows_error(tmp_path, stand_in, data):
    project(tmp_path / "class" / "crash")
    project(tmp_path / "class" / "fine")
    doc = run_class(tmp_path / "class", tmp_path / "report", stand_in, data)
    rows = {r["submission"]: r for r in doc["submissions"]}
    assert rows["crash"]["verdict"] == "error"
    assert rows["crash"]["cause"].startswith("the grade ended with exit code 3 and wrote no report")
    assert rows["fine"]["verdict"] == "passed"
    report = json.loads((tmp_path / "report" / "crash" / "report.json").read_text())
    assert report["status"] == "error"


def calls(report: Path) -> list[str]:
    log = report / "calls.log"
    return log.read_text().split() if log.is_file() else []


def test_a_submission_is_graded_again_only_when_its_files_data_grader_or_options_change(
    tmp_path, stand_in, data
):
    cohort, report = tmp_path / "class", tmp_path / "report"
    project(cohort / "a")
    project(cohort / "b")
    run_class(cohort, report, stand_in, data)
    assert sorted(calls(report)) == ["a", "b"]
    run_class(cohort, report, stand_in, data)
    assert sorted(calls(report)) == ["a", "b"], "nothing changed: nothing graded"
    (cohort / "a" / "job.py").write_text("x = 2\n")
    run_class(cohort, report, stand_in, data)
    assert calls(report)[2:] == ["a"], "a's files changed"
    run_class(cohort, report, stand_in, data, grade_args=["--job-timeout", "60"])
    assert sorted(calls(report)[3:]) == ["a", "b"], "the options changed"
    (data / "customer" / "landing" / "part.json").write_text('{"a": 1}\n')
    run_class(cohort, report, stand_in, data, grade_args=["--job-timeout", "60"])
    assert sorted(calls(report)[5:]) == ["a", "b"], "the data changed"
    run_class(cohort, report, stand_in, data, grade_args=["--job-timeout", "60"], force=True)
    assert sorted(calls(report)[7:]) == ["a", "b"], "--force"


def test_the_summary_keeps_the_classmates_an_earlier_run_graded(tmp_path, stand_in, data):
    cohort, report = tmp_path / "class", tmp_path / "report"
    project(cohort / "a")
    project(cohort / "b")
    run_class(cohort, report, stand_in, data)
    subs = classroom.name_submissions([cohort / "b"])
    opts = classroom.Options(report_dir=report, data=data, command=stand_in,
                             record_archive=False, force=True)  # fmt: skip
    doc = classroom.ClassRun("class", subs, opts).run()
    assert [r["submission"] for r in doc["submissions"]] == ["a", "b"]
    (report / "a").rename(report / "gone")  # a folder whose submission is not there any more
    doc = classroom.ClassRun("class", subs, opts).run()
    assert [r["submission"] for r in doc["submissions"]] == ["b"]


def test_the_cli_refuses_what_is_for_one_project_only(tmp_path, capsys):
    project(tmp_path / "class" / "a")
    for extra in (["--lake", str(tmp_path / "lake")], ["--order", "job.py"], ["--keep-lake"]):
        code = cli_main(["grade", "--class", str(tmp_path / "class"), *extra])
        assert code == 2
        assert "is for one project; grade that submission alone" in capsys.readouterr().err
    code = cli_main(["grade", str(tmp_path / "class" / "a"), "--class", str(tmp_path / "class")])
    assert code == 2 and "not both" in capsys.readouterr().err
    assert cli_main(["grade", "--class", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_default_jobs_fit_the_cores_and_the_memory_at_each_grades_limit():
    cores = len(os.sched_getaffinity(0))
    free = psutil.virtual_memory().available
    assert classroom.default_jobs(100, memory_limit=2**30) == max(1, min(cores, free // 2**31))
    assert classroom.default_jobs(100, memory_limit=free) == 1, "one always runs"
    assert classroom.default_jobs(1) == 1


# -- a real class, end to end ------------------------------------------------------------------

SAMPLE_ROWS = {  # submission: what its row says (counts are checked against the sample's own)
    "alice": {"verdict": "passed", "counts_match": "rubric", "privacy": "passed", "group": "A"},
    "erin": {"verdict": "passed", "counts_match": "rubric", "privacy": "passed", "group": "A"},
    "bob": {"verdict": "passed", "counts_match": "rubric", "privacy": "passed"},
    "carol": {
        "verdict": "failed",
        "counts_match": "neither",
        "privacy": "failed",
        "group": "B",
        "failed_job": "accelerometer_landing_to_trusted.py",
        "failed_line": "34",
        "cause": "emailAddress",
    },
    "hugo": {
        "verdict": "failed",
        "counts_match": "neither",
        "privacy": "failed",
        "group": "B",
        "failed_job": "accelerometer_landing_to_trusted.py",
        "failed_line": "34",
        "cause": "emailAddress",
    },
    "frank": {
        "verdict": "failed",
        "counts_match": "neither",
        "privacy": "failed",
        "why": "customer_trusted holds",
        "statuses": {"customer_trusted": "differs", "customer_curated": "missing"},
    },
    "bomb": {"verdict": "error", "cause": "bomb.zip: unpacks to over 200 times its size"},
    "slip": {"verdict": "error", "cause": "slip.tar.gz: member '../../escaped.py' climbs out"},
    "empty": {"verdict": "error", "cause": "no Glue job scripts under"},
    "mallory": {
        "verdict": "failed",
        "counts_match": "neither",
        "privacy": "failed",
        "statuses": {"customer_trusted": "differs"},
    },
}
JOBS = 2


def cli(folder: Path, report: Path, *extra: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "lakehouse", "grade", "--class", str(folder),
            "--report-dir", str(report), "--jobs", str(JOBS), *extra]  # fmt: skip
    return subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)  # fmt: skip


def stamps(report: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in report.glob(f"*/{summary.STAMP}")}


def tree_hash(folder: Path, leave_out: set[str] = frozenset()) -> dict[str, str]:
    """Every file under `folder` (and each submission archive) by its content hash."""
    out = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] in leave_out or path.is_dir():
            continue
        out[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """The class graded as a grader would: interrupted by kill -9 once the first submission
    is graded, resumed, run once more, then joined by a hostile classmate."""
    from stedi.generator import generate

    base = tmp_path_factory.mktemp("class")
    folder, report = base / "stedi-cohort", base / "reports"
    build_class(folder)
    out: dict = {"folder": folder, "report": report}
    out["expected"] = generate(base / "sample")["expected_counts"]

    first = cli(folder, report)
    deadline = time.monotonic() + 1800
    while not stamps(report) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(1)
    assert first.poll() is None, f"the class ended before it could be interrupted: {first.communicate()}"  # fmt: skip
    out["workers"] = [p.pid for p in psutil.Process(first.pid).children(recursive=True)]
    out["work"] = json.loads((report / classroom.LOCK).read_text())["work"]
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    out["at_kill"] = stamps(report)

    resumed = cli(folder, report)
    out["resumed_out"], out["resumed_err"] = resumed.communicate(timeout=3600)
    out["resumed_code"] = resumed.returncode
    out["after_resume"] = stamps(report)
    out["csv"] = (report / "summary.csv").read_text()

    again = cli(folder, report)
    out["again_out"], out["again_err"] = again.communicate(timeout=600)
    out["after_again"] = stamps(report)

    if not namespaces_missing():
        hostile(folder, report, out)
    out["summary"] = json.loads((report / "summary.json").read_text())
    return out


def hostile(folder: Path, report: Path, out: dict) -> None:
    """mallory joins the class knowing every path of it: the others' folders, archives and
    reports, the summary, and a file of the grader's."""
    build_class(folder / ".." / "with-mallory", hostile=True)
    (folder.parent / "with-mallory" / "mallory").rename(folder / "mallory")
    secret = folder.parent / "graders-secret.txt"
    secret.write_text("the grader's own file\n")
    others = [p for p in folder.iterdir() if p.name != "mallory"]
    targets = {
        "classmates": [str(p) for p in others if p.is_dir()],
        "reports": [str(p) for p in report.iterdir() if p.is_dir()],
        "overwrite": [str(report / "summary.html"), *(str(p) for p in others if p.is_file())],
        "read": [str(secret)],
    }
    (folder / "mallory" / "targets.json").write_text(json.dumps(targets, indent=2))
    leave = {"mallory", classroom.LOCK}  # the lock records which run holds it
    out["before"] = (tree_hash(folder, leave), tree_hash(report, leave | set(summary.FILES)))
    done = cli(folder, report)
    out["hostile_out"], out["hostile_err"] = done.communicate(timeout=1800)
    out["after"] = (tree_hash(folder, leave), tree_hash(report, leave | set(summary.FILES)))
    out["mallory_log"] = "".join(p.read_text() for p in (report / "mallory" / "logs").glob("*.log"))


def csv_rows(text: str) -> dict[str, dict]:
    return {r["submission"]: r for r in csv.DictReader(text.splitlines())}


@pytest.mark.e2e
def test_every_row_of_the_class_summary(graded):
    rows = csv_rows((graded["report"] / "summary.csv").read_text())
    want_rows = {k: v for k, v in SAMPLE_ROWS.items() if k in rows}
    assert set(rows) == set(SAMPLE_ROWS) - ({"mallory"} if namespaces_missing() else set())
    rubric = graded["expected"]["rubric"]
    for name, want in want_rows.items():
        row = rows[name]
        assert row["verdict"] == want["verdict"], (name, row)
        assert row["counts_match"] == want.get("counts_match", ""), name
        assert row["privacy"] == want.get("privacy", ""), name
        assert row["copy_group"] == want.get("group", ""), name
        assert row["failed_job"].endswith(want.get("failed_job", "")), name
        assert row["failed_line"] == want.get("failed_line", ""), name
        assert want.get("cause", "") in row["cause"], (name, row["cause"])
        assert want.get("why", "") in row["why"], (name, row["why"])
        if want["verdict"] == "error":  # a refused archive can take under 0.05 s
            assert float(row["seconds"]) >= 0, name
            assert all(row[t] == "" for t in TABLE_NAMES), name
            continue
        assert float(row["seconds"]) > 0, name
        assert row["isolation"] == ("process" if namespaces_missing() else "namespaces"), name
        assert row["report"] == f"{name}/report.md" and (graded["report"] / row["report"]).is_file()
        statuses = next(r for r in graded["summary"]["submissions"] if r["submission"] == name)
        for table in TABLE_NAMES:
            if want["counts_match"] == "rubric":
                assert int(row[table]) == rubric[table], (name, table)
            if statuses["statuses"][table] == "ok":
                assert int(row[table]) == rubric[table], (name, table)
        for table, status in want.get("statuses", {}).items():
            assert statuses["statuses"][table] == status, (name, table)


@pytest.mark.e2e
def test_copies_are_grouped_even_disguised_or_bundled(graded):
    groups = {g["group"]: g["submissions"] for g in graded["summary"]["copy_groups"]}
    assert groups == {"A": ["alice", "erin"], "B": ["carol", "hugo"]}
    md = (graded["report"] / "summary.md").read_text()
    assert "- **A**: alice, erin (5 scripts)" in md and "- **B**: carol, hugo (3 scripts)" in md


@pytest.mark.e2e
def test_an_interrupted_class_resumes_where_it_stopped(graded):
    at_kill, after = graded["at_kill"], graded["after_resume"]
    assert at_kill, "a submission was graded before the kill"
    assert all(after[name] == stamp for name, stamp in at_kill.items()), "not graded again"
    assert set(after) == set(csv_rows(graded["csv"])), "every submission graded once resumed"
    assert graded["resumed_code"] == 1, "some failed: exit 1"
    left = [p for p in graded["workers"] if psutil.pid_exists(p)
            and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]  # fmt: skip
    assert not left, "the killed run's grades ended with it"
    assert not Path(graded["work"]).exists(), "its work folder was removed by the next run"
    skipped = re.findall(r"already graded", graded["resumed_err"])
    assert len(skipped) == len(at_kill)
    assert re.search(r"\[\d+/\d+\] \w+: (passed|failed|error) in \d+ s; about \d+", graded["resumed_err"])  # fmt: skip


@pytest.mark.e2e
def test_a_class_graded_again_grades_nothing_again(graded):
    assert graded["after_again"] == graded["after_resume"]
    assert graded["again_err"].count("already graded") == len(graded["after_resume"])
    assert "grading 0 of" not in graded["again_err"] and "  grading " not in graded["again_err"]


@pytest.mark.e2e
@pytest.mark.skipif(bool(namespaces_missing()), reason=f"no namespaces: {namespaces_missing()}")
def test_a_hostile_classmate_changes_nothing_outside_its_own_report(graded):
    before, after = graded["before"], graded["after"]
    assert after[0] == before[0], "the other submissions' folders and archives"
    assert after[1] == before[1], "the other submissions' report folders"
    probes = [json.loads(line[6:]) for line in graded["mallory_log"].splitlines()
              if line.startswith("PROBE ")]  # fmt: skip
    assert len(probes) > 10 and all(p["result"].startswith("refused") for p in probes), probes
    assert "already graded" in graded["hostile_err"] and "mallory: failed" in graded["hostile_err"]
    page = (graded["report"] / "summary.html").read_text()
    assert "everyone passed" not in page and 'data-submission="mallory"' in page


# -- the summary page, in a real browser with the network off ----------------------------------

PROBE_COLOURS = """<script>
for (const td of document.querySelectorAll('td.count'))
  td.setAttribute('data-bg', getComputedStyle(td).backgroundColor);
for (const a of document.querySelectorAll('a[href]'))
  a.setAttribute('data-resolved', a.href);
</script></body>"""


def rgb(text: str) -> tuple[int, int, int]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def hue(colour: tuple[int, int, int]) -> str:
    r, g, b = colour
    if max(colour) - min(colour) < 12:
        return "grey"
    return {r: "red", g: "green", b: "blue"}[max(colour)]


@pytest.fixture(scope="module")
def page(graded) -> dict:
    if not browser.executable():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    html = graded["report"] / "summary.html"
    probe = html.with_name("probe.html")
    probe.write_text(html.read_text().replace("</body>", PROBE_COLOURS))
    try:
        dom = browser.dump_dom(probe)
    finally:
        probe.unlink()
    return {"html": html, "dom": dom}


@pytest.mark.e2e
def test_the_summary_page_needs_nothing_from_the_network(page):
    text = page["html"].read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "@import" not in text and "<link" not in text and "<script" not in text


@pytest.mark.e2e
def test_the_summary_page_shows_one_row_per_submission_counts_coloured_as_rendered(page, graded):
    rows = re.findall(r'<tr class="(\w+)" data-submission="([^"]+)">(.*?)</tr>', page["dom"], re.S)
    summary_rows = {r["submission"]: r for r in graded["summary"]["submissions"]}
    assert [name for _, name, _ in rows] == list(summary_rows)
    colour_of = {"ok": "green", "strict": "blue", "differs": "red", "empty": "red",
                 "missing": "grey", "none": "grey", "unreadable": "red"}  # fmt: skip
    for verdict, name, cells in rows:
        assert verdict == summary_rows[name]["verdict"]
        counts = re.findall(r'<td class="num count (\w+)"[^>]*data-bg="([^"]+)"', cells)
        assert len(counts) == len(TABLE_NAMES), name
        for table, (status, bg) in zip(TABLE_NAMES, counts, strict=True):
            assert status == (summary_rows[name]["statuses"][table] or "none"), (name, table)
            assert hue(rgb(bg)) == colour_of[status], (name, table, status, bg)
    assert "green" in {hue(rgb(bg)) for bg in re.findall(r'data-bg="([^"]+)"', page["dom"])}


@pytest.mark.e2e
def test_every_link_of_the_summary_page_opens_a_file_beside_it(page, graded):
    links = re.findall(r'data-resolved="file://([^"]+)"', page["dom"])
    assert links, "the page links the reports"
    missing = [link for link in links if not Path(unquote(link)).is_file()]
    assert not missing, missing[:5]
    opened = {Path(unquote(link)).relative_to(graded["report"]).as_posix() for link in links}
    assert "alice/report.md" in opened and "alice/count_customer_trusted.png" in opened
    assert any(p.startswith("alice/graphs/") and p.endswith(".png") for p in opened)


@pytest.mark.e2e
def test_the_summary_page_renders_offline(page, tmp_path):
    from PIL import Image

    shot = browser.screenshot(page["html"], tmp_path / "summary.png", 1400, 1000)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1000)
    colours = {hue(c) for _, c in image.getcolors(1_000_000) or []}
    assert {"green", "red", "grey"} <= colours, "the coloured counts are on screen"
