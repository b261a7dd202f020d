"""The whole grade: discover, plan, rebuild the account in a fresh lake, run, count, report.

`grade(project, ...)` returns the report dict (docs/grade.md documents its shape) and writes
report.json, report.md, one graph per job, the count screenshots and the jobs' logs to the
report folder. Setup problems raise LakehouseError (exit 2); a failed job, a count that
differs or a privacy failure give status "failed" (exit 1).

This process is the grader: the learner's jobs run in a child it controls
(grading/execute.py, grading/isolation.py). Everything the verdict rests on is computed here,
from what the child cannot write: the expected counts are read before the child starts, the
landing counts and the consent facts come from the grader's own copy of the landing data,
and the outputs are read from the lake only after the child and all its processes have
ended (and after anything a job could plant to mislead a reader was removed).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import traceback
from pathlib import Path

from grading import count, discover, execute, graph, isolation, messages, privacy, report, setup
from grading.formats import Reader
from grading.plan import make_plan
from localglue.errors import LakehouseError
from localglue.helper_process import HelperProcess
from localglue.lake import Lake
from stedi.expected import DATASET_FILE, expected_counts
from stedi.tables import TABLE_NAMES

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


def sample_data() -> Path:
    """The embedded generated sample (default size and seed), with its manifest's counts: in a
    temporary folder of the grader's, beside the lake and out of the jobs' reach."""
    from stedi.generator import generate

    folder = Path(tempfile.mkdtemp(prefix=report.SAMPLE_PREFIX))
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
    limits: execute.Limits | None = None,
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
    lake.set_stand_ins(plan.stand_ins)  # kept in this Lake's memory: the jobs cannot move it
    sample = None if data else sample_data()
    try:
        folder = Path(report_dir or default_report_dir(project)).resolve()
        return _grade(project, Path(data or sample).resolve(), lake, folder, plan, ddl, skipped,
                      rows, master, say, limits)  # fmt: skip
    finally:
        if sample is not None:
            shutil.rmtree(sample, ignore_errors=True)
        if lake_dir is None and not keep_lake:  # a temporary lake: 12 MB per grade otherwise
            shutil.rmtree(lake.root, ignore_errors=True)


def _grade(project, data, lake, folder, plan, ddl, skipped, rows, master, say, limits) -> dict:
    from localglue.lock import lake_lock
    from localglue.spark import cds_archive

    check_data(data)
    dataset = record_dataset(lake, data)
    # Read now, kept here: the jobs can rewrite the lake's _dataset.json.
    expected = {p: expected_counts(lake, p).counts or {} for p in ("rubric", "strict")}
    landing = {x.location: setup.landing_files(data, x.source) for x in plan.landing}
    customers = setup.landing_files(data, "customer")
    before = isolation.fingerprint([*customers, *(f for fs in landing.values() for f in fs)])
    archive = cds_archive()
    sandbox = isolation.Sandbox(
        lake.root, project, archive if archive and archive.is_file() else None
    )
    runner = execute.JobRunner(
        plan, lake, sandbox, execute.Logs(folder / "logs"), limits or execute.Limits(),
        master, say,
    )  # fmt: skip
    say(f"{len(plan.jobs)} job(s), {len(ddl)} DDL table(s); lake {lake.root}")
    # The images in a second process: matplotlib is mostly pure Python; drawn in a thread,
    # the graphs took the GIL from the jobs' own Python work (the landing JSON scan ran 3x
    # slower). There the graphs use the idle core while Spark runs the jobs, and half the
    # count images are drawn while this process draws the rest.
    try:
        with HelperProcess() as pool:
            drawing = pool.submit(draw_graphs, plan, folder)
            with lake_lock(lake, command=f"grade {project}"):
                if any(not job.error for job in plan.jobs):
                    runner.launch()  # the child's Spark starts while the landing files are laid
                setup.lay_landing(lake, data, plan)
                catalog = [{"table": t, "how": "ddl"} for t in setup.register_ddl(lake, plan)]
                sandbox.hand_over()
                runs = runner.run()
                # Every process of the child has ended: from here on only the grader acts.
                removed = isolation.reclaim_lake(lake.root)
            changed = [
                p for p, mark in isolation.fingerprint([Path(p) for p in before]).items()
                if before[p] != mark
            ]  # fmt: skip
            graphs = _graphs(drawing, plan, folder)
            doc = _report(
                project, data, dataset, lake, plan, runs, landing, customers, expected,
                catalog, skipped, rows, graphs,
            )  # fmt: skip
            doc["isolation"] = runner.isolation
            doc["logs"] = str(folder / "logs")
            doc["lake_removed"] = removed
            if changed:
                doc["status"] = report.FAILED
                doc["tampered"] = sorted(changed)
            doc["screenshots"] = _screenshots(doc, folder, dataset, pool)
    finally:
        runner.close()
        sandbox.remove()
    report.write(doc, folder)
    return doc


def _graphs(drawing, plan, folder: Path) -> list[Path]:
    try:
        return drawing.result()
    except Exception:  # noqa: BLE001 - a broken drawing process: draw them here
        try:
            return draw_graphs(plan, folder)
        except Exception:  # noqa: BLE001 - a graph is a picture, never the verdict
            return []


def _screenshots(doc: dict, folder: Path, dataset: str, pool) -> list[str]:
    try:
        return [str(p) for p in report.count_screenshots(doc, folder, dataset, pool)]
    except Exception:  # noqa: BLE001 - a picture, never the verdict
        return []


def _counted(found: dict, reader: Reader) -> tuple[dict, dict]:
    """Each rubric table's count. The formats reader already turns a file nothing reads into an
    "unreadable" count with its reason; anything else that breaks is counted table by table,
    so one table's garbage costs only that table its count."""
    try:
        return count.count_tables(found, reader), {}
    except Exception:  # noqa: BLE001 - garbage a job wrote: count table by table
        counts, why = {}, {}
        for name in TABLE_NAMES:
            alone = {name: found[name]} if name in found else {}
            try:
                counts[name] = count.count_tables(alone, reader)[name]
            except Exception as exc:  # noqa: BLE001
                counts[name] = count.TableCount(None)
                why[name] = f"its files cannot be read: {_one_line(exc)}"
        return counts, why


def _checked(found: dict, customers: list[Path], rows: bool, reader: Reader) -> dict:
    """The privacy checks; a check that cannot read its input fails, it never passes."""
    try:
        return privacy.check(found, [str(f) for f in customers], rows, reader)
    except Exception as exc:  # noqa: BLE001
        return {
            "status": report.FAILED,
            "error": f"the privacy checks could not read the outputs: {_one_line(exc)}",
            "non_consenting_rows": [],
            "readings_before_consent": {"rows": None},
            "cross_customer_pairs": {"rows": None},
            "identifier_columns": None,
        }


def _one_line(exc: BaseException) -> str:
    return messages.one_line(f"{type(exc).__name__}: {exc}")


def _report(project, data, dataset, lake, plan, runs, landing, customers, expected, catalog,
            skipped, rows, graphs):  # fmt: skip
    """The grade's report: what was found, counted and checked."""
    for run in runs:
        catalog += [{"table": t, "how": how, "for": run.script} for t, how in run.catalog]
    laid = {location: [str(f) for f in files] for location, files in landing.items()}
    found = count.identify(plan, runs, lake, laid)
    with Reader() as reader:  # decoded copies of what the jobs wrote, shared by both
        counts, unreadable = _counted(found, reader)
        checks = _checked(found, customers, rows, reader)
    doc = report.build(
        project=project,
        data=data,
        dataset=dataset,
        lake=lake,
        plan=plan,
        runs=runs,
        found=found,
        counts=counts,
        expected=expected["rubric"],
        strict=expected["strict"],
        catalog=catalog,
        skipped_ddl=skipped,
        privacy=checks,
        graphs=graphs,
        shots=[],
    )
    for name, why in unreadable.items():
        doc["tables"][name].update(status="unreadable", reason=why)
        doc["status"] = report.FAILED
        # Its rows were not checked for consent: the privacy check cannot pass on them.
        doc["privacy"]["status"] = report.FAILED
        unchecked = doc["privacy"].setdefault("unchecked", [])
        if name not in unchecked:
            unchecked.append(name)
    return doc


def error_report(project, message: str, folder: Path, exc: BaseException | None = None) -> dict:
    """report.json for a grade that could not finish: status "error" and one line saying why;
    an internal error's trace goes to logs/internal-error.log beside it."""
    doc = {"status": "error", "error": message, "project": str(project)}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if exc is not None:
            log = folder / "logs" / "internal-error.log"
            log.parent.mkdir(exist_ok=True)
            log.write_text("".join(traceback.format_exception(exc)))
            doc["trace"] = str(log)
        (folder / "report.json").write_text(json.dumps(doc, indent=2) + "\n")
    except OSError:  # an unwritable report folder: the one line on stderr must do
        pass
    return doc
