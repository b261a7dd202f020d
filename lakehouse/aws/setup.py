"""`aws setup`: a private, encrypted bucket with the landing data, and the catalog the jobs read.

The landing objects are the bytes `ingest` lands locally (one acceptance, stedi.landing):
accepted lines, normalised, duplicate customers resolved; rejected lines are counted in the
report, not uploaded.

The landing tables come from the same DDL the local catalog uses (sql/*.sql through
crawler.table_input_from_ddl), with only the bucket in Location rewritten, so local and cloud
tables cannot drift apart.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lakehouse.aws import iam, inventory
from lakehouse.aws.clients import Aws, error_code
from lakehouse.aws.rewrite import rewrite_value
from localglue.errors import LakehouseError
from stedi.tables import SQL_DIR

LANDING_DIRS = ("customer/landing", "accelerometer/landing", "step_trainer/landing")
PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
SSE_S3 = {
    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}],
}


@dataclass
class SetupReport:
    bucket_created: bool = False
    uploaded: list[str] = field(default_factory=list)
    quarantined: dict[str, dict[str, int]] = field(default_factory=dict)  # source -> reason: n
    tables: dict[str, str] = field(default_factory=dict)  # name -> created|updated
    role_arn: str | None = None
    dataset: dict = field(default_factory=dict)


def ensure_bucket(aws: Aws, bucket: str) -> bool:
    """Create the bucket if missing; always make it private and encrypted. True if created."""
    s3 = aws.client("s3")
    created = False
    try:
        s3.head_bucket(Bucket=bucket)
    except Exception as exc:
        code = error_code(exc)
        if code == "403":
            raise LakehouseError(
                f"bucket {bucket} exists but is not yours (or you lack s3:ListBucket on it): "
                "choose another --bucket name"
            ) from exc
        if code not in ("404", "NoSuchBucket"):
            raise
        params = {"Bucket": bucket}
        if aws.region and aws.region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": aws.region}
        s3.create_bucket(**params)
        created = True
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=PUBLIC_ACCESS_BLOCK)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=SSE_S3)
    return created


def landing_objects(root: Path) -> tuple[dict[str, bytes], dict[str, dict[str, int]]]:
    """({key: bytes} of the landing zone, {source: {reason kind: quarantined lines}}).

    The bytes are the ones `ingest` writes into the local lake (stedi.landing.accepted_files:
    each delivered file's accepted lines under its own name), so jobs on AWS read exactly what
    they read locally; the rejected lines are only counted here (`ingest` keeps them in the
    lake's quarantine).
    """
    from stedi import landing, ledger

    root = Path(root)
    missing = [d for d in LANDING_DIRS if not (root / d).is_dir()]
    if missing:
        raise LakehouseError(
            f"{root} has no {', '.join(missing)}/: pass --landing the folder that holds "
            "customer/landing, accelerometer/landing and step_trainer/landing "
            "(e.g. ../shared/data/stedi-udacity)"
        )
    objects, quarantined = {}, {}
    for folder in LANDING_DIRS:
        source = folder.split("/", 1)[0]
        scan = landing.scan_source(root / folder, source)
        for name, data in landing.accepted_files(scan).items():
            objects[f"{folder}/{name}"] = data
        reasons = ledger.record_reasons(scan)
        if reasons:
            quarantined[source] = reasons
    return objects, quarantined


def upload_landing(aws: Aws, bucket: str, objects: dict[str, bytes]) -> list[str]:
    """Upload the files, then delete landing objects they do not include: the bucket's landing
    zone holds one dataset, never a mix of two setups (the expected counts would be wrong)."""
    s3 = aws.client("s3")
    keys = []
    for key, data in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=data)
        keys.append(key)
    uploaded = set(keys)
    stale = []
    for prefix in LANDING_DIRS:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/")
        stale += [o["Key"] for page in pages for o in page.get("Contents", [])]
    stale = [k for k in stale if k not in uploaded]
    for start in range(0, len(stale), 1000):  # DeleteObjects takes at most 1000 keys
        batch = [{"Key": k} for k in stale[start : start + 1000]]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
    return keys


DATASET_KEY = "_dataset.json"


def dataset_info(root: Path) -> dict:
    """The dataset's identity, as `ingest` records it locally (name, expected counts)."""
    from stedi.ingest import dataset_identity

    return dataset_identity(Path(root))


@contextlib.contextmanager
def generated_landing():
    """No --landing: generate the default sample into a temp dir."""
    from stedi.generator import generate

    with tempfile.TemporaryDirectory(prefix="stedi-aws-landing-") as tmp:
        out = Path(tmp) / "landing"
        generate(out)
        yield out


def landing_table_inputs(sql_dir: Path, bucket: str, database: str) -> list[dict]:
    """TableInputs of the *_landing tables from sql/*.sql, Location pointed at `bucket`."""
    from localglue.crawler import table_input_from_ddl

    inputs = []
    for path in sorted(Path(sql_dir).glob("*.sql")):
        # The DDL names its database; --database decides where the table goes.
        _ddl_database, table_input = table_input_from_ddl(path.read_text())
        if not table_input["Name"].endswith("_landing"):
            continue
        inputs.append(rewrite_value(table_input, bucket))
    if not inputs:
        raise LakehouseError(
            f"no landing table DDL (CREATE EXTERNAL TABLE ..._landing) in {sql_dir}/*.sql"
        )
    return inputs


def ensure_database(aws: Aws, database: str) -> bool:
    """Create the Glue database if missing; True if this call created it."""
    try:
        aws.client("glue").create_database(
            DatabaseInput={"Name": database, "Description": "STEDI lakehouse (python -m lakehouse)"}
        )
    except Exception as exc:
        if error_code(exc) != "AlreadyExistsException":
            raise
        return False
    return True


def ensure_catalog(aws: Aws, database: str, table_inputs: list[dict]) -> dict[str, str]:
    """Create or update the landing tables: {name: "created"|"updated"}."""
    glue = aws.client("glue")
    done = {}
    for table_input in table_inputs:
        try:
            glue.create_table(DatabaseName=database, TableInput=table_input)
            done[table_input["Name"]] = "created"
        except Exception as exc:
            if error_code(exc) != "AlreadyExistsException":
                raise
            glue.update_table(DatabaseName=database, TableInput=table_input)
            done[table_input["Name"]] = "updated"
    return done


def setup(
    aws: Aws,
    bucket: str,
    landing: Path | None = None,
    database: str = "stedi",
    create_role: bool = False,
    sql_dir: Path = SQL_DIR,
) -> SetupReport:
    report = SetupReport()
    # Everything local is checked before the first call to AWS.
    table_inputs = landing_table_inputs(sql_dir, bucket, database)
    source = contextlib.nullcontext(Path(landing)) if landing else generated_landing()
    with source as root:
        objects, report.quarantined = landing_objects(root)
        report.bucket_created = ensure_bucket(aws, bucket)
        report.uploaded = upload_landing(aws, bucket, objects)
        report.dataset = dataset_info(root)
        aws.client("s3").put_object(
            Bucket=bucket,
            Key=DATASET_KEY,
            Body=(json.dumps(report.dataset, indent=2) + "\n").encode(),
            ContentType="application/json",
        )
    database_created = ensure_database(aws, database)
    report.tables = ensure_catalog(aws, database, table_inputs)
    # What teardown may delete later: only what this setup (or an earlier one) made.
    inventory.record(
        aws,
        bucket,
        bucket_created=report.bucket_created,
        databases=[database] if database_created else [],
        tables={database: [name for name, verb in report.tables.items() if verb == "created"]},
        objects=[*report.uploaded, DATASET_KEY],
    )
    if create_role:
        report.role_arn = iam.create_role(aws, bucket, database)
    return report
