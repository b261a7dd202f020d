"""`python -m lakehouse aws setup|deploy|run|export|teardown|policy`: the same jobs on real Glue.

Every subcommand takes --endpoint-url (or AWS_ENDPOINT_URL, which boto3 reads itself),
--region and --dry-run (print each API call, send none). Credentials come from boto3's
standard chain. See docs/aws.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from localglue.errors import LakehouseError

DEFAULT_DATABASE = "stedi"
DATABASE_HELP = f"Glue database (default: {DEFAULT_DATABASE})"


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--endpoint-url",
        help="AWS endpoint (e.g. a moto server); default: boto3's own, honouring AWS_ENDPOINT_URL",
    )
    common.add_argument("--region", help="AWS region; default: AWS_DEFAULT_REGION / profile")
    common.add_argument(
        "--dry-run", action="store_true", help="print the API calls it would make; make none"
    )
    return common


def _profile(parser) -> None:
    parser.add_argument(
        "--profile", choices=("rubric", "strict"), default="rubric", help="job profile"
    )
    parser.add_argument("--jobs", type=Path, help="job files folder (default studio_jobs/PROFILE)")


def register(sub) -> None:
    common = _common()
    parser = sub.add_parser(
        "aws", help="set up, deploy, run, export and tear down the jobs on AWS Glue"
    )
    aws_sub = parser.add_subparsers(dest="aws_command", metavar="AWS_COMMAND", required=True)

    p = aws_sub.add_parser(
        "setup", parents=[common], help="bucket, landing data, Glue database and landing tables"
    )
    p.add_argument(
        "--bucket", required=True, help="the lake bucket to create (private, SSE-S3) and fill"
    )
    p.add_argument("--landing", type=Path, help="folder with */landing/ (default: generate one)")
    p.add_argument("--database", default=DEFAULT_DATABASE, help=DATABASE_HELP)
    p.add_argument(
        "--create-role",
        action="store_true",
        help="create the Glue job role from iam/*.json (else print how)",
    )
    p.add_argument(
        "--crawlers",
        action="store_true",
        help="also create a Glue crawler per landing folder (job role), run them, list their tables",
    )
    p.add_argument("--role", help="role ARN for the crawlers (default: the job role)")
    p.add_argument("--sql-dir", type=Path, help=argparse.SUPPRESS)
    p.set_defaults(func=run_setup)

    p = aws_sub.add_parser("deploy", parents=[common], help="upload scripts, create/update jobs")
    _profile(p)
    p.add_argument(
        "--bucket",
        required=True,
        help="the lake bucket: scripts go to s3://BUCKET/scripts/, and the jobs' "
        "stedi-lake-house becomes BUCKET",
    )
    p.add_argument("--role", required=True, help="ARN of the Glue job role")
    p.set_defaults(func=run_deploy)

    p = aws_sub.add_parser("run", parents=[common], help="run the jobs in order, then validate")
    _profile(p)
    p.add_argument("--no-validate", action="store_true", help="run the jobs only")
    p.add_argument("--database", default=DEFAULT_DATABASE, help=DATABASE_HELP)
    p.add_argument(
        "--bucket",
        help="the lake bucket: Athena results go to s3://BUCKET/athena-results/ and the expected "
        "counts come from the dataset setup uploaded",
    )
    p.set_defaults(func=run_run)

    p = aws_sub.add_parser("export", parents=[common], help="Glue jobs back into studio_jobs/")
    p.add_argument("jobs_to_export", nargs="+", metavar="JOB")
    p.add_argument("--profile", choices=("rubric", "strict"), default="rubric", help="job profile")
    p.add_argument("--to", type=Path, help="folder to write (default studio_jobs/PROFILE/)")
    p.add_argument("--bucket", help="the lake bucket (default: the script's bucket)")
    p.set_defaults(func=run_export)

    p = aws_sub.add_parser("teardown", parents=[common], help="delete what setup/deploy made")
    p.add_argument(
        "--bucket", required=True, help="the lake bucket: its objects, then the bucket, go"
    )
    p.add_argument("--database", default=DEFAULT_DATABASE, help=DATABASE_HELP)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=run_teardown)

    p = aws_sub.add_parser("policy", parents=[common], help="print the job role's policy")
    p.add_argument(
        "--bucket", required=True, help="the lake bucket the policy grants the jobs access to"
    )
    p.add_argument("--database", default=DEFAULT_DATABASE, help=DATABASE_HELP)
    p.add_argument(
        "--account", help="12-digit account id: render offline (default: ask STS for it)"
    )
    p.add_argument("--trust", action="store_true", help="print the trust policy instead")
    p.set_defaults(func=run_policy)


def _aws(args):
    from lakehouse.aws.clients import Aws

    return Aws(region=args.region, endpoint_url=args.endpoint_url, dry_run=args.dry_run)


def _dry_run_done(aws) -> int:
    print(f"dry run: {len(aws.calls)} API calls printed above; none was sent")
    return 0


def _jobs_dir(args) -> Path:
    from lakehouse.aws.jobfile import profile_dir

    return args.jobs or profile_dir(args.profile)


def _bucket(name: str) -> str:
    from lakehouse.aws.rewrite import check_bucket

    return check_bucket(name)


def run_setup(args) -> int:
    from lakehouse.aws.clients import aws_errors
    from lakehouse.aws.iam import ROLE_NAME
    from lakehouse.aws.setup import SQL_DIR, setup

    bucket = _bucket(args.bucket)
    aws = _aws(args)
    aws.bucket = bucket
    with aws_errors(aws):
        report = setup(
            aws,
            bucket,
            landing=args.landing,
            database=args.database,
            create_role=args.create_role,
            sql_dir=args.sql_dir or SQL_DIR,
        )
    if args.dry_run:
        return _dry_run_done(aws)
    if args.crawlers:
        _setup_crawlers(aws, bucket, args.database, args.role or report.role_arn)
    verb = "created" if report.bucket_created else "exists"
    print(f"bucket s3://{bucket}: {verb}; private (public access blocked), SSE-S3 encrypted")
    print(f"landing data: {len(report.uploaded)} files uploaded (the lines `ingest` accepts)")
    for source, reasons in report.quarantined.items():
        detail = ", ".join(f"{n} {kind}" for kind, n in reasons.items())
        print(f"  {source}: {sum(reasons.values())} line(s) not uploaded ({detail})")
    tables = ", ".join(f"{n} ({s})" for n, s in report.tables.items())
    print(f"Glue database {args.database}: tables {tables}")
    if report.role_arn:
        print(f"job role: {report.role_arn}")
        print(f"next: python -m lakehouse aws deploy --bucket {bucket} --role {report.role_arn}")
    else:
        print(
            f"job role not created (pass --create-role, or create {ROLE_NAME} with trust "
            "iam/glue-job-role-trust.json and the policy from "
            f"`python -m lakehouse aws policy --bucket {bucket}`)"
        )
    return 0


def _setup_crawlers(aws, bucket: str, database: str, role_arn: str | None) -> None:
    from lakehouse.aws.clients import aws_errors, error_code
    from lakehouse.aws.crawlers import run_crawlers
    from lakehouse.aws.iam import ROLE_NAME

    with aws_errors(aws):
        if not role_arn:
            try:
                role_arn = aws.client("iam").get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
            except Exception as exc:
                if error_code(exc) != "NoSuchEntity":
                    raise
                raise LakehouseError(
                    f"--crawlers needs a role: pass --create-role or --role ARN ({ROLE_NAME} does not exist)"
                ) from exc
        print(
            f"crawlers: starting one per landing folder in s3://{bucket} (this takes minutes on AWS)"
        )
        crawl = run_crawlers(aws, bucket, database, role_arn)
    for name, verb in crawl.crawlers.items():
        print(f"crawler {name}: {verb}, last crawl {crawl.states.get(name, '?')}")
    made = ", ".join(f"{t} (by {c})" for t, c in crawl.tables.items()) or "none"
    print(f"tables made by the crawlers: {made}")


def run_deploy(args) -> int:
    from lakehouse.aws.clients import aws_errors
    from lakehouse.aws.deploy import deploy

    bucket = _bucket(args.bucket)
    aws = _aws(args)
    aws.bucket = bucket
    with aws_errors(aws):
        done = deploy(aws, _jobs_dir(args), bucket, args.role)
    if args.dry_run:
        return _dry_run_done(aws)
    for name, status in done.items():
        print(f"{name}: {status} (script s3://{bucket}/scripts/{name}.py)")
    return 0


def run_run(args) -> int:
    from lakehouse.aws.clients import aws_errors
    from lakehouse.aws.jobfile import load_jobs
    from lakehouse.aws.runs import run_jobs

    names = [spec.name for spec in load_jobs(_jobs_dir(args))]
    aws = _aws(args)
    with aws_errors(aws):
        run_jobs(aws, names)
    if args.dry_run:
        return _dry_run_done(aws)
    if args.no_validate:
        return 0
    return validate_on_athena(args, aws)


def validation_argv(args, aws) -> list[str]:
    argv = ["--profile", args.profile, "--engine", "athena", "--athena-database", args.database]
    if aws.region:
        argv += ["--region", aws.region]
    if aws.endpoint_url:
        argv += ["--endpoint-url", aws.endpoint_url]
    if args.bucket:
        argv += ["--athena-output", f"s3://{args.bucket}/athena-results/"]
    return argv


def validate_on_athena(args, aws) -> int:
    """validation.run on Athena; the dataset setup uploaded gives the expected counts."""
    import tempfile

    from lakehouse.aws.clients import aws_errors, error_code
    from lakehouse.aws.setup import DATASET_KEY
    from validation.run import main as validate

    argv = validation_argv(args, aws)
    with tempfile.TemporaryDirectory(prefix="stedi-aws-validate-") as tmp:
        if args.bucket:
            lake = Path(tmp) / "lake"
            lake.mkdir()
            try:
                with aws_errors(aws):
                    body = aws.client("s3").get_object(Bucket=args.bucket, Key=DATASET_KEY)
                (lake / DATASET_KEY).write_bytes(body["Body"].read())
            except LakehouseError as exc:
                if error_code(exc.__cause__) != "NoSuchKey":
                    raise
            argv += ["--lake", str(lake), "--report-dir", "reports"]
        return validate(argv)


def run_export(args) -> int:
    from lakehouse.aws.clients import aws_errors
    from lakehouse.aws.export import export

    aws = _aws(args)
    aws.bucket = args.bucket
    to_dir = args.to or export_dir(args.profile)
    with aws_errors(aws):
        changes = export(aws, args.jobs_to_export, to_dir, args.bucket)
    if args.dry_run:
        return _dry_run_done(aws)
    for change in changes:
        print(change.line())
    return 0


def export_dir(profile: str) -> Path:
    """studio_jobs/PROFILE of the checkout; an installed copy exports into the working
    directory's studio_jobs/, never into its own package data."""
    from lakehouse.aws.jobfile import profile_dir
    from stedi.resources import checkout

    return profile_dir(profile) if checkout() else Path("studio_jobs") / profile


def confirm(prompt: str, yes: bool, what: str) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise LakehouseError(f"refusing to delete {what} without confirmation: pass --yes")
    answer = input(prompt)
    if answer.strip() not in ("y", "yes"):
        raise LakehouseError("teardown cancelled: nothing deleted")


def run_teardown(args) -> int:
    from lakehouse.aws.clients import aws_errors
    from lakehouse.aws.jobfile import JOB_ORDER, STUDIO_JOBS, order_jobs
    from lakehouse.aws.teardown import teardown
    from stedi.pipeline import PROFILES

    bucket = _bucket(args.bucket)
    what = (
        f"what setup and deploy created in s3://{bucket} (recorded there), the tables and "
        f"database of {args.database} they created, the jobs deployed from it, and the role "
        "setup created"
    )
    if not args.dry_run:
        confirm(f"Delete {what}? [y/N] ", args.yes, f"s3://{bucket}")
    # Only jobs whose script is in this bucket are deleted (see teardown.py).
    files = {p.stem for prof in PROFILES for p in (STUDIO_JOBS / prof).glob("*.json")}
    names = order_jobs(files | set(JOB_ORDER))
    aws = _aws(args)
    aws.bucket = bucket
    with aws_errors(aws):
        report = teardown(aws, bucket, names, args.database, dry_run_tables=_our_tables())
    if args.dry_run:
        return _dry_run_done(aws)
    print(f"jobs deleted: {', '.join(report.jobs) or 'none'}")
    print(f"tables deleted: {', '.join(report.tables) or 'none'}; database: {report.database}")
    print(f"objects deleted: {report.objects}; bucket deleted: {report.bucket}")
    print(f"role deleted: {report.role}")
    for line in report.left:
        print(f"left: {line}")
    return 0


def _our_tables() -> list[str]:
    """The tables a full setup and deploy create (what a dry run of teardown shows)."""
    from stedi.tables import TABLE_NAMES

    return list(TABLE_NAMES)


def run_policy(args) -> int:
    from lakehouse.aws.clients import aws_errors
    from lakehouse.aws.iam import policy_documents

    aws = _aws(args)
    try:
        with aws_errors(aws):
            trust, policy = policy_documents(aws, _bucket(args.bucket), args.database, args.account)
    except LakehouseError as exc:
        if args.account is not None:
            raise
        raise LakehouseError(
            "the policy names your AWS account: pass --account <12-digit id> to render it "
            f"offline (asking STS for it failed: {exc})"
        ) from exc
    if args.dry_run and args.account is None:
        return _dry_run_done(aws)
    print(json.dumps(trust if args.trust else policy, indent=2))
    return 0
