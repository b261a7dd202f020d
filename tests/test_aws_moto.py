"""`python -m lakehouse aws ...` against a moto SERVER on 127.0.0.1 (real HTTP, real boto3).

What this proves: the API calls setup, deploy, export, run and teardown make, with the
parameters Glue/S3/IAM expect (botocore validates every request against the service model,
moto stores what it receives), and the one-line errors a user sees.

What it cannot prove: moto runs no Glue job and no SQL. A job run in moto only walks
STARTING -> RUNNING -> SUCCEEDED as it is polled; the script is never executed, so row counts
and data on S3 are not produced here (the local runtime's tests cover that). Failing runs
(FAILED/TIMEOUT/ERROR/STOPPED with an ErrorMessage) are not something moto can produce: they
are tested with botocore's Stubber in test_aws_units.py. moto 5.2 also lacks UpdateJob and
drops JobMode; tests/aws_server.py adds both, as the Glue API reference describes them.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import types
from pathlib import Path

import aws_server  # tests/aws_server.py: the moto server and its Glue gap-fills
import boto3
import pytest

from lakehouse.aws.rewrite import rewrite_text, rewrite_value  # noqa: E402
from lakehouse.cli import main  # noqa: E402

pytestmark = pytest.mark.aws

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "aws_jobs"
SAMPLE_JOBS = FIXTURES / "sample"
LANDING = FIXTURES / "landing"
SQL_DIR = REPO / "sql"
BUCKET = "stedi-test-lake"
ROLE = "arn:aws:iam::123456789012:role/stedi-glue-job-role"


def _job_dirs():
    dirs = [pytest.param(SAMPLE_JOBS, id="fixture-sample")]
    for d in sorted((REPO / "studio_jobs").glob("*")):
        if any(d.glob("*.json")):
            dirs.append(pytest.param(d, id=f"studio_jobs-{d.name}"))
    return dirs


JOB_DIRS = _job_dirs()


@pytest.fixture
def endpoint(monkeypatch) -> str:
    """A clean moto server, fake credentials in env, and nothing of the developer's own."""
    for key, value in aws_server.FAKE_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_REGION"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    url = aws_server.endpoint()
    aws_server.reset()
    yield url
    aws_server.reset()


def client(service: str, endpoint: str, region: str = "us-east-1"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region)


def cli(endpoint: str, *args: str) -> int:
    return main(["aws", *args, "--endpoint-url", endpoint])


def load_pairs(jobs_dir: Path):
    for path in sorted(jobs_dir.glob("*.json")):
        yield json.loads(path.read_text()), path.with_suffix(".py").read_text()


def setup_and_deploy(endpoint: str, jobs_dir: Path = SAMPLE_JOBS) -> None:
    s3 = client("s3", endpoint)
    s3.create_bucket(Bucket=BUCKET)  # deploy needs only the bucket: the setup test covers setup
    assert cli(endpoint, "deploy", "--jobs", str(jobs_dir), "--bucket", BUCKET, "--role", ROLE) == 0


# -- setup -------------------------------------------------------------------------------


def test_setup_creates_private_encrypted_bucket_landing_data_and_catalog(endpoint, capsys):
    from localglue import crawler

    rc = cli(endpoint, "setup", "--bucket", BUCKET, "--landing", str(LANDING), "--create-role")
    assert rc == 0, capsys.readouterr().err

    s3 = client("s3", endpoint)
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"),
        True,
    )
    rules = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"

    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    local = {p.relative_to(LANDING).as_posix() for p in LANDING.rglob("*") if p.is_file()}
    assert keys == local | {"_dataset.json", "_lakehouse/created.json"}
    record = json.loads(s3.get_object(Bucket=BUCKET, Key="_lakehouse/created.json")["Body"].read())
    assert record["bucket"] is True and record["databases"] == ["stedi"]
    assert set(record["objects"]) == local | {"_dataset.json"}

    glue = client("glue", endpoint)
    assert glue.get_database(Name="stedi")["Database"]["Name"] == "stedi"
    landing_ddl = [p for p in sorted(SQL_DIR.glob("*.sql")) if "_landing" in p.stem]
    assert len(landing_ddl) == 3
    for path in landing_ddl:
        _db, expected = crawler.table_input_from_ddl(path.read_text())
        expected = rewrite_value(expected, BUCKET)
        got = glue.get_table(DatabaseName="stedi", Name=expected["Name"])["Table"]
        assert got["StorageDescriptor"]["Location"].startswith(f"s3://{BUCKET}/")
        for key, value in expected.items():  # the same TableInput as the local catalog's
            assert got[key] == value, key

    role = client("iam", endpoint).get_role(RoleName="stedi-glue-job-role")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "glue.amazonaws.com"
    }


def test_setup_without_landing_uploads_a_generated_sample_with_its_counts(endpoint, capsys):
    assert cli(endpoint, "setup", "--bucket", BUCKET) == 0, capsys.readouterr().err
    s3 = client("s3", endpoint)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    for area in ("customer", "accelerometer", "step_trainer"):
        assert any(k.startswith(f"{area}/landing/") for k in keys), area
    dataset = json.loads(s3.get_object(Bucket=BUCKET, Key="_dataset.json")["Body"].read())
    assert dataset["expected_counts"]["rubric"]["customer_landing"] > 0


def test_setup_twice_updates_tables_instead_of_failing(endpoint, capsys):
    args = ("setup", "--bucket", BUCKET, "--landing", str(LANDING))
    assert cli(endpoint, *args) == 0
    assert cli(endpoint, *args) == 0
    assert "(updated)" in capsys.readouterr().out


def test_setup_again_with_other_data_leaves_no_stale_landing_files(endpoint, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(LANDING, other)
    (other / "customer" / "landing" / "customer-1.json").rename(
        other / "customer" / "landing" / "customer-2.json"
    )
    assert cli(endpoint, "setup", "--bucket", BUCKET, "--landing", str(LANDING)) == 0
    assert cli(endpoint, "setup", "--bucket", BUCKET, "--landing", str(other)) == 0
    s3 = client("s3", endpoint)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="customer/")["Contents"]]
    assert keys == ["customer/landing/customer-2.json"]


def test_setup_refuses_a_folder_without_landing_data(endpoint, tmp_path, capsys):
    rc = cli(endpoint, "setup", "--bucket", BUCKET, "--landing", str(tmp_path))
    assert rc == 2
    assert "customer/landing" in capsys.readouterr().err
    assert client("s3", endpoint).list_buckets()["Buckets"] == []


# -- one landing: the bytes setup uploads are the bytes the local jobs read ---------------
CORPUS = REPO / "tests" / "corpus" / "bad_landing"
MESSY = {  # corpus file -> landing file name (both customer)
    "customer/trailing_comma.json": "customer-trailing-commas.json",
    "customer/malformed_json.json": "customer-garbage-lines.json",
    "customer/empty.json": "customer-empty.json",
    "customer_duplicates/a-older.json": "customer-duplicates-a.json",
    "customer_duplicates/b-newer.json": "customer-duplicates-b.json",
}


def _messy_landing(root: Path) -> Path:
    """A generated sample plus trailing commas, garbage lines, duplicate customers and an
    empty file in customer/landing."""
    from stedi.generator import generate

    generate(root, 12, seed=3, type_drift=True)
    for corpus, name in MESSY.items():
        shutil.copyfile(CORPUS / corpus, root / "customer" / "landing" / name)
    return root


def _local_landing(lake) -> dict[str, bytes]:
    from stedi import landing

    out = {}
    for source in landing.SOURCES:
        folder = landing.landing_folder(lake, source)
        for path in landing.landing_files(folder):
            out[f"{source}/landing/{path.relative_to(folder).as_posix()}"] = path.read_bytes()
    return out


def _uploaded_landing(endpoint) -> dict[str, bytes]:
    s3 = client("s3", endpoint)
    out = {}
    for area in ("customer", "accelerometer", "step_trainer"):
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=f"{area}/landing/"
        )
        for obj in (o for page in pages for o in page.get("Contents", [])):
            out[obj["Key"]] = s3.get_object(Bucket=BUCKET, Key=obj["Key"])["Body"].read()
    return out


@pytest.mark.parametrize("dataset", ["shared data", "messy landing"])
def test_setup_uploads_byte_for_byte_the_landing_files_the_local_jobs_read(
    endpoint, tmp_path, capsys, request, dataset
):
    from localglue.lake import Lake
    from stedi import landing, ledger
    from stedi.ingest import ingest

    if dataset == "shared data":
        src = request.getfixturevalue("shared_data")
    else:
        src = _messy_landing(tmp_path / "messy")
    lake = Lake(tmp_path / "lake")
    ingest(src, lake)
    assert ledger.check(lake).status == "passed"

    assert cli(endpoint, "setup", "--bucket", BUCKET, "--landing", str(src)) == 0
    out = capsys.readouterr().out
    uploaded, local = _uploaded_landing(endpoint), _local_landing(lake)
    assert sorted(uploaded) == sorted(local)
    for key, data in local.items():
        assert uploaded[key] == data, key

    quarantined = sum(landing.quarantine_counts(lake).values())
    if dataset == "messy landing":
        assert uploaded["customer/landing/customer-empty.json"] == b""
        assert quarantined > 0 and "line(s) not uploaded" in out
    else:
        assert quarantined == 0 and "not uploaded" not in out


# -- deploy ------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs_dir", JOB_DIRS)
def test_deploy_creates_visual_jobs_with_the_committed_dag_in_the_new_bucket(endpoint, jobs_dir):
    setup_and_deploy(endpoint, jobs_dir)
    glue, s3 = client("glue", endpoint), client("s3", endpoint)
    for doc, script in load_pairs(jobs_dir):
        job = glue.get_job(JobName=doc["name"])["Job"]
        assert job["JobMode"] == "VISUAL"
        assert job["Role"] == ROLE
        nodes = job["CodeGenConfigurationNodes"]
        assert nodes == rewrite_value(doc["codeGenConfigurationNodes"], BUCKET)
        assert "stedi-lake-house" not in json.dumps(nodes)
        assert job["GlueVersion"] == doc["glueVersion"]
        assert job["WorkerType"] == doc["workerType"]
        assert job["NumberOfWorkers"] == doc["numberOfWorkers"]
        assert job["Timeout"] == doc["timeout"]
        assert job["DefaultArguments"] == rewrite_value(doc["defaultArguments"], BUCKET)
        location = f"s3://{BUCKET}/scripts/{doc['name']}.py"
        assert job["Command"]["ScriptLocation"] == location
        body = s3.get_object(Bucket=BUCKET, Key=f"scripts/{doc['name']}.py")["Body"].read()
        assert body.decode() == rewrite_text(script, BUCKET)
        assert "s3://stedi-lake-house" not in body.decode()


def test_second_deploy_updates_the_jobs_instead_of_duplicating_them(endpoint, tmp_path, capsys):
    jobs = tmp_path / "jobs"
    shutil.copytree(SAMPLE_JOBS, jobs)
    setup_and_deploy(endpoint, jobs)
    glue = client("glue", endpoint)
    before = sorted(glue.list_jobs()["JobNames"])

    changed = jobs / "customer_landing_to_trusted.json"
    doc = json.loads(changed.read_text())
    doc["timeout"] = 60
    doc["codeGenConfigurationNodes"]["node-2"]["SparkSQL"]["Name"] = "Consented Customers"
    changed.write_text(json.dumps(doc, indent=2) + "\n")
    capsys.readouterr()
    assert cli(endpoint, "deploy", "--jobs", str(jobs), "--bucket", BUCKET, "--role", ROLE) == 0

    assert sorted(glue.list_jobs()["JobNames"]) == before
    job = glue.get_job(JobName="customer_landing_to_trusted")["Job"]
    assert job["Timeout"] == 60
    assert job["CodeGenConfigurationNodes"]["node-2"]["SparkSQL"]["Name"] == "Consented Customers"
    assert job["JobMode"] == "VISUAL"  # UpdateJob got the complete definition, mode included
    assert capsys.readouterr().out.count(": updated") == len(before)


def test_deploy_to_a_bucket_that_does_not_exist_says_run_setup(endpoint, capsys):
    rc = cli(endpoint, "deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", BUCKET, "--role", ROLE)
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1
    assert f"bucket {BUCKET} does not exist" in err
    assert f"python -m lakehouse aws setup --bucket {BUCKET}" in err


# -- export ------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs_dir", JOB_DIRS)
def test_export_writes_back_the_committed_files_byte_for_byte(endpoint, jobs_dir, tmp_path):
    setup_and_deploy(endpoint, jobs_dir)
    names = [p.stem for p in sorted(jobs_dir.glob("*.json"))]
    out = tmp_path / "exported"
    assert cli(endpoint, "export", *names, "--to", str(out)) == 0
    for name in names:
        for suffix in (".json", ".py"):
            exported = (out / f"{name}{suffix}").read_bytes()
            assert exported == (jobs_dir / f"{name}{suffix}").read_bytes(), f"{name}{suffix}"


def test_export_over_committed_files_reports_what_changed(endpoint, tmp_path, capsys):
    jobs = tmp_path / "jobs"
    shutil.copytree(SAMPLE_JOBS, jobs)
    setup_and_deploy(endpoint, jobs)
    glue = client("glue", endpoint)
    job = glue.get_job(JobName="customer_landing_to_trusted")["Job"]
    update = {k: job[k] for k in ("Role", "Command", "DefaultArguments", "GlueVersion")}
    update |= {"JobMode": "VISUAL", "Timeout": 30, "WorkerType": "G.1X", "NumberOfWorkers": 2}
    update["CodeGenConfigurationNodes"] = job["CodeGenConfigurationNodes"]
    update["ExecutionProperty"] = job["ExecutionProperty"]
    update["MaxRetries"] = 0
    update["Description"] = job["Description"]
    glue.update_job(JobName="customer_landing_to_trusted", JobUpdate=update)  # "edited in Studio"
    capsys.readouterr()

    names = ["customer_landing_to_trusted", "customer_trusted_to_curated"]
    assert cli(endpoint, "export", *names, "--to", str(jobs)) == 0
    out = capsys.readouterr().out
    assert "customer_landing_to_trusted.json  changed  +1 -1" in out
    assert "customer_trusted_to_curated.json  unchanged" in out
    assert json.loads((jobs / "customer_landing_to_trusted.json").read_text())["timeout"] == 30


# -- run ---------------------------------------------------------------------------------


def _record_glue_calls(aws):
    seen = []

    def after(model, parsed, params=None, **_):
        run = parsed.get("JobRun", {})
        seen.append((model.name, run.get("JobName"), run.get("JobRunState")))

    def before(params, model, **_):
        if model.name == "StartJobRun":
            seen.append(("StartJobRun", params["JobName"], None))

    glue = aws.client("glue")
    glue.meta.events.register("before-parameter-build.glue.StartJobRun", before)
    glue.meta.events.register("after-call.glue.GetJobRun", after)
    return seen


def test_run_starts_each_job_only_after_the_previous_succeeded(endpoint):
    from lakehouse.aws.clients import Aws
    from lakehouse.aws.runs import run_jobs

    setup_and_deploy(endpoint)
    aws_server.job_runs_advance_every(2)  # STARTING, STARTING, RUNNING, RUNNING, SUCCEEDED
    aws = Aws(endpoint_url=endpoint)
    seen = _record_glue_calls(aws)
    sleeps = []
    names = ["customer_landing_to_trusted", "customer_trusted_to_curated"]
    runs = run_jobs(aws, names, sleep=sleeps.append, console=_quiet())

    assert [r["JobRunState"] for r in runs] == ["SUCCEEDED", "SUCCEEDED"]
    starts = [i for i, call in enumerate(seen) if call[0] == "StartJobRun"]
    assert [seen[i][1] for i in starts] == names
    before_second = seen[starts[1] - 1]
    assert before_second == ("GetJobRun", names[0], "SUCCEEDED")
    # moto moved each run on every second poll: 4 polls, 3 sleeps with backoff, per job
    assert sleeps == [5.0, 7.5, 11.25] * 2


def _quiet():
    from rich.console import Console

    return Console(file=io.StringIO(), force_terminal=False)


def _fake_validation(monkeypatch, rc: int) -> list:
    """validation.run.main stand-in: records argv and the dataset file it was handed."""
    calls = []

    def fake_main(argv):
        lake = argv[argv.index("--lake") + 1] if "--lake" in argv else None
        dataset = Path(lake, "_dataset.json") if lake else None
        seen = json.loads(dataset.read_text()) if dataset and dataset.is_file() else None
        calls.append((argv, seen))
        return rc

    module = types.ModuleType("validation.run")
    module.main = fake_main
    monkeypatch.setitem(sys.modules, "validation.run", module)
    return calls


@pytest.mark.parametrize("validation_rc", [0, 1])
def test_run_command_validates_on_athena_after_the_jobs(endpoint, monkeypatch, validation_rc):
    setup_and_deploy(endpoint)
    dataset = {"name": "stedi-synthetic-n3", "source": "x", "expected_counts": None}
    client("s3", endpoint).put_object(
        Bucket=BUCKET, Key="_dataset.json", Body=json.dumps(dataset).encode()
    )
    calls = _fake_validation(monkeypatch, validation_rc)
    args = ("run", "--jobs", str(SAMPLE_JOBS), "--profile", "strict", "--bucket", BUCKET)
    assert cli(endpoint, *args) == validation_rc
    assert len(calls) == 1
    argv, seen = calls[0]
    flags = dict(zip(argv[::2], argv[1::2], strict=True))
    assert flags["--engine"] == "athena"
    assert flags["--profile"] == "strict"
    assert flags["--athena-database"] == "stedi"
    assert flags["--athena-output"] == f"s3://{BUCKET}/athena-results/"
    assert flags["--endpoint-url"] == endpoint
    assert seen == dataset  # the expected counts come from what setup uploaded


def test_run_command_without_bucket_still_validates_on_athena(endpoint, monkeypatch):
    setup_and_deploy(endpoint)
    calls = _fake_validation(monkeypatch, 0)
    assert cli(endpoint, "run", "--jobs", str(SAMPLE_JOBS)) == 0
    argv, _seen = calls[0]
    assert argv[argv.index("--engine") + 1] == "athena" and "--lake" not in argv


def test_run_command_no_validate_skips_validation(endpoint, monkeypatch):
    setup_and_deploy(endpoint)
    calls = _fake_validation(monkeypatch, 1)
    assert cli(endpoint, "run", "--jobs", str(SAMPLE_JOBS), "--no-validate") == 0
    assert calls == []


def test_run_in_a_region_without_the_jobs_names_the_region(endpoint, capsys):
    setup_and_deploy(endpoint)  # deployed to us-east-1
    rc = cli(endpoint, "run", "--jobs", str(SAMPLE_JOBS), "--region", "eu-west-1", "--no-validate")
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1
    assert "eu-west-1" in err and "customer_landing_to_trusted" in err


# -- dry run -----------------------------------------------------------------------------


def test_dry_run_prints_every_call_and_makes_none(endpoint, capsys):
    rc = cli(endpoint, "setup", "--bucket", BUCKET, "--landing", str(LANDING), "--dry-run")
    assert rc == 0
    rc = cli(
        endpoint, "deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", BUCKET, "--role", ROLE,
        "--dry-run",
    )  # fmt: skip
    assert rc == 0
    assert cli(endpoint, "run", "--jobs", str(SAMPLE_JOBS), "--dry-run") == 0
    out = capsys.readouterr().out
    for call in (
        f's3 CreateBucket {{"Bucket": "{BUCKET}"}}',
        "s3 PutPublicAccessBlock",
        "s3 PutBucketEncryption",
        '"Key": "customer/landing/customer-1.json"',
        "glue CreateDatabase",
        "glue CreateTable",
        "glue CreateJob",
        '"JobMode": "VISUAL"',
        'glue StartJobRun {"JobName": "customer_landing_to_trusted"}',
    ):
        assert call in out
    assert client("s3", endpoint).list_buckets()["Buckets"] == []
    assert client("glue", endpoint).list_jobs()["JobNames"] == []
    assert client("glue", endpoint).get_databases()["DatabaseList"] == []


def test_teardown_dry_run_deletes_nothing(endpoint, capsys):
    setup_and_deploy(endpoint)
    assert cli(endpoint, "teardown", "--bucket", BUCKET, "--dry-run") == 0
    out = capsys.readouterr().out
    assert f's3 DeleteBucket {{"Bucket": "{BUCKET}"}}' in out and "glue DeleteJob" in out
    assert [b["Name"] for b in client("s3", endpoint).list_buckets()["Buckets"]] == [BUCKET]
    assert len(client("glue", endpoint).list_jobs()["JobNames"]) == 2


def test_the_standard_aws_endpoint_url_variable_is_honoured(endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    client("s3", endpoint).create_bucket(Bucket=BUCKET)
    args = ["aws", "deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", BUCKET, "--role", ROLE]
    assert main(args) == 0  # no --endpoint-url: boto3 reads AWS_ENDPOINT_URL itself
    assert len(client("glue", endpoint).list_jobs()["JobNames"]) == 2


def test_dry_run_needs_no_credentials(endpoint, monkeypatch, capsys):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key)
    args = ("deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", BUCKET, "--role", ROLE, "--dry-run")
    assert cli(endpoint, *args) == 0
    assert "glue CreateJob" in capsys.readouterr().out


# -- errors ------------------------------------------------------------------------------


def test_no_credentials_is_one_line_saying_how_to_configure_them(endpoint, monkeypatch, capsys):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(key)
    for key in ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance-role lookup
    rc = cli(endpoint, "deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", BUCKET, "--role", ROLE)
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1
    assert "aws configure" in err and "AWS_PROFILE" in err


# -- teardown ----------------------------------------------------------------------------


def test_teardown_refuses_without_a_terminal_or_yes(endpoint, monkeypatch, capsys):
    client("s3", endpoint).create_bucket(Bucket=BUCKET)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli(endpoint, "teardown", "--bucket", BUCKET) == 2
    assert "--yes" in capsys.readouterr().err
    assert [b["Name"] for b in client("s3", endpoint).list_buckets()["Buckets"]] == [BUCKET]


def setup_with_role_and_deploy(endpoint: str) -> None:
    setup = ("setup", "--bucket", BUCKET, "--landing", str(LANDING), "--create-role")
    assert cli(endpoint, *setup) == 0
    assert (
        cli(endpoint, "deploy", "--jobs", str(SAMPLE_JOBS), "--bucket", BUCKET, "--role", ROLE) == 0
    )


def test_teardown_deletes_what_setup_and_deploy_created(endpoint, capsys):
    setup_with_role_and_deploy(endpoint)
    glue, iam = client("glue", endpoint), client("iam", endpoint)
    glue.create_job(  # same name as ours, but someone else's: left alone
        Name="machine_learning_curated",
        Role=ROLE,
        Command={"Name": "glueetl", "ScriptLocation": "s3://someone-else/x.py"},
    )

    assert cli(endpoint, "teardown", "--bucket", BUCKET, "--yes") == 0

    assert client("s3", endpoint).list_buckets()["Buckets"] == []
    assert glue.list_jobs()["JobNames"] == ["machine_learning_curated"]
    assert glue.get_databases()["DatabaseList"] == []
    assert iam.list_roles()["Roles"] == []


def test_teardown_leaves_an_object_and_a_table_setup_did_not_create(endpoint, capsys):
    setup_with_role_and_deploy(endpoint)
    s3, glue = client("s3", endpoint), client("glue", endpoint)
    s3.put_object(Bucket=BUCKET, Key="customer/trusted/run-1-part-0.parquet", Body=b"job output")
    s3.put_object(Bucket=BUCKET, Key="notes/mine.txt", Body=b"not the lakehouse's")
    glue.create_table(DatabaseName="stedi", TableInput={"Name": "my_notes"})
    capsys.readouterr()

    assert cli(endpoint, "teardown", "--bucket", BUCKET, "--yes") == 0

    out = capsys.readouterr().out
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["notes/mine.txt"]
    assert [t["Name"] for t in glue.get_tables(DatabaseName="stedi")["TableList"]] == ["my_notes"]
    assert glue.list_jobs()["JobNames"] == []
    assert "left: 1 object(s) setup and deploy did not create (notes/mine.txt)" in out
    assert (
        "left: Glue database stedi: kept, it holds table(s) setup did not create (my_notes)" in out
    )
    assert f"left: bucket s3://{BUCKET}: kept, it is not empty" in out


def test_setup_leaves_the_policy_of_a_role_it_did_not_create(endpoint, capsys):
    iam = client("iam", endpoint)
    iam.create_role(RoleName="stedi-glue-job-role", AssumeRolePolicyDocument="{}")
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::theirs/*"}
    theirs = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    iam.put_role_policy(
        RoleName="stedi-glue-job-role", PolicyName="stedi-glue-job-policy", PolicyDocument=theirs
    )
    setup = ("setup", "--bucket", BUCKET, "--landing", str(LANDING), "--create-role")
    assert cli(endpoint, *setup) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "setup did not create it" in line and "--role" in line
    kept = iam.get_role_policy(RoleName="stedi-glue-job-role", PolicyName="stedi-glue-job-policy")
    assert kept["PolicyDocument"] == json.loads(theirs)


def test_teardown_keeps_a_role_setup_did_not_create(endpoint):
    iam = client("iam", endpoint)
    iam.create_role(RoleName="stedi-glue-job-role", AssumeRolePolicyDocument="{}")
    client("s3", endpoint).create_bucket(Bucket=BUCKET)
    assert cli(endpoint, "teardown", "--bucket", BUCKET, "--yes") == 0
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["stedi-glue-job-role"]


def test_setup_with_crawlers_creates_one_crawler_per_landing_folder_idempotently(
    endpoint, capsys, monkeypatch
):
    """moto stores crawlers and moves a started crawl RUNNING -> COMPLETED, but it does NOT
    crawl: no table is made by a crawler here, so the report lists none. What is pinned is the
    API side: the CreateCrawler requests, idempotency, start and wait."""
    from lakehouse.aws import crawlers

    monkeypatch.setattr(crawlers, "POLL_SECONDS", 0.01)
    aws_server.moto_api(  # a started (empty) crawl is COMPLETED at the first GetCrawler
        "state-manager/set-transition",
        {"model_name": "glue::crawl", "transition": {"progression": "immediate"}},
    )
    args = ("setup", "--bucket", BUCKET, "--landing", str(LANDING), "--create-role", "--crawlers")
    assert cli(endpoint, *args) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "crawler stedi-customer-landing: created, last crawl COMPLETED" in out  # moto's word
    assert "tables made by the crawlers: none" in out  # moto does not crawl

    glue = client("glue", endpoint)
    role = client("iam", endpoint).get_role(RoleName="stedi-glue-job-role")["Role"]["Arn"]
    for source in ("customer", "accelerometer", "step_trainer"):
        got = glue.get_crawler(Name=f"stedi-{source.replace('_', '-')}-landing")["Crawler"]
        assert got["Role"] == role and got["DatabaseName"] == "stedi"
        assert got["Targets"]["S3Targets"] == [{"Path": f"s3://{BUCKET}/{source}/landing/"}]
        assert got["State"] == "READY" and got["LastCrawl"]["Status"] == "COMPLETED"

    assert cli(endpoint, *args) == 0  # again: updated, started again, no AlreadyExists
    assert "crawler stedi-step-trainer-landing: updated" in capsys.readouterr().out
    assert len(glue.get_crawlers()["Crawlers"]) == 3


def test_crawler_requests_match_botocore_create_crawler_shape():
    from botocore.session import get_session
    from botocore.validate import ParamValidator

    from lakehouse.aws.crawlers import crawler_input

    shape = get_session().get_service_model("glue").operation_model("CreateCrawler").input_shape
    request = crawler_input(BUCKET, "stedi", ROLE, "customer")
    report = ParamValidator().validate(request, shape)
    assert not report.has_errors(), report.generate_report()
