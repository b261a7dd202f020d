"""The Glue job role: trust and least-privilege policy from iam/*.json, filled for one bucket.

The policy grants the jobs their bucket BY PREFIX: read the landing zone and scripts/ (so no
job can rewrite the raw data or any job's script), read and write the trusted and curated
zones and the temporary/ and sparkHistoryLogs/ prefixes Glue writes, list only those
prefixes; plus the `stedi` database's catalog entries, Data Quality publishing, metrics in
the Glue namespaces, and their own log groups. The trust policy lets Glue assume the role
only on behalf of the account (aws:SourceAccount, against confused deputies).

The files are parsed as JSON first; placeholders {{bucket}}, {{region}}, {{account}},
{{database}} are then filled inside string values only, each value checked before it is
used (a bucket name, a catalog name, a region, a 12-digit account): no value can add JSON
structure or a wildcard (`--database '*'` would grant every table). With an account given,
rendering needs neither credentials nor network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lakehouse.aws.clients import Aws, error_code
from lakehouse.aws.rewrite import check_bucket
from localglue.errors import LakehouseError
from localglue.lake import check_catalog_name
from stedi.resources import data_dir

IAM_DIR = data_dir("iam")
TRUST_FILE = IAM_DIR / "glue-job-role-trust.json"
POLICY_FILE = IAM_DIR / "glue-job-policy.json"
ROLE_NAME = "stedi-glue-job-role"
POLICY_NAME = "stedi-glue-job-policy"
# Setup tags the role it creates; only a role with this tag is updated or deleted.
CREATED_BY = {"Key": "created-by", "Value": "stedi-lakehouse-aws-setup"}
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


def _account(value: str) -> str:
    if not re.fullmatch(r"\d{12}", value or ""):
        raise LakehouseError(f"account {value!r} is not a 12-digit AWS account id")
    return value


def _region(value: str) -> str:
    if not REGION.fullmatch(value or ""):
        raise LakehouseError(f"region {value!r} is not an AWS region name (e.g. us-east-1)")
    return value


# What each placeholder may hold: every value is checked before it enters a policy.
CHECKS = {
    "bucket": check_bucket,
    "database": lambda value: check_catalog_name("database", value),
    # '*' only as policy_documents puts it: no region configured, the policy spans them all.
    "region": lambda value: value if value == "*" else _region(value),
    "account": _account,
}


def _fill(value, values: dict[str, str], path: Path):
    """A copy of a JSON value with the placeholders of its strings filled (keys left alone)."""
    if isinstance(value, dict):
        return {k: _fill(v, values, path) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values, path) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        if match.group(1) not in values:
            raise LakehouseError(f"{path} has a placeholder left unfilled: {match.group(0)}")
        return values[match.group(1)]

    return PLACEHOLDER.sub(one, value)


def render(path: Path, **values: str) -> dict:
    """The policy document of `path` with each (checked) value in its placeholders."""
    unknown = set(values) - set(CHECKS)
    if unknown:
        raise LakehouseError(f"no such policy placeholder: {', '.join(sorted(unknown))}")
    checked = {key: CHECKS[key](value) for key, value in values.items()}
    try:
        template = json.loads(Path(path).read_text())
    except json.JSONDecodeError as exc:
        raise LakehouseError(f"{path} is not valid JSON: {exc}") from exc
    return _fill(template, checked, Path(path))


def account_id(aws: Aws) -> str:
    return aws.client("sts").get_caller_identity()["Account"]


def policy_documents(
    aws: Aws, bucket: str, database: str, account: str | None = None
) -> tuple[dict, dict]:
    """(trust, policy); asks STS for the account only when `account` is not given."""
    names = {"bucket": bucket, "database": database, "region": aws.region}
    for key, value in names.items():  # refused before any call to AWS
        if value is not None:
            (_region if key == "region" else CHECKS[key])(value)
    values = {**names, "account": _account(account) if account else account_id(aws)}
    values["region"] = aws.region or "*"
    return render(TRUST_FILE, **values), render(POLICY_FILE, **values)


def role_arn(aws: Aws, role_name: str = ROLE_NAME) -> str | None:
    try:
        return aws.client("iam").get_role(RoleName=role_name)["Role"]["Arn"]
    except Exception as exc:
        if error_code(exc) == "NoSuchEntity":
            return None
        raise


def create_role(aws: Aws, bucket: str, database: str, role_name: str = ROLE_NAME) -> str:
    """Create the role (tagged as setup's) or refresh the inline policy of the role setup
    created before; a role of that name that setup did not create is refused, untouched."""
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
    elif not created_by_setup(aws, role_name):
        raise LakehouseError(
            f"role {role_name} exists and setup did not create it (no tag "
            f"{CREATED_BY['Key']}={CREATED_BY['Value']}): its policy is left as it is; "
            "run setup without --create-role and pass your role's ARN to `aws deploy --role`"
        )
    iam.put_role_policy(
        RoleName=role_name, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(policy)
    )
    return arn


def created_by_setup(aws: Aws, role_name: str = ROLE_NAME) -> bool | None:
    """Whether the role carries setup's tag; None when there is no such role."""
    try:
        tags = aws.client("iam").list_role_tags(RoleName=role_name).get("Tags", [])
    except Exception as exc:
        if error_code(exc) == "NoSuchEntity":
            return None
        raise
    return CREATED_BY in tags or bool(aws.dry_run)


def delete_role_if_ours(aws: Aws, role_name: str = ROLE_NAME) -> bool | None:
    """Delete the role if setup created it: True; False if it is someone else's (kept);
    None if there is no such role."""
    ours = created_by_setup(aws, role_name)
    if not ours:
        return ours
    iam = aws.client("iam")
    for name in iam.list_role_policies(RoleName=role_name).get("PolicyNames", []):
        iam.delete_role_policy(RoleName=role_name, PolicyName=name)
    iam.delete_role(RoleName=role_name)
    return True
