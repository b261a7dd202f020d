"""The AWS path's logic without a server: bucket rewriting, job file <-> Glue API, the IAM
policy's scope, run polling and failure (botocore Stubber), dry run, and error lines.

moto cannot make a Glue job run fail (its runs only ever reach SUCCEEDED, and no job or SQL
is executed), so the FAILED/TIMEOUT/ERROR/STOPPED paths of `aws run` are pinned here with
botocore's Stubber feeding GetJobRun answers shaped like Glue's.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import io
import json
from pathlib import Path

import botocore.exceptions as bexc
import botocore.session
import pytest
from botocore.stub import Stubber
from botocore.validate import validate_parameters
from rich.console import Console

from lakehouse.aws import iam
from lakehouse.aws.clients import Aws, translate
from lakehouse.aws.deploy import job_definition
from lakehouse.aws.jobfile import api_to_file, dumps, file_to_api, load_jobs
from lakehouse.aws.rewrite import check_bucket, rewrite_text, rewrite_value
from lakehouse.aws.runs import FAILED_STATES, Backoff, run_jobs
from lakehouse.cli import main
from localglue.errors import JobFailed, LakehouseError
from stedi.tables import DEFAULT_BUCKET

pytestmark = pytest.mark.aws

REPO = Path(__file__).resolve().parents[1]
SAMPLE_JOBS = REPO / "tests" / "fixtures" / "aws_jobs" / "sample"
JOB_FILES = [
    pytest.param(p, id=f"{p.parent.name}/{p.stem}")
    for p in [*sorted(SAMPLE_JOBS.glob("*.json")), *sorted(REPO.glob("studio_jobs/*/*.json"))]
]
ROLE = "arn:aws:iam::123456789012:role/stedi-glue-job-role"
GLUE_MODEL = botocore.session.get_session().get_service_model("glue")


@pytest.fixture(autouse=True)
def offline_env(monkeypatch):
    """Fake credentials and region; no developer profile or endpoint leaks in."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_CONFIG_FILE": "/nonexistent",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key, raising=False)


# -- bucket rewriting --------------------------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        ("s3://stedi-lake-house/customer/landing/", "s3://my-lake/customer/landing/"),
        ("s3://stedi-lake-house", "s3://my-lake"),
        ("s3a://stedi-lake-house/x", "s3a://my-lake/x"),
        (
            'glueContext.purge_s3_path("s3://stedi-lake-house/customer/trusted/", {})',
            'glueContext.purge_s3_path("s3://my-lake/customer/trusted/", {})',
        ),
        ("s3://stedi-lake-house-old/x", "s3://stedi-lake-house-old/x"),  # another bucket
        ("stedi-lake-house", "stedi-lake-house"),  # a bare word is not a URI
        ("s3://other/stedi-lake-house/", "s3://other/stedi-lake-house/"),  # a key, not a bucket
    ],
)
def test_rewrite_changes_only_the_bucket_of_s3_uris(before, after):
    assert rewrite_text(before, "my-lake") == after


@pytest.mark.parametrize("json_path", JOB_FILES)
def test_rewrite_round_trips_every_committed_dag_and_script(json_path):
    doc = json.loads(json_path.read_text())
    script = json_path.with_suffix(".py").read_text()
    there_doc, there_script = rewrite_value(doc, "my-lake"), rewrite_text(script, "my-lake")
    assert "s3://stedi-lake-house" not in json.dumps(there_doc) + there_script
    assert rewrite_value(there_doc, DEFAULT_BUCKET, old="my-lake") == doc
    assert rewrite_text(there_script, DEFAULT_BUCKET, old="my-lake") == script


@pytest.mark.parametrize("name", ["My_Bucket", "ab", "-lake", "lake..house", "a" * 64])
def test_invalid_bucket_names_are_refused_with_the_rule(name):
    with pytest.raises(LakehouseError, match="3-63 lowercase"):
        check_bucket(name)


# -- job files <-> Glue API ----------------------------------------------------------------


@pytest.mark.parametrize("json_path", JOB_FILES)
def test_every_job_file_is_a_valid_glue_create_job_request(json_path):
    """botocore's own validator, with Glue's service model: what real CreateJob would accept."""
    spec = next(s for s in load_jobs(json_path.parent) if s.json_path == json_path)
    params = job_definition(spec, "my-lake", ROLE)
    validate_parameters(params, GLUE_MODEL.operation_model("CreateJob").input_shape)
    update = {k: v for k, v in params.items() if k != "Name"}
    validate_parameters(
        {"JobName": spec.name, "JobUpdate": update},
        GLUE_MODEL.operation_model("UpdateJob").input_shape,
    )
    assert params["JobMode"] == "VISUAL"
    assert params["CodeGenConfigurationNodes"] == rewrite_value(
        spec.doc["codeGenConfigurationNodes"], "my-lake"
    )


def _as_get_job(doc: dict) -> dict:
    """What GetJob adds around a definition: bookkeeping, derived and account-specific fields."""
    job = file_to_api(doc)
    args = doc["defaultArguments"]
    unset = next(k for k in ("--spark-event-logs-path", "--extra-jars") if k not in args)
    job["DefaultArguments"] = {
        **job["DefaultArguments"],
        unset: "s3://aws-glue-assets-123456789012-us-east-1/sparkHistoryLogs/",
    }
    return {
        **job,
        "Role": ROLE,
        "CreatedOn": dt.datetime(2024, 7, 1),
        "LastModifiedOn": dt.datetime(2024, 7, 2),
        "AllocatedCapacity": 2,
        "MaxCapacity": 2.0,
        "ExecutionClass": "STANDARD",
        "ProfileName": None,
    }


@pytest.mark.parametrize("json_path", JOB_FILES)
@pytest.mark.parametrize("with_template", [True, False], ids=["over-committed", "fresh"])
def test_get_job_answer_becomes_the_committed_file_again(json_path, with_template):
    doc = json.loads(json_path.read_text())
    exported = api_to_file(_as_get_job(doc), doc if with_template else None)
    assert dumps(exported) == json_path.read_text()


def test_unknown_field_in_a_job_file_names_it():
    with pytest.raises(LakehouseError, match="workerTypo"):
        file_to_api({"name": "x", "workerTypo": "G.1X"}, where="x.json")


def test_job_file_whose_name_differs_from_its_file_is_refused(tmp_path):
    doc = json.loads((SAMPLE_JOBS / "customer_landing_to_trusted.json").read_text())
    (tmp_path / "other.json").write_text(json.dumps(doc))
    (tmp_path / "other.py").write_text("")
    with pytest.raises(LakehouseError, match="must equal the file name"):
        load_jobs(tmp_path)


def test_jobs_load_in_dependency_order():
    names = [s.name for s in load_jobs(SAMPLE_JOBS)]
    assert names == ["customer_landing_to_trusted", "customer_trusted_to_curated"]


# -- IAM ---------------------------------------------------------------------------------


def _statements(policy: dict):
    for st in policy["Statement"]:
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
        yield st, actions, resources


def _rendered(database: str = "stedi"):
    values = dict(bucket="my-lake", database=database, region="us-east-1", account="123456789012")
    return iam.render(iam.TRUST_FILE, **values), iam.render(iam.POLICY_FILE, **values)


S3 = "arn:aws:s3:::my-lake"
GLUE = "arn:aws:glue:us-east-1:123456789012"


def _committed_job_prefixes() -> tuple[set[str], set[str]]:
    """(key prefixes the committed jobs only read, prefixes they write), from the job files
    alone: S3 sources, the catalog sources' table locations (stedi.tables) and the script
    folder are read; S3 targets, Glue's --TempDir and the Spark event logs are written."""
    from stedi.tables import LOCATIONS

    reads, writes = set(), set()
    for path in sorted(REPO.glob("studio_jobs/*/*.json")):
        doc = rewrite_value(json.loads(path.read_text()), "my-lake")
        args = doc["defaultArguments"]
        writes |= {args["--TempDir"], args["--spark-event-logs-path"]}
        reads.add(doc["command"]["scriptLocation"].rsplit("/", 1)[0] + "/")
        for node in doc["codeGenConfigurationNodes"].values():
            for kind, body in node.items():
                if kind.startswith("S3") and kind.endswith("Target"):
                    writes.add(body["Path"])
                elif kind.startswith("S3") and kind.endswith("Source"):
                    reads.update(body["Paths"])
                elif kind == "CatalogSource":
                    reads.add(rewrite_text(LOCATIONS[body["Table"]], "my-lake"))
    keys = {uri: uri.removeprefix("s3://my-lake/") for uri in reads | writes}
    return {keys[u] for u in reads - writes}, {keys[u] for u in writes}


def test_the_policy_grants_the_bucket_exactly_where_the_committed_jobs_read_and_write():
    """Least privilege, derived from the job files rather than restated: read where a job
    reads, write only where a job writes, list only those prefixes, nothing else in the bucket."""
    read_only, written = _committed_job_prefixes()
    assert "customer/landing/" in read_only and "customer/trusted/" in written  # derived
    _trust, policy = _rendered()
    granted = {
        (action, resource)
        for _st, actions, resources in _statements(policy)
        for action in actions
        for resource in resources
        if resource.startswith(f"{S3}/")
    }
    expected = {("s3:GetObject", f"{S3}/{p}*") for p in read_only | written}
    expected |= {(a, f"{S3}/{p}*") for p in written for a in ("s3:PutObject", "s3:DeleteObject")}
    assert granted == expected
    [listing] = [s for s in policy["Statement"] if s["Sid"] == "ListTheLakePrefixes"]
    prefixes = listing["Condition"]["StringLike"]["s3:prefix"]
    assert sorted(prefixes) == sorted(f"{p}*" for p in read_only | written)


def test_the_catalog_grants_cover_only_the_named_database_and_never_delete():
    _trust, policy = _rendered(database="lake_db")
    glue = [(a, r) for _st, acts, res in _statements(policy) for a in acts for r in res]
    glue = [(a, r) for a, r in glue if r.startswith("arn:aws:glue:")]
    catalog = {r for a, r in glue if not a.endswith("PublishDataQuality")}
    assert catalog == {f"{GLUE}:catalog", f"{GLUE}:database/lake_db", f"{GLUE}:table/lake_db/*"}
    assert not [a for a, _ in glue if a.startswith("glue:Delete") or a == "glue:*"]


def test_the_job_policy_statements_are_the_reviewed_list():
    """A pin: a new statement is a permission change that needs review (and this list)."""
    _trust, policy = _rendered()
    assert [st["Sid"] for st in policy["Statement"]] == [
        "ListTheLakePrefixes",
        "LocateTheLakeBucket",
        "ReadLandingAndScripts",
        "ReadWriteTrustedCuratedAndTemporary",
        "CatalogOfTheStediDatabase",
        "PublishDataQualityResults",
        "GlueAndDataQualityMetrics",
        "JobLogs",
    ]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--database", "*"),
        ("--database", "stedi*"),
        ("--database", 'stedi", "Effect": "Deny'),
        ("--database", "stedi/*"),
        ("--bucket", "*"),
        ("--bucket", "my-lake/*"),
        ("--region", "*"),
    ],
)
def test_aws_policy_refuses_wildcards_and_structure_in_names_with_one_line(option, value, capsys):
    from lakehouse.cli import main as cli_main

    argv = {"--bucket": "my-lake", "--account": "123456789012", "--region": "us-east-1"}
    argv[option] = value
    code = cli_main(["aws", "policy", *[part for pair in argv.items() for part in pair]])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    [line] = captured.err.strip().splitlines()
    assert repr(value) in line or value in line


def test_metrics_are_allowed_only_in_glue_namespaces():
    _trust, policy = _rendered()
    [st] = [s for s in policy["Statement"] if s["Sid"] == "GlueAndDataQualityMetrics"]
    assert st["Condition"] == {
        "StringEquals": {"cloudwatch:namespace": ["Glue", "Glue Data Quality"]}
    }


@pytest.mark.parametrize(
    ("action", "key"),
    [
        ("s3:PutObject", "scripts/customer_landing_to_trusted.py"),
        ("s3:DeleteObject", "scripts/machine_learning_curated.py"),
        ("s3:PutObject", "customer/landing/customer-1.json"),
        ("s3:DeleteObject", "step_trainer/landing/step_trainer-1.json"),
        ("s3:GetObject", "elsewhere/secret.json"),
        ("s3:PutObject", "customer/landing/trusted/x.json"),
    ],
)
def test_no_job_can_rewrite_scripts_or_landing_or_touch_other_prefixes(action, key):
    _trust, policy = _rendered()
    grants = [(a, r) for _st, acts, res in _statements(policy) for a in acts for r in res]
    assert not any(a == action and fnmatch.fnmatchcase(f"{S3}/{key}", r) for a, r in grants), (
        action,
        key,
    )


def test_glue_assumes_the_role_only_for_this_account():
    trust, _policy = _rendered()
    [st] = trust["Statement"]
    assert st["Principal"] == {"Service": "glue.amazonaws.com"}
    assert st["Action"] == "sts:AssumeRole"
    assert st["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


@pytest.mark.parametrize("json_path", JOB_FILES)
def test_job_policy_covers_every_path_and_table_the_job_uses(json_path):
    _trust, policy = _rendered()
    grants = [(a, r) for _st, acts, res in _statements(policy) for a in acts for r in res]

    def allowed(action, arn):
        return any(a == action and fnmatch.fnmatchcase(arn, r) for a, r in grants)

    doc = rewrite_value(json.loads(json_path.read_text()), "my-lake")
    text = json.dumps(doc)
    for uri in set(__import__("re").findall(r"s3://my-lake/[^\"\\ ]*", text)):
        key_arn = "arn:aws:s3:::" + uri[len("s3://") :] + "x"
        assert allowed("s3:GetObject", key_arn), uri
        read_only = "/landing/" in uri or "/scripts/" in uri
        assert allowed("s3:PutObject", key_arn) != read_only, uri
    for node in doc["codeGenConfigurationNodes"].values():
        for body in node.values():
            table = body.get("Table") or body.get("SchemaChangePolicy", {}).get("Table")
            database = body.get("Database") or body.get("SchemaChangePolicy", {}).get("Database")
            if table:
                arn = f"arn:aws:glue:us-east-1:123456789012:table/{database}/{table}"
                assert allowed("glue:GetTable", arn), arn


def test_aws_policy_renders_offline_with_an_account(capsys, monkeypatch):
    """No credentials, no network: with --account nothing asks STS."""
    from lakehouse.cli import main as cli_main

    def no_sts(_aws):
        raise AssertionError("STS was called")

    monkeypatch.setattr(iam, "account_id", no_sts)
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    argv = ["aws", "policy", "--bucket", "my-lake", "--account", "123456789012"]
    assert cli_main([*argv, "--region", "us-east-1"]) == 0
    policy = json.loads(capsys.readouterr().out)
    assert policy == _rendered()[1]
    assert cli_main([*argv, "--region", "us-east-1", "--trust"]) == 0
    assert json.loads(capsys.readouterr().out) == _rendered()[0]


def test_a_malformed_account_is_refused(capsys):
    from lakehouse.cli import main as cli_main

    code = cli_main(["aws", "policy", "--bucket", "my-lake", "--account", "12ab"])
    assert code == 2 and "12-digit" in capsys.readouterr().err


def test_aws_policy_without_an_account_that_sts_cannot_give_points_at_account(capsys, monkeypatch):
    """No region and no credentials: the fix is --account, not a region."""
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_REGION",
                "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):  # fmt: skip
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    assert main(["aws", "policy", "--bucket", "my-lake"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("error: the policy names your AWS account: pass --account")


def aws_options() -> list[tuple[str, str]]:
    from lakehouse.cli import build_parser

    aws = build_parser()._subparsers._group_actions[0].choices["aws"]
    commands = aws._subparsers._group_actions[0].choices
    return [(name, action.option_strings[-1]) for name, command in commands.items()
            for action in command._actions if action.option_strings]  # fmt: skip


@pytest.mark.parametrize(("command", "option"), aws_options())
def test_every_option_of_every_aws_command_has_help(command, option):
    from lakehouse.cli import build_parser

    aws = build_parser()._subparsers._group_actions[0].choices["aws"]
    parser = aws._subparsers._group_actions[0].choices[command]
    [action] = [a for a in parser._actions if option in a.option_strings]
    assert action.help, f"aws {command} {option} has no help"


def test_policy_template_with_a_placeholder_left_is_refused(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"Resource": "arn:aws:s3:::{{bucket}}/{{oops}}"}')
    with pytest.raises(LakehouseError, match="placeholder"):
        iam.render(path, bucket="my-lake")


# -- run: polling, order, failure (Stubber) ----------------------------------------------


def _stubbed(aws: Aws):
    stub = Stubber(aws.client("glue"))
    stub.activate()
    return stub


def _start(stub, name):
    stub.add_response("start_job_run", {"JobRunId": f"jr_{name}"}, {"JobName": name})


def _poll(stub, name, state, error=None):
    run = {"Id": f"jr_{name}", "JobName": name, "JobRunState": state}
    if error:
        run["ErrorMessage"] = error
    expected = {"JobName": name, "RunId": f"jr_{name}", "PredecessorsIncluded": False}
    stub.add_response("get_job_run", {"JobRun": run}, expected)


def _quiet() -> Console:
    return Console(file=io.StringIO(), force_terminal=False)


def test_run_sleeps_with_backoff_between_polls_never_busy_waiting():
    aws = Aws(region="us-east-1")
    stub = _stubbed(aws)
    _start(stub, "a")
    for _ in range(9):
        _poll(stub, "a", "RUNNING")
    _poll(stub, "a", "SUCCEEDED")
    sleeps = []
    run_jobs(aws, ["a"], sleep=sleeps.append, console=_quiet())
    stub.assert_no_pending_responses()
    assert sleeps == [5.0, 7.5, 11.25, 16.875, 25.3125, 37.96875, 56.953125, 60.0, 60.0]
    delays = Backoff(initial=1, factor=2, maximum=3).delays()
    assert [next(delays) for _ in range(4)] == [1, 2, 3, 3]


@pytest.mark.parametrize("state", FAILED_STATES)
def test_run_stops_at_the_first_failed_run_and_shows_its_error(state):
    aws = Aws(region="us-east-1")
    stub = _stubbed(aws)
    _start(stub, "first")
    _poll(stub, "first", "SUCCEEDED")
    _start(stub, "second")
    _poll(stub, "second", "RUNNING")
    _poll(stub, "second", state, error="AnalysisException: cannot resolve 'email'")
    sleeps = []
    with pytest.raises(JobFailed) as caught:
        run_jobs(aws, ["first", "second", "third"], sleep=sleeps.append, console=_quiet())
    stub.assert_no_pending_responses()  # and "third" was never started (no stub for it)
    message = str(caught.value)
    assert f"Glue job second ended {state}" in message
    assert "AnalysisException: cannot resolve 'email'" in message
    assert "not started: third" in message
    assert "\n" not in message
    assert caught.value.exit_code == 1
    assert sleeps == [5.0]


def test_run_command_prints_the_failed_jobs_error_as_one_line_and_exits_1(
    monkeypatch, capsys, tmp_path
):
    import lakehouse.cli.aws as cli_aws

    aws = Aws(region="us-east-1")
    stub = _stubbed(aws)
    _start(stub, "customer_landing_to_trusted")
    _poll(stub, "customer_landing_to_trusted", "FAILED", error="Py4JJavaError: boom")
    monkeypatch.setattr(cli_aws, "_aws", lambda args: aws)
    rc = main(["aws", "run", "--jobs", str(SAMPLE_JOBS), "--no-validate"])
    err = capsys.readouterr().err.strip()
    assert rc == 1
    assert err.count("\n") == 0
    assert "customer_landing_to_trusted ended FAILED" in err and "Py4JJavaError: boom" in err


# -- dry run -----------------------------------------------------------------------------


def test_dry_run_validates_calls_against_the_model_and_prints_bodies_as_sizes():
    lines = []
    aws = Aws(region="us-east-1", dry_run=True, echo=lines.append)
    s3 = aws.client("s3")
    s3.put_object(Bucket="my-lake", Key="scripts/x.py", Body=b"print(1)\n")
    with pytest.raises(bexc.ParamValidationError):
        s3.put_object(Key="no-bucket")  # still checked, as the real call would be
    assert lines == ['[dry-run] s3 PutObject {"Bucket": "my-lake", "Key": "scripts/x.py", '
                     '"Body": "<9 bytes>"}']  # fmt: skip
    assert [(c.service, c.operation) for c in aws.calls] == [("s3", "PutObject")]


def test_dry_run_reads_find_nothing_so_the_first_time_path_is_shown():
    aws = Aws(region="us-east-1", dry_run=True, echo=lambda line: None)
    with pytest.raises(bexc.ClientError) as caught:
        aws.client("glue").get_job(JobName="x")
    assert caught.value.response["Error"]["Code"] == "EntityNotFoundException"


# -- error lines -------------------------------------------------------------------------


def _client_error(code: str, op: str, message: str = "msg") -> bexc.ClientError:
    return bexc.ClientError({"Error": {"Code": code, "Message": message}}, op)


@pytest.mark.parametrize(
    "exc, fragments",
    [
        (bexc.NoCredentialsError(), ["aws configure", "AWS_PROFILE"]),
        (bexc.NoRegionError(), ["--region", "AWS_DEFAULT_REGION"]),
        (
            bexc.EndpointConnectionError(endpoint_url="https://glue.xx-fake-1.amazonaws.com"),
            ["eu-west-3", "--region"],
        ),
        (_client_error("NoSuchBucket", "PutObject"), ["my-lake does not exist", "aws setup"]),
        (
            _client_error("AccessDenied", "PutObject"),
            ["s3:PutObject", "iam/glue-job-policy.json"],
        ),
        (
            _client_error("AccessDeniedException", "CreateJob"),
            ["glue:CreateJob", "iam/glue-job-policy.json"],
        ),
        (
            _client_error("EntityNotFoundException", "StartJobRun", "Job x not found"),
            ["Job x not found", "eu-west-3", "--region"],
        ),
        (_client_error("InvalidClientTokenId", "GetCallerIdentity"), ["sts get-caller-identity"]),
        (_client_error("ExpiredToken", "GetJob"), ["expired"]),
        (_client_error("PermanentRedirect", "PutObject"), ["another region", "--region"]),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else None,
)
def test_errors_a_user_hits_become_one_line_saying_what_to_do(exc, fragments):
    aws = Aws(region="eu-west-3")
    aws.bucket = "my-lake"
    error = translate(exc, aws)
    assert isinstance(error, LakehouseError)
    assert "\n" not in str(error)
    for fragment in fragments:
        assert fragment in str(error)


def test_access_denied_during_deploy_names_the_action(monkeypatch, capsys):
    import lakehouse.cli.aws as cli_aws

    aws = Aws(region="us-east-1")
    stub = Stubber(aws.client("s3"))
    stub.add_client_error("put_object", service_error_code="AccessDenied", http_status_code=403)
    stub.activate()
    monkeypatch.setattr(cli_aws, "_aws", lambda args: aws)
    rc = main(["aws", "deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", "my-lake", "--role", ROLE])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert "access denied for s3:PutObject" in err and "iam/glue-job-policy.json" in err


def test_deploy_refuses_a_role_that_is_not_an_arn(capsys):
    rc = main(["aws", "deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", "b-1", "--role", "MyRole"])
    assert rc == 2
    assert "not an IAM role ARN" in capsys.readouterr().err
