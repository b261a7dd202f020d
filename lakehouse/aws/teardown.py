"""`aws teardown`: delete what setup and deploy created, and nothing else.

What they created is read from the bucket's record (lakehouse/aws/inventory.py): the tables
setup made and the tables the deployed jobs create, the objects setup and deploy uploaded and
what the jobs and `aws run` wrote under their prefixes, then the database and the bucket if
setup made them and they are empty. Jobs are deleted when recorded or when their script lives
in this bucket (deploy's mark); the role only when it carries the tag setup put on it.
Whatever is left (another user's object or table, a database or bucket that existed before
setup) is named in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lakehouse.aws import iam, inventory
from lakehouse.aws.clients import Aws, error_code
from lakehouse.aws.inventory import Inventory
from lakehouse.aws.rewrite import bucket_of

SHOWN = 3  # how many left-behind names a report line shows


@dataclass
class TeardownReport:
    jobs: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    database: bool = False
    objects: int = 0
    bucket: bool = False
    role: bool = False
    left: list[str] = field(default_factory=list)  # one line per thing kept, and why


def _ours(aws: Aws, name: str, bucket: str) -> bool:
    try:
        job = aws.client("glue").get_job(JobName=name)["Job"]
    except Exception as exc:
        if error_code(exc) == "EntityNotFoundException":
            return bool(aws.dry_run)  # a dry run shows the delete it would make
        raise
    return bucket_of(job.get("Command", {}).get("ScriptLocation", "")) == bucket


def delete_jobs(aws: Aws, names: list[str], bucket: str, recorded: Inventory) -> list[str]:
    """The recorded jobs and those of `names`, when their script is in this bucket (deploy's
    mark: a job of the same name that runs another bucket's script is someone else's)."""
    deleted = []
    for name in dict.fromkeys([*names, *recorded.jobs]):
        if _ours(aws, name, bucket):
            aws.client("glue").delete_job(JobName=name)
            deleted.append(name)
    return deleted


def _shown(names: list[str]) -> str:
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return ", ".join(names[:SHOWN]) + more


def delete_tables(aws: Aws, recorded: Inventory, report: TeardownReport) -> None:
    glue = aws.client("glue")
    for database, names in recorded.tables.items():
        for name in names:
            try:
                glue.delete_table(DatabaseName=database, Name=name)
                report.tables.append(name)
            except Exception as exc:
                if error_code(exc) != "EntityNotFoundException":
                    raise
    for database in recorded.databases:
        try:
            pages = glue.get_paginator("get_tables").paginate(DatabaseName=database)
            others = [t["Name"] for page in pages for t in page.get("TableList", [])]
        except Exception as exc:
            if error_code(exc) != "EntityNotFoundException":
                raise
            continue
        if others:
            report.left.append(
                f"Glue database {database}: kept, it holds table(s) setup did not create "
                f"({_shown(others)})"
            )
            continue
        try:
            glue.delete_database(Name=database)
            report.database = True
        except Exception as exc:
            if error_code(exc) != "EntityNotFoundException":
                raise


def delete_objects(aws: Aws, bucket: str, recorded: Inventory, report: TeardownReport) -> None:
    s3 = aws.client("s3")
    others = []
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys = [o["Key"] for o in page.get("Contents", [])]
            ours = [{"Key": k} for k in keys if recorded.owns_object(k) and k != inventory.KEY]
            others += [k for k in keys if not recorded.owns_object(k)]
            if ours:  # at most 1000 per page, the DeleteObjects limit
                s3.delete_objects(Bucket=bucket, Delete={"Objects": ours, "Quiet": True})
                report.objects += len(ours)
        if others or not recorded.bucket:
            if others:
                report.left.append(
                    f"{len(others)} object(s) setup and deploy did not create ({_shown(others)})"
                )
            kept = "it existed before setup" if not recorded.bucket else "it is not empty"
            report.left.append(f"bucket s3://{bucket}: kept, {kept}")
            s3.delete_object(Bucket=bucket, Key=inventory.KEY)  # nothing of ours is left
            return
        s3.delete_object(Bucket=bucket, Key=inventory.KEY)
        s3.delete_bucket(Bucket=bucket)
        report.bucket = True
    except Exception as exc:
        if error_code(exc) != "NoSuchBucket":
            raise


def dry_run_inventory(database: str, tables: list[str]) -> Inventory:
    """A dry run reads nothing: show the calls for what a full setup and deploy record."""
    return Inventory(bucket=True, databases=[database], tables={database: tables})


def teardown(
    aws: Aws,
    bucket: str,
    job_names: list[str],
    database: str = "stedi",
    role_name: str = iam.ROLE_NAME,
    dry_run_tables: list[str] | None = None,
) -> TeardownReport:
    report = TeardownReport()
    recorded = inventory.load(aws, bucket)
    if aws.dry_run:
        recorded = dry_run_inventory(database, dry_run_tables or [])
    elif recorded.empty():
        report.left.append(
            f"no record of what setup created in s3://{bucket}/{inventory.KEY}: "
            "the bucket, its objects, the database and its tables are kept"
        )
    report.jobs = delete_jobs(aws, job_names, bucket, recorded)
    delete_tables(aws, recorded, report)
    if not recorded.empty():
        delete_objects(aws, bucket, recorded, report)
    deleted = iam.delete_role_if_ours(aws, role_name)
    report.role = bool(deleted)
    if deleted is False:
        report.left.append(f"role {role_name}: kept, setup did not create it")
    return report
