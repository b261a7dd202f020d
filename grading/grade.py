"""The whole grade: discover, plan, rebuild the account in a fresh lake, run, count, report.

`grade(project, ...)` returns the report dict (docs/grade.md documents its shape) and writes
report.json, report.md, one graph per job and the count screenshots to the report folder.
Setup problems raise LakehouseError (exit 2); a failed job, a count that differs or a privacy
failure give status "failed" (exit 1).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from grading import count, discover, execute, graph, privacy, report, setup
from grading.formats import Reader
from grading.plan import make_plan
from localglue.errors import LakehouseError
from localglue.helper_process import HelperProcess
from localglue.lake import Lake
from stedi.expected import DATASET_FILE, expected_counts

MARKER = "_grade.json"  # marks a lake a grade made, so a re-grade may wipe it


def fresh_lake(root: str | None) -> Lake:
    """An empty lake: a new temporary folder, or --lake DIR if empty or made by a grade."""
    if root is None:
        return Lake(tempfile.mkdtemp(prefix="stedi-grade-lake-"))
    lake = Lake(root)
    if lake.root.exists() and any(lake.root.iterdir()):
        if not (lake.root / MARKER).is_file():
            raise LakehouseError(
                f"--lake {lake.root} is not empty and no grade made it; pass an empty or new "
                "folder (a grade rebuilds the account from scratch)"
            )
        shutil.rmtree(lake.root)
    lake.root.mkdir(parents=True, exist_ok=True)
    (lake.root / MARKER).write_text(json.dumps({"made_by": "lakehouse grade"}) + "\n")
    return lake


def sample_data(lake: Lake) -> Path:
    """The embedded generated sample (default size and seed), with its manifest's counts."""
    from stedi.generator import generate

    folder = lake.root / "_grade_sample"
    generate(folder)
    return folder


def check_data(data: Path) -> None:
    for source in ("customer", "accelerometer", "step_trainer"):
        folder = data / source / "landing"
        if not folder.is_dir() or not any(folder.iterdir()):
            raise LakehouseError(
                f"--data {data} has no {source}/landing/ files; pass a folder in the shared "
                "data's layout (<source>/landing/*.json)"
            )


def record_dataset(lake: Lake, data: Path) -> str:
    manifest_path = data / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    identity = {
        "name": manifest.get("name") or data.name,
        "source": str(data),
        "expected_counts": manifest.get("expected_counts"),
    }
    (lake.root / DATASET_FILE).write_text(json.dumps(identity, indent=2) + "\n")
    return identity["name"]


def draw_graphs(plan, folder: Path) -> list[Path]:
    """Every job's graph (a module-level function: it runs in the drawing process)."""
    return [
        graph.draw(job.script, job.path.name, folder / "graphs" / f"{job.name}.png")
        for job in plan.jobs
        if job.script and job.script.nodes
    ]


def default_report_dir(project: str | Path) -> Path:
    """reports/grade/<project folder name>/ under the current folder (reports/ is git-ignored
    here, and one project's grade never overwrites another's)."""
    return Path("reports") / "grade" / Path(project).resolve().name


def grade(
    project: str | Path,
    data: str | Path | None = None,
    lake_dir: str | None = None,
    report_dir: str | Path | None = None,
    order: list[str] | None = None,
    rows: bool = False,
    master: str | None = None,
    progress=None,
    keep_lake: bool = False,
    job_args: dict[str, str] | None = None,
    catalog_case: str = "data",
) -> dict:
    say = progress or (lambda line: None)
    project = Path(project).resolve()
    if not project.is_dir():
        raise LakehouseError(f"project {project} is not a folder; pass the folder of your jobs")
    scripts = discover.find_scripts(project)
    ddl, skipped = discover.find_ddl(project)
    plan = make_plan(project, scripts, ddl, order, job_args)  # before any lake or Spark
    plan.catalog_case = catalog_case
    lake = fresh_lake(lake_dir)
    lake.set_stand_ins(plan.stand_ins)
    try:
        return _grade(project, data, lake, report_dir, plan, ddl, skipped, rows, master, say)
    finally:
        if lake_dir is None and not keep_lake:  # a temporary lake: 12 MB per grade otherwise
            shutil.rmtree(lake.root, ignore_errors=True)


def _grade(project, data, lake, report_dir, plan, ddl, skipped, rows, master, say) -> dict:
    from localglue.lock import lake_lock
    from localglue.spark import get_spark

    data = Path(data).resolve() if data else sample_data(lake)
    check_data(data)
    dataset = record_dataset(lake, data)
    folder = Path(report_dir or default_report_dir(project)).resolve()
    say(f"{len(plan.jobs)} job(s), {len(ddl)} DDL table(s); lake {lake.root}")
    # The images in a second process: matplotlib is mostly pure Python; drawn in a thread,
    # the graphs took the GIL from the jobs' own Python work (the landing JSON scan ran 3x
    # slower). There the graphs use the idle core while Spark runs the jobs, and half the
    # count images are drawn while this process draws the rest.
    with HelperProcess() as pool:
        drawing = pool.submit(draw_graphs, plan, folder)
        with lake_lock(lake, command=f"grade {project}"):
            laid = setup.lay_landing(lake, data, plan)
            catalog = [{"table": t, "how": "ddl"} for t in setup.register_ddl(lake, plan)]
            runs = execute.run_plan(plan, lake, get_spark(master), display=say)
        try:
            graphs = drawing.result()
        except Exception:  # noqa: BLE001 - a broken drawing process: draw them here
            graphs = draw_graphs(plan, folder)
        doc = _report(
            project, data, dataset, lake, plan, runs, laid, catalog, skipped, rows, graphs
        )
        doc["screenshots"] = [str(p) for p in report.count_screenshots(doc, folder, dataset, pool)]
    report.write(doc, folder)
    return doc


def _report(project, data, dataset, lake, plan, runs, laid, catalog, skipped, rows, graphs):
    """The grade's report: what was found, counted and checked."""
    for run in runs:
        catalog += [{"table": t, "how": how, "for": run.script} for t, how in run.catalog]
    found = count.identify(plan, runs, lake, laid)
    customer_files = [f for x in plan.landing if x.source == "customer" for f in laid[x.location]]
    if not customer_files:
        customer_files = [str(p) for p in setup.landing_files(data, "customer")]
    with Reader() as reader:  # decoded copies of what the jobs wrote, shared by both
        counts = count.count_tables(found, reader)
        checks = privacy.check(found, customer_files, rows, reader)
    return report.build(
        project=project,
        data=data,
        dataset=dataset,
        lake=lake,
        plan=plan,
        runs=runs,
        found=found,
        counts=counts,
        expected=expected_counts(lake, "rubric").counts or {},
        strict=expected_counts(lake, "strict").counts or {},
        catalog=catalog,
        skipped_ddl=skipped,
        privacy=checks,
        graphs=graphs,
        shots=[],
    )
