"""The Glue job role: trust and least-privilege policy from iam/*.json, rendered for one bucket.

The policy grants the jobs their bucket BY PREFIX: read the landing zone and scripts/ (so no
job can rewrite the raw data or any job's script), read and write the trusted and curated
zones and the temporary/ and sparkHistoryLogs/ prefixes Glue writes, list only those
prefixes; plus the `stedi` database's catalog entries, Data Quality publishing, metrics in
the Glue namespaces, and their own log groups. The trust policy lets Glue assume the role
only on behalf of the account (aws:SourceAccount, against confused deputies). Placeholders
{{bucket}}, {{region}}, {{account}}, {{database}} are filled in at setup; with an account
given, rendering needs neither credentials nor network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lakehouse.aws.clients import Aws, error_code
from localglue.errors import LakehouseError

IAM_DIR = Path(__file__).resolve().parents[2] / "iam"
TRUST_FILE = IAM_DIR / "glue-job-role-trust.json"
POLICY_FILE = IAM_DIR / "glue-job-policy.json"
ROLE_NAME = "stedi-glue-job-role"
POLICY_NAME = "stedi-glue-job-policy"
# Teardown deletes a role only when it carries this tag (i.e. setup created it).
CREATED_BY = {"Key": "created-by", "Value": "stedi-lakehouse-aws-setup"}


def render(path: Path, **values: str) -> dict:
    text = path.read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise LakehouseError(
            f"{path} has a placeholder left unfilled: {text[text.index('{{') :][:30]}"
        )
    return json.loads(text)


def account_id(aws: Aws) -> str:
    return aws.client("sts").get_caller_identity()["Account"]


def policy_documents(
    aws: Aws, bucket: str, database: str, account: str | None = None
) -> tuple[dict, dict]:
    """(trust, policy); asks STS for the account only when `account` is not given."""
    if account is not None and not re.fullmatch(r"\d{12}", account):
        raise LakehouseError(f"account {account!r} is not a 12-digit AWS account id")
    values = {
        "bucket": bucket,
        "database": database,
        "region": aws.region or "*",
        "account": account or account_id(aws),
    }
    return render(TRUST_FILE, **values), render(POLICY_FILE, **values)


def role_arn(aws: Aws, role_name: str = ROLE_NAME) -> str | None:
    try:
        return aws.client("iam").get_role(RoleName=role_name)["Role"]["Arn"]
    except Exception as exc:
        if error_code(exc) == "NoSuchEntity":
            return None
        raise


def create_role(aws: Aws, bucket: str, database: str, role_name: str = ROLE_NAME) -> str:
    """Create the role (tagged as ours) or refresh its inline policy; return its ARN."""
    iam = aws.client("iam")
    trust, policy = policy_documents(aws, bucket, database)
    arn = role_arn(aws, role_name)
    if arn is None:
        arn = iam.create_role(
            RoleName=role_name,
            AssumeRolePolicyDocument=json.dumps(trust),
            Description=f"Glue jobs of the STEDI lakehouse (bucket {bucket})",
            Tags=[CREATED_BY],
        )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName=role_name, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(policy)
    )
    return arn


def delete_role_if_ours(aws: Aws, role_name: str = ROLE_NAME) -> bool:
    iam = aws.client("iam")
    try:
        tags = iam.list_role_tags(RoleName=role_name).get("Tags", [])
    except Exception as exc:
        if error_code(exc) == "NoSuchEntity":
            return False
        raise
    if CREATED_BY not in tags and not aws.dry_run:
        aws.echo(f"role {role_name} was not created by setup: left in place")
        return False
    for name in iam.list_role_policies(RoleName=role_name).get("PolicyNames", []):
        iam.delete_role_policy(RoleName=role_name, PolicyName=name)
    iam.delete_role(RoleName=role_name)
    return True
