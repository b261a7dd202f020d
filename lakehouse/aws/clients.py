"""One boto3 session per command: region, endpoint and dry run in one place, and error translation.

Credentials come from boto3's standard chain only (env, AWS_PROFILE, shared files, SSO,
instance role); they are never read or printed here. The endpoint is --endpoint-url, else
whatever boto3 resolves itself (it honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>).
"""

from __future__ import annotations

import contextlib
import functools

import boto3
import botocore.exceptions as bexc
from botocore.config import Config

from lakehouse.aws.dryrun import DryRun
from localglue.errors import LakehouseError

CREDENTIALS_HINT = (
    "no AWS credentials found: configure credentials with `aws configure`, "
    "`aws sso login` + AWS_PROFILE=NAME, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
)
POLICY_FILE = "iam/glue-job-policy.json"


class Aws:
    """Clients for one command run. With dry_run, every call is printed and none is sent."""

    def __init__(self, region=None, endpoint_url=None, dry_run=False, echo=print):
        self.endpoint_url = endpoint_url
        self.dry_run = DryRun(echo=echo) if dry_run else None
        self.echo = echo
        try:
            self.session = boto3.Session(region_name=region)
        except bexc.ProfileNotFound as exc:
            raise LakehouseError(
                f"AWS profile {exc.kwargs.get('profile')!r} is not configured: "
                "run `aws configure --profile NAME` or unset AWS_PROFILE"
            ) from exc
        self.region = self.session.region_name
        self._clients: dict[str, object] = {}
        self.bucket: str | None = None  # named in error messages when known

    def client(self, service: str):
        if service not in self._clients:
            if service != "s3" and not self.region:
                raise LakehouseError(
                    "no AWS region set: pass --region (e.g. us-east-1) or set AWS_DEFAULT_REGION"
                )
            config = Config(retries={"mode": "standard", "max_attempts": 3})
            client = self.session.client(
                service, endpoint_url=self.endpoint_url, config=config, region_name=self.region
            )
            if self.dry_run:
                self.dry_run.attach(client)
            self._clients[service] = client
        return self._clients[service]

    @property
    def calls(self):
        return self.dry_run.calls if self.dry_run else []

    def where(self) -> str:
        return f"region {self.region or '(none)'}" + (
            f" at {self.endpoint_url}" if self.endpoint_url else ""
        )


@functools.cache
def _service_of(operation: str) -> str:
    session = boto3.Session()
    for service in ("glue", "s3", "iam", "sts", "athena"):
        if operation in session._session.get_service_model(service).operation_names:
            return service
    return "aws"


def translate(exc: Exception, aws: Aws | None = None) -> LakehouseError:
    """The one line a user needs: what went wrong and what to do about it."""
    where = aws.where() if aws else "this region"
    bucket = (aws.bucket if aws else None) or "BUCKET"
    if isinstance(exc, bexc.NoCredentialsError | bexc.PartialCredentialsError):
        return LakehouseError(CREDENTIALS_HINT)
    if isinstance(exc, bexc.NoRegionError):
        return LakehouseError(
            "no AWS region set: pass --region (e.g. us-east-1) or set AWS_DEFAULT_REGION"
        )
    if isinstance(exc, bexc.EndpointConnectionError | bexc.ConnectTimeoutError):
        return LakehouseError(
            f"cannot reach AWS in {where} ({exc.kwargs.get('endpoint_url', '')}): "
            "check --region / AWS_DEFAULT_REGION and --endpoint-url, and your network"
        )
    if isinstance(exc, bexc.TokenRetrievalError | bexc.SSOTokenLoadError):
        return LakehouseError("your AWS SSO session has expired: run `aws sso login`")
    if not isinstance(exc, bexc.ClientError):
        return LakehouseError(f"AWS call failed: {exc}")

    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    message = error.get("Message", "") or ""
    op = exc.operation_name
    service = _service_of(op)
    if code in ("NoSuchBucket",):
        return LakehouseError(
            f"bucket {bucket} does not exist in {where}: "
            f"run `python -m lakehouse aws setup --bucket {bucket}` first"
        )
    if code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "403"):
        return LakehouseError(
            f"access denied for {service}:{op} in {where}: grant your identity that action "
            f"(the Glue jobs' own permissions are in {POLICY_FILE})"
        )
    if code in (
        "InvalidAccessKeyId",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
    ):
        return LakehouseError(
            "AWS rejected your credentials: check them with `aws sts get-caller-identity`"
        )
    if code in ("ExpiredToken", "ExpiredTokenException", "RequestExpired"):
        return LakehouseError(
            "your AWS session token has expired: refresh it (`aws sso login` or new keys)"
        )
    if code in ("PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraint"):
        return LakehouseError(
            f"bucket {bucket} is in another region than {aws.region if aws else '?'}: "
            "pass the bucket's region with --region"
        )
    if code == "EntityNotFoundException":
        return LakehouseError(
            f"{message or 'Glue entity not found'} in {where} ({op}): "
            "run `python -m lakehouse aws setup` / `aws deploy` first, or pass the --region "
            "you deployed to"
        )
    if code == "ConcurrentRunsExceededException":
        return LakehouseError(f"{message}: wait for the running job to finish, then run again")
    return LakehouseError(f"{service}:{op} failed in {where}: {code}: {message}")


@contextlib.contextmanager
def aws_errors(aws: Aws | None = None):
    """Turn any botocore failure inside the block into one LakehouseError line."""
    try:
        yield
    except (bexc.BotoCoreError, bexc.ClientError) as exc:
        raise translate(exc, aws) from exc


def error_code(exc: Exception) -> str:
    if isinstance(exc, bexc.ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""
