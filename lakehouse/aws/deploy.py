"""`aws deploy`: scripts to s3://B/scripts/, and each visual job created or updated in Glue.

The job keeps its CodeGenConfigurationNodes and JobMode=VISUAL so it opens as a graph in Glue
Studio. UpdateJob replaces the whole definition (fields left out reset to their defaults), so
the update sends the complete JobUpdate built from the same file as the create.
"""

from __future__ import annotations

import re
from pathlib import Path

from lakehouse.aws import inventory
from lakehouse.aws.clients import Aws, error_code
from lakehouse.aws.jobfile import JobSpec, file_to_api, load_jobs
from lakehouse.aws.rewrite import bucket_of, rewrite_text, rewrite_value
from localglue.errors import LakehouseError

_ROLE_RE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")


def check_role(role: str) -> str:
    if not _ROLE_RE.match(role or ""):
        raise LakehouseError(
            f"--role {role!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>): "
            "`python -m lakehouse aws setup --create-role` prints one"
        )
    return role


def job_definition(spec: JobSpec, bucket: str, role: str) -> dict:
    """CreateJob parameters for one job file, pointed at `bucket`."""
    api = file_to_api(rewrite_value(spec.doc, bucket), where=str(spec.json_path))
    api["Role"] = role
    location = api.get("Command", {}).get("ScriptLocation", "")
    if bucket_of(location) != bucket:
        raise LakehouseError(
            f"{spec.json_path}: command.scriptLocation {location!r} is not in the lake bucket; "
            f"use s3://stedi-lake-house/scripts/{spec.name}.py"
        )
    return api


def script_key(definition: dict) -> str:
    return definition["Command"]["ScriptLocation"].split("/", 3)[3]


def job_exists(aws: Aws, name: str) -> bool:
    try:
        aws.client("glue").get_job(JobName=name)
        return True
    except Exception as exc:
        if error_code(exc) == "EntityNotFoundException":
            return False
        raise


def deploy(aws: Aws, jobs_dir: Path, bucket: str, role: str) -> dict[str, str]:
    """Upload every script and create or update every job; {job: "created"|"updated"}."""
    check_role(role)
    specs = load_jobs(jobs_dir)
    definitions = [(spec, job_definition(spec, bucket, role)) for spec in specs]
    s3, glue = aws.client("s3"), aws.client("glue")
    done = {}
    for spec, definition in definitions:
        script = rewrite_text(spec.script, bucket)
        s3.put_object(
            Bucket=bucket,
            Key=script_key(definition),
            Body=script.encode("utf-8"),
            ContentType="text/x-python",
        )
        if job_exists(aws, spec.name):
            update = {k: v for k, v in definition.items() if k != "Name"}
            glue.update_job(JobName=spec.name, JobUpdate=update)
            done[spec.name] = "updated"
        else:
            glue.create_job(**definition)
            done[spec.name] = "created"
    _record(aws, bucket, [d for _, d in definitions], done)
    return done


def written_prefixes(definition: dict, bucket: str) -> set[str]:
    """Key prefixes of `bucket` a job writes: its S3 targets, --TempDir, Spark event logs."""
    uris = {v for k, v in definition.get("DefaultArguments", {}).items() if k != "--JOB_NAME"}
    for node in definition.get("CodeGenConfigurationNodes", {}).values():
        for kind, body in node.items():
            if kind.startswith("S3") and kind.endswith("Target"):
                uris.add(body.get("Path", ""))
    return {
        uri.split("/", 3)[3] if uri.count("/") >= 3 else ""
        for uri in uris
        if isinstance(uri, str) and bucket_of(uri) == bucket and uri.endswith("/")
    } - {""}


def catalog_targets(definition: dict) -> set[tuple[str, str]]:
    """(database, table) the job creates in the catalog when it runs."""
    found = set()
    for node in definition.get("CodeGenConfigurationNodes", {}).values():
        for kind, body in node.items():
            policy = body.get("SchemaChangePolicy") or {}
            if kind.endswith("Target") and policy.get("EnableUpdateCatalog"):
                found.add((policy.get("Database"), policy.get("Table")))
    return {(d, t) for d, t in found if d and t}


def _record(aws: Aws, bucket: str, definitions: list[dict], done: dict[str, str]) -> None:
    """Add to the bucket's record what deploy made and what its jobs will write, so teardown
    removes exactly that; a catalog table that exists before the first run is someone else's."""
    glue = aws.client("glue")
    tables: dict[str, list[str]] = {}
    recorded = inventory.load(aws, bucket).tables
    for database, table in sorted({t for d in definitions for t in catalog_targets(d)}):
        if table in recorded.get(database, []) or not _table_exists(glue, database, table):
            tables.setdefault(database, []).append(table)
    inventory.record(
        aws,
        bucket,
        jobs=[name for name, verb in done.items() if verb == "created"],
        objects=[script_key(d) for d in definitions],
        prefixes=sorted({p for d in definitions for p in written_prefixes(d, bucket)})
        + [inventory.ATHENA_RESULTS],
        tables=tables,
    )


def _table_exists(glue, database: str, table: str) -> bool:
    try:
        glue.get_table(DatabaseName=database, Name=table)
        return True
    except Exception as exc:
        if error_code(exc) == "EntityNotFoundException":
            return False
        raise
