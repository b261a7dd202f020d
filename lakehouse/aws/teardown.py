"""`aws teardown`: delete what setup and deploy created, and nothing else.

Jobs are deleted only when their script lives in the bucket being torn down, the database
with its tables, every object and then the bucket, and the role only when it carries the
tag setup put on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lakehouse.aws import iam
from lakehouse.aws.clients import Aws, error_code
from lakehouse.aws.rewrite import bucket_of


@dataclass
class TeardownReport:
    jobs: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    database: bool = False
    objects: int = 0
    bucket: bool = False
    role: bool = False


def _ours(aws: Aws, name: str, bucket: str) -> bool:
    try:
        job = aws.client("glue").get_job(JobName=name)["Job"]
    except Exception as exc:
        if error_code(exc) == "EntityNotFoundException":
            return bool(aws.dry_run)  # a dry run shows the delete it would make
        raise
    return bucket_of(job.get("Command", {}).get("ScriptLocation", "")) == bucket


def delete_jobs(aws: Aws, names: list[str], bucket: str) -> list[str]:
    deleted = []
    for name in names:
        if _ours(aws, name, bucket):
            aws.client("glue").delete_job(JobName=name)
            deleted.append(name)
    return deleted


def delete_database(aws: Aws, database: str, report: TeardownReport) -> None:
    glue = aws.client("glue")
    try:
        for page in glue.get_paginator("get_tables").paginate(DatabaseName=database):
            for table in page.get("TableList", []):
                glue.delete_table(DatabaseName=database, Name=table["Name"])
                report.tables.append(table["Name"])
    except Exception as exc:
        if error_code(exc) != "EntityNotFoundException":
            raise
    try:
        glue.delete_database(Name=database)
        report.database = True
    except Exception as exc:
        if error_code(exc) != "EntityNotFoundException":
            raise


def empty_and_delete_bucket(aws: Aws, bucket: str, report: TeardownReport) -> None:
    s3 = aws.client("s3")
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if keys:  # at most 1000 per page, the DeleteObjects limit
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
                report.objects += len(keys)
        s3.delete_bucket(Bucket=bucket)
        report.bucket = True
    except Exception as exc:
        if error_code(exc) != "NoSuchBucket":
            raise


def teardown(
    aws: Aws,
    bucket: str,
    job_names: list[str],
    database: str = "stedi",
    role_name: str = iam.ROLE_NAME,
) -> TeardownReport:
    report = TeardownReport()
    report.jobs = delete_jobs(aws, job_names, bucket)
    delete_database(aws, database, report)
    empty_and_delete_bucket(aws, bucket, report)
    report.role = iam.delete_role_if_ours(aws, role_name)
    return report
