"""studio_jobs/<profile>/<job>.json <-> the Glue API's `Job`, driven by botocore's own model.

The file is the visual job with camelCase field names (`glueVersion`, `command.scriptLocation`);
the API wants PascalCase (`GlueVersion`, `Command.ScriptLocation`). Walking the Job shape
converts exactly the structure members and leaves map keys (`--TempDir`, node ids) alone;
`codeGenConfigurationNodes` is already in API shape in the file and passes through verbatim.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import botocore.session

from localglue.errors import LakehouseError
from stedi.pipeline import JOBS
from stedi.tables import STUDIO_JOBS

JOB_ORDER = JOBS  # dependency order: each job reads what the ones before it wrote
VERBATIM = {"CodeGenConfigurationNodes"}

# Fields of a job *definition* (what the file holds); the rest of GetJob is bookkeeping
# (CreatedOn, LastModifiedOn), derived (AllocatedCapacity, MaxCapacity) or account-specific (Role).
DEFINITION_FIELDS = (
    "Name",
    "Description",
    "GlueVersion",
    "JobMode",
    "JobRunQueuingEnabled",
    "Command",
    "DefaultArguments",
    "NonOverridableArguments",
    "Connections",
    "WorkerType",
    "NumberOfWorkers",
    "Timeout",
    "MaxRetries",
    "ExecutionProperty",
    "NotificationProperty",
    "SecurityConfiguration",
    "ExecutionClass",
    "MaintenanceWindow",
    "CodeGenConfigurationNodes",
)
# Values Glue reports when nobody set them: exported only if the committed file has them.
GLUE_DEFAULTS = {"ExecutionClass": "STANDARD", "JobRunQueuingEnabled": False, "Description": ""}
# Glue Studio's per-account assets bucket (--TempDir, --spark-event-logs-path defaults).
_ACCOUNT_ASSETS_RE = re.compile(r"aws-glue-assets-\d{12}-")


@functools.cache
def _job_shape():
    return botocore.session.get_session().get_service_model("glue").shape_for("Job")


def _pascal(key: str) -> str:
    return key[:1].upper() + key[1:]


def _camel(key: str) -> str:
    return key[:1].lower() + key[1:]


def _convert(value, shape, to_api: bool, where: str):
    """Rename structure members (camelCase <-> PascalCase) along the Glue model; keep map keys."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        out = {}
        for key, item in value.items():
            name = _pascal(key)
            if name not in shape.members:
                raise LakehouseError(
                    f"{where}: unknown field {key!r} (not in Glue's {shape.name}); "
                    f"known: {', '.join(_camel(m) for m in shape.members)}"
                )
            out_key = name if to_api else _camel(name)
            member = shape.members[name]
            out[out_key] = item if name in VERBATIM else _convert(item, member, to_api, where)
        return out
    if kind == "map" and isinstance(value, dict):
        return {k: _convert(v, shape.value, to_api, where) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_convert(v, shape.member, to_api, where) for v in value]
    return value


def file_to_api(doc: dict, where: str = "job file") -> dict:
    """{"name", "glueVersion", "command": {"scriptLocation"}, ...} -> {"Name", "GlueVersion", ...}."""
    return _convert(doc, _job_shape(), True, where)


def api_to_file(job: dict, template: dict | None = None) -> dict:
    """A GetJob `Job` -> the committed file's document (definition fields only, camelCase).

    With `template` (the committed file), its keys and key order win, so an unchanged job
    exports byte-for-byte; without it, Glue's model order is used.
    """
    shape = _job_shape()
    template_keys = {_pascal(k) for k in (template or {})}
    kept = {}
    for name in DEFINITION_FIELDS:
        value = job.get(name)
        if value is None or value == {} or value == []:
            continue
        if name in GLUE_DEFAULTS and value == GLUE_DEFAULTS[name] and name not in template_keys:
            continue
        if name in ("DefaultArguments", "NonOverridableArguments"):
            # s3://aws-glue-assets-<account>-<region>/... names an account: not for the repo.
            value = {k: v for k, v in value.items() if not _ACCOUNT_ASSETS_RE.search(str(v))}
        kept[name] = value
    doc = {}
    for name in shape.members:
        if name in kept:
            value = kept[name]
            doc[_camel(name)] = (
                value
                if name in VERBATIM
                else _convert(value, shape.members[name], False, "GetJob answer")
            )
    return _order_like(doc, template) if template else _canonical(doc)


def _order_like(value, template):
    """Keys in the template's order first, any new ones after (sorted): stable diffs."""
    if isinstance(value, dict) and isinstance(template, dict):
        keys = [k for k in template if k in value] + sorted(k for k in value if k not in template)
        return {k: _order_like(value[k], template.get(k)) for k in keys}
    if isinstance(value, list) and isinstance(template, list):
        return [
            _order_like(v, template[i] if i < len(template) else None) for i, v in enumerate(value)
        ]
    return value


# The committed files' top-level order; other fields follow in Glue's model order.
FILE_ORDER = (
    "name",
    "description",
    "glueVersion",
    "jobMode",
    "command",
    "defaultArguments",
    "workerType",
    "numberOfWorkers",
    "timeout",
    "maxRetries",
    "executionProperty",
    "codeGenConfigurationNodes",
)


def _model_order(value, shape):
    """Structure members in the Glue model's order (maps keep theirs): what Glue returns."""
    if shape.type_name == "structure" and isinstance(value, dict):
        members = list(shape.members)
        keys = [m for m in members if m in value] + [k for k in value if k not in shape.members]
        return {
            k: _model_order(value[k], shape.members[k]) if k in shape.members else value[k]
            for k in keys
        }
    if shape.type_name == "map" and isinstance(value, dict):
        return {k: _model_order(v, shape.value) for k, v in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [_model_order(v, shape.member) for v in value]
    return value


def _canonical(doc: dict) -> dict:
    """No committed file to follow: the files' field order, small structures' keys sorted,
    DAG nodes in the Glue model's member order, maps (arguments, node ids) as returned."""
    keys = [k for k in FILE_ORDER if k in doc] + [k for k in doc if k not in FILE_ORDER]
    out = {}
    for key in keys:
        value = doc[key]
        if key in ("command", "executionProperty", "notificationProperty") and isinstance(
            value, dict
        ):
            value = dict(sorted(value.items()))
        if key == "codeGenConfigurationNodes":
            value = _model_order(value, _job_shape().members["CodeGenConfigurationNodes"])
        out[key] = value
    return out


def dumps(doc: dict) -> str:
    """The committed files' text form: 2-space indent, UTF-8, trailing newline."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@dataclass
class JobSpec:
    name: str
    doc: dict
    script: str
    json_path: Path
    script_path: Path


def profile_dir(profile: str) -> Path:
    return STUDIO_JOBS / profile


def load_jobs(jobs_dir: Path, names: list[str] | None = None) -> list[JobSpec]:
    """The <job>.json + <job>.py pairs in a folder, in dependency order."""
    jobs_dir = Path(jobs_dir)
    found = sorted(p.stem for p in jobs_dir.glob("*.json"))
    if not found:
        raise LakehouseError(
            f"no job files (<job>.json + <job>.py) in {jobs_dir}: pass --profile rubric|strict "
            "or --jobs DIR"
        )
    wanted = names or found
    missing = [n for n in wanted if n not in found]
    if missing:
        raise LakehouseError(f"no {', '.join(missing)}.json in {jobs_dir}")
    specs = []
    for name in order_jobs(wanted):
        json_path, script_path = jobs_dir / f"{name}.json", jobs_dir / f"{name}.py"
        if not script_path.is_file():
            raise LakehouseError(f"{json_path} has no script beside it: add {script_path}")
        try:
            doc = json.loads(json_path.read_text())
        except json.JSONDecodeError as exc:
            raise LakehouseError(f"{json_path} is not valid JSON: {exc}") from exc
        if doc.get("name") != name:
            raise LakehouseError(
                f'{json_path}: "name" is {doc.get("name")!r}; it must equal the file name {name!r}'
            )
        specs.append(JobSpec(name, doc, script_path.read_text(), json_path, script_path))
    return specs


def order_jobs(names) -> list[str]:
    """Known jobs in dependency order, any others after them by name."""
    rank = {n: i for i, n in enumerate(JOB_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))
