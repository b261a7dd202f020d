"""The Athena engine against a moto SERVER (a real HTTP endpoint on loopback).

Plainly: moto runs NO SQL. Its Athena returns whatever results were seeded through its
backend API (POST /moto-api/static/athena/query-results), in order. So these tests cover
what we control: the connection settings (options and environment), the exact SQL text
sent (the count SQL is the same text the local DuckDB engine runs), the workgroup, database
and result location of each query, and the parsing of Athena's results (DB-API and the
SQLAlchemy dialect awsathena+rest://). The checks' logic is covered on DuckDB.
"""

from __future__ import annotations

import json
import urllib.request

import boto3
import pytest

from localglue.errors import LakehouseError
from validation.engines.athena import AthenaEngine, AthenaSettings
from validation.engines.base import count_sql

pytestmark = pytest.mark.aws
REGION = "us-east-1"


@pytest.fixture(scope="module")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(monkeypatch, moto_endpoint):
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(key, value)
    for key in (
        "ATHENA_DATABASE",
        "ATHENA_WORKGROUP",
        "ATHENA_OUTPUT_LOCATION",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(key, raising=False)
    # Forget results queued (and not consumed) by an earlier test.
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"))
    return moto_endpoint


def seed(endpoint: str, rows: list[list[str]], types: list[str] | None = None) -> None:
    """Queue one Athena result; the first row is the header, as Athena returns it, and the
    column info has the fields Athena sends (pyathena reads Type, Precision and Scale)."""
    types = types or ["varchar"] * len(rows[0])
    body = {
        "region": REGION,
        "results": [
            {
                "rows": [{"Data": [{"VarCharValue": v} for v in row]} for row in rows],
                "column_info": [
                    {
                        "CatalogName": "hive",
                        "SchemaName": "",
                        "TableName": "",
                        "Name": name,
                        "Label": name,
                        "Type": type_,
                        "Precision": 19 if type_ == "bigint" else 2147483647,
                        "Scale": 0,
                        "Nullable": "UNKNOWN",
                        "CaseSensitive": type_ == "varchar",
                    }
                    for name, type_ in zip(rows[0], types, strict=True)
                ],
            }
        ],
    }
    req = urllib.request.Request(
        f"{endpoint}/moto-api/static/athena/query-results",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(req)


def executions(endpoint: str, workgroup: str = "primary") -> list[dict]:
    athena = boto3.client("athena", region_name=REGION, endpoint_url=endpoint)
    ids = athena.list_query_executions(WorkGroup=workgroup)["QueryExecutionIds"]
    return [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"] for i in ids]


def engine(endpoint: str, **overrides) -> AthenaEngine:
    options = {
        "database": "stedi",
        "region": REGION,
        "output_location": "s3://athena-results/stedi/",
        "workgroup": "primary",
        "endpoint_url": endpoint,
        **overrides,
    }
    return AthenaEngine.from_options(**options)


def test_the_count_check_sends_the_local_engines_sql_and_returns_the_number_athena_answers(aws):
    """What this pins: the SQL text sent, and that the answer is read from Athena's result
    (moto replays seeded results in order and runs no SQL: the numbers are arbitrary, not
    counts of any table; two queries, two different answers, so a constant cannot pass)."""
    seed(aws, [["row_count"], ["7301"]], ["bigint"])
    seed(aws, [["row_count"], ["12"]], ["bigint"])
    with engine(aws) as athena:
        assert athena.count("customer_trusted") == 7301
        assert athena.count("step_trainer_trusted") == 12
    sent = [e["Query"] for e in executions(aws)]
    assert sorted(sent) == sorted(
        count_sql(t) for t in ("customer_trusted", "step_trainer_trusted")
    )
    assert count_sql("customer_trusted") == "SELECT COUNT(*) AS row_count FROM customer_trusted"
    sent = next(e for e in executions(aws) if "customer_trusted" in e["Query"])
    assert sent["QueryExecutionContext"]["Database"] == "stedi"
    assert sent["WorkGroup"] == "primary"
    assert sent["ResultConfiguration"]["OutputLocation"].startswith("s3://athena-results/stedi/")


def test_settings_come_from_the_environment_when_no_option_is_given(aws, monkeypatch):
    monkeypatch.setenv("ATHENA_DATABASE", "stedi_env")
    monkeypatch.setenv("ATHENA_WORKGROUP", "primary")
    monkeypatch.setenv("ATHENA_OUTPUT_LOCATION", "s3://env-results/")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", aws)
    seed(aws, [["row_count"], ["7"]], ["bigint"])
    with AthenaEngine.from_options() as athena:
        assert athena.count("step_trainer_trusted") == 7
    (sent,) = executions(aws)
    assert sent["QueryExecutionContext"]["Database"] == "stedi_env"
    assert sent["ResultConfiguration"]["OutputLocation"].startswith("s3://env-results/")


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"region": REGION, "output_location": "s3://r/"}, "ATHENA_DATABASE"),
        ({"database": "stedi", "output_location": "s3://r/"}, "AWS_REGION"),
        ({"database": "stedi", "region": REGION}, "ATHENA_OUTPUT_LOCATION"),
    ],
    ids=["database", "region", "result-location"],
)
def test_missing_athena_settings_are_named(aws, options, named):
    with pytest.raises(LakehouseError, match=named):
        AthenaSettings.resolve(**options)


def test_the_cli_exits_2_naming_the_missing_athena_settings(aws, tmp_path, capsys):
    from validation.run import main

    assert main(["--engine", "athena", "--lake", str(tmp_path / "lake"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "Athena settings missing" in err and "ATHENA_DATABASE" in err and "AWS_REGION" in err


def test_the_sqlalchemy_dialect_url_reaches_the_same_endpoint_and_parses_rows(aws):
    """GX's datasource uses this URL: awsathena+rest:// with schema, staging dir, workgroup."""
    import sqlalchemy as sa

    url = engine(aws).gx_connection_string()
    assert url.startswith(f"awsathena+rest://@athena.{REGION}.amazonaws.com:443/stedi?")
    seed(aws, [["email", "n"], ["a@test.com", "2"]], ["varchar", "bigint"])
    sa_engine = sa.create_engine(url)
    with sa_engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT email, COUNT(*) AS n FROM customer_trusted GROUP BY email"
        ).fetchall()
    sa_engine.dispose()
    assert [tuple(r) for r in rows] == [("a@test.com", 2)]
    (sent,) = executions(aws)
    assert sent["Query"] == "SELECT email, COUNT(*) AS n FROM customer_trusted GROUP BY email"
    assert sent["QueryExecutionContext"]["Database"] == "stedi"


def test_sample_rows_of_a_failed_sql_check_are_fetched_with_the_batch_replaced_by_the_table(aws):
    from validation.run import _sample_unexpected_rows

    seed(
        aws,
        [["user", "timestamp"], ["Nobody.Known@test.com", "1655564000000"]],
        ["varchar", "bigint"],
    )
    entry = {
        "kwargs": {
            "unexpected_rows_query": 'SELECT t.* FROM {batch} t LEFT JOIN customer_trusted c ON c.email = t."user" WHERE c.email IS NULL'
        },
        "sample": [],
    }
    with engine(aws) as athena:
        _sample_unexpected_rows(athena, "accelerometer_trusted", entry)
    assert entry["sample"] == [{"user": "Nobody.Known@test.com", "timestamp": 1655564000000}]
    (sent,) = executions(aws)
    assert "FROM accelerometer_trusted t LEFT JOIN customer_trusted c" in sent["Query"]
    assert sent["Query"].endswith("LIMIT 3")


def test_the_table_list_comes_from_the_glue_catalog(aws):
    glue = boto3.client("glue", region_name=REGION, endpoint_url=aws)
    glue.create_database(DatabaseInput={"Name": "stedi"})
    glue.create_table(DatabaseName="stedi", TableInput={"Name": "customer_trusted"})
    with engine(aws) as athena:
        assert athena.tables() == ["customer_trusted"]
    with (
        engine(aws, database="nope") as athena,
        pytest.raises(LakehouseError, match="'nope' not found"),
    ):
        athena.tables()


@pytest.mark.slow  # a GX checkpoint: the module's only test of a minute under load
def test_gx_runs_its_suite_through_the_athena_dialect_and_sends_the_suite_sql(aws, tmp_path):
    """GX's SQL datasource on awsathena+rest:// reaches Athena (here: moto) with the suite's
    SQL, {batch} replaced by the table. moto runs no SQL, so the expectations themselves
    fail here; what is pinned is that the GX path connects and what it sends."""
    from validation.gx_runner import run_checkpoint
    from validation.suites import load_suite

    glue = boto3.client("glue", region_name=REGION, endpoint_url=aws)
    glue.create_database(DatabaseInput={"Name": "stedi"})
    glue.create_table(
        DatabaseName="stedi",
        TableInput={
            "Name": "customer_trusted",
            "StorageDescriptor": {
                "Columns": [{"Name": "email", "Type": "string"}],
                "Location": "s3://b/c/",
            },
        },
    )
    suite = load_suite("customer_trusted", "rubric")
    with engine(aws) as athena:
        results, docs = run_checkpoint(athena, [suite], tmp_path / "reports", "rubric")
    assert len(results["customer_trusted"].results) == suite.loaded
    sent = [e["Query"] for e in executions(aws)]
    privacy = next(
        e for e in suite.suite.expectations if e.meta["name"] == "privacy.only_consenting_customers"
    )
    tail = privacy.unexpected_rows_query.split("{batch} t", 1)[1]
    assert any("FROM customer_trusted" in q and tail in q for q in sent)
    assert all(e["QueryExecutionContext"]["Database"] == "stedi" for e in executions(aws))
    assert docs is not None and docs.is_file()
