"""--dry-run: every API call is built, validated against botocore's model, printed, and not sent.

It hooks botocore's own events on a real client: `before-parameter-build` records the call as
the caller wrote it, `before-call` (after botocore has validated and serialised the request,
before signing, so no credentials are needed) answers it locally. Reads answer "absent", so a
dry run shows the calls a first setup or deploy would make.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field

from botocore.awsrequest import AWSResponse

# What a dry run assumes a read returns: Get/Head/Describe find nothing, List finds nothing.
NOT_FOUND_CODES = {
    "glue": "EntityNotFoundException",
    "iam": "NoSuchEntity",
    "s3": "404",
}
CANNED = {
    ("sts", "GetCallerIdentity"): {
        "Account": "ACCOUNT_ID",
        "Arn": "arn:aws:iam::ACCOUNT_ID:user/dry-run",
        "UserId": "DRYRUN",
    },
    ("glue", "StartJobRun"): {"JobRunId": "jr_dry_run"},
    ("iam", "CreateRole"): {
        "Role": {
            "Path": "/",
            "RoleName": "dry-run",
            "RoleId": "DRYRUNROLEID0000",
            "Arn": "arn:aws:iam::ACCOUNT_ID:role/dry-run",
            "CreateDate": "2024-01-01T00:00:00Z",
        }
    },
}


@dataclass
class Call:
    service: str
    operation: str
    params: dict

    def line(self) -> str:
        return f"{self.service} {self.operation} {json.dumps(_printable(self.params), default=str)}"


@dataclass
class DryRun:
    """Attach to clients with `attach(client)`; calls land in `.calls` and are printed."""

    echo: callable = print
    calls: list[Call] = field(default_factory=list)

    def attach(self, client) -> None:
        events = client.meta.events
        events.register("before-parameter-build", self._record)
        events.register("before-call", self._answer)

    def _record(self, params, model, context, **_):
        context["dry_run_params"] = dict(params)

    def _answer(self, model, context, **_):
        service = model.service_model.endpoint_prefix
        call = Call(service, model.name, context.get("dry_run_params", {}))
        self.calls.append(call)
        self.echo(f"[dry-run] {call.line()}")
        return _response(service, model.name)


def _response(service: str, operation: str):
    if (service, operation) in CANNED:
        return _http(200), json.loads(json.dumps(CANNED[(service, operation)]))
    if operation.startswith(("Get", "Head", "Describe")):
        code = NOT_FOUND_CODES.get(service, "ResourceNotFoundException")
        error = {"Code": code, "Message": "dry run: assumed absent"}
        return _http(404), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 404}}
    return _http(200), {"ResponseMetadata": {"HTTPStatusCode": 200}}


def _http(status: int) -> AWSResponse:
    return AWSResponse("https://dry-run.invalid/", status, {}, io.BytesIO(b""))


def _printable(value):
    """Bodies become their size: a dry run shows what would be sent, not the bytes."""
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    if hasattr(value, "read"):
        name = getattr(value, "name", None)
        return f"<{_size(value)} bytes" + (f" from {name}>" if name else ">")
    return value


def _size(stream) -> str:
    if hasattr(stream, "getbuffer"):
        return str(stream.getbuffer().nbytes)
    try:
        return str(os.fstat(stream.fileno()).st_size)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return "?"
