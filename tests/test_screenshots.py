"""Grader evidence: each image shows what validation counts, and never poses as an AWS console."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localglue.lake import Lake
from stedi.tables import TABLE_NAMES
from tests import minilake
from validation.engines.local import LocalEngine
from validation.render import QueryShot, read_sidecar, render_png, write_sidecar
from validation.screenshots import main, queries, take_screenshots
from validation.suites import load_counts

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "docs" / "screenshots"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NOT_CONSOLE = "not an AWS console screenshot"


def shot_counts(folder: Path) -> dict[str, int]:
    """table -> the COUNT(*) an image's sidecar shows."""
    counts = {}
    for table in TABLE_NAMES:
        doc = json.loads((folder / f"count_{table}.json").read_text())
        assert doc["columns"] == ["row_count"], doc["columns"]
        counts[table] = int(doc["rows"][0][0])
    return counts


def blank_consent(folder: Path, table: str) -> int:
    doc = json.loads((folder / f"{table}_blank_consent.json").read_text())
    assert doc["columns"] == ["blank_consent_rows"], doc["columns"]
    return int(doc["rows"][0][0])


def assert_consent_evidence(folder: Path) -> None:
    """Landing shows many customers without consent; trusted shows none."""
    assert blank_consent(folder, "customer_landing") > 0
    assert blank_consent(folder, "customer_trusted") == 0


def test_a_tiny_result_renders_to_a_png_whose_sidecar_round_trips(tmp_path):
    shot = QueryShot(
        name="tiny",
        title="Tiny",
        sql="SELECT 1 AS one, NULL AS nothing, 2.5 AS half",
        columns=["one", "nothing", "half"],
        rows=[[1, None, 2.5]],
        engine="local",
        engine_detail="DuckDB on the local lake /tmp/x",
        database="stedi",
        profile="rubric",
    )
    png = render_png(shot, tmp_path / "tiny.png")
    sidecar = write_sidecar(shot, tmp_path / "tiny.json")
    assert png.read_bytes()[:8] == PNG_MAGIC
    assert png.stat().st_size > 5_000  # a drawn image, not an empty canvas
    back = read_sidecar(sidecar)
    assert back == shot
    doc = json.loads(sidecar.read_text())
    assert doc["row_count"] == 1 and NOT_CONSOLE in doc["caption"]


@pytest.mark.parametrize(
    "engine, execution_id, says",
    [
        ("local", None, "from a DuckDB query on the local lake"),
        ("athena", "1a2b3c4d-0000", "Amazon Athena query (execution id 1a2b3c4d-0000)"),
    ],
)
def test_every_caption_names_the_real_engine_and_denies_being_a_console_capture(
    engine, execution_id, says
):
    shot = QueryShot("n", "t", "SELECT 1", ["x"], [[1]], engine, "d", "stedi", "rubric",
                     query_execution_id=execution_id)  # fmt: skip
    assert says in shot.to_dict()["caption"]
    assert NOT_CONSOLE in shot.to_dict()["caption"]


@pytest.mark.parametrize("profile", ["rubric", "strict"])
def test_each_grader_query_becomes_an_image_showing_the_counts_validation_expects(
    tmp_path, profile
):
    """Images from a finished lake carry the row counts the validation run expects for it."""
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, profile)
    with LocalEngine(lake) as engine:
        pngs = take_screenshots(engine, tmp_path / "shots", profile=profile)
    assert [p.stem for p in pngs] == [q.name for q in queries()]
    for png in pngs:
        assert png.read_bytes()[:8] == PNG_MAGIC
        doc = json.loads(png.with_suffix(".json").read_text())
        assert doc["engine"] == "local" and doc["profile"] == profile and doc["database"] == "stedi"
        assert doc["sql"] and doc["generated_at"] and NOT_CONSOLE in doc["caption"]
    assert shot_counts(tmp_path / "shots") == load_counts(lake, profile).counts
    assert_consent_evidence(tmp_path / "shots")


def test_the_same_sql_text_is_used_whatever_the_engine():
    """The SQL is fixed per query, so a local image and an Athena image are comparable."""
    texts = {q.name: q.sql for q in queries()}
    assert texts["count_customer_landing"] == "SELECT COUNT(*) AS row_count FROM customer_landing"
    assert len(texts) == len(TABLE_NAMES) + 3


def test_a_missing_lake_is_one_line_naming_the_fix(tmp_path, capsys):
    assert main(["--lake", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "lake not found" in err and "--lake" in err


def committed_profile() -> str:
    return json.loads((COMMITTED / "count_customer_landing.json").read_text())["profile"]


def udacity_counts(profile: str) -> dict[str, int]:
    counts = json.loads((REPO / "expectations" / "counts.json").read_text())
    return {k: int(v) for k, v in counts["stedi-udacity"][profile].items()}


def test_committed_screenshots_show_the_graders_counts_for_the_shared_data():
    """docs/screenshots/ is the evidence a grader reads: it must show stedi-udacity's counts."""
    for query in queries():
        if query.shows_rows:
            continue
        assert (COMMITTED / f"{query.name}.png").read_bytes()[:8] == PNG_MAGIC
        doc = json.loads((COMMITTED / f"{query.name}.json").read_text())
        assert doc["dataset"] == "stedi-udacity" and NOT_CONSOLE in doc["caption"]
    assert shot_counts(COMMITTED) == udacity_counts(committed_profile())
    assert_consent_evidence(COMMITTED)


def test_committed_screenshots_copy_no_rows_of_the_shared_data():
    """The shared data never enters the repo: committed images hold counts only."""
    allowed = {q.name for q in queries() if not q.shows_rows}
    committed = {p.stem for p in COMMITTED.iterdir() if p.suffix in (".png", ".json")}
    assert committed == allowed
    for name in allowed:
        doc = json.loads((COMMITTED / f"{name}.json").read_text())
        assert len(doc["rows"]) == 1 and all(isinstance(v, int) for v in doc["rows"][0])


def test_no_rows_mode_skips_and_removes_the_row_images(tmp_path):
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, "rubric")
    out = tmp_path / "shots"
    with LocalEngine(lake) as engine:
        take_screenshots(engine, out, profile="rubric")
        assert (out / "machine_learning_curated_sample.png").is_file()
        pngs = take_screenshots(engine, out, profile="rubric", rows=False)
    assert {p.stem for p in pngs} == {q.name for q in queries() if not q.shows_rows}
    assert not list(out.glob("machine_learning_curated_sample.*"))


@pytest.fixture
def shared_lake_rubric(shared_lake) -> Lake:
    """The shared STEDI data through the rubric jobs, as the committed images were made."""
    return shared_lake("rubric")


@pytest.mark.e2e
def test_screenshots_regenerated_from_the_shared_data_match_the_committed_ones(
    tmp_path, shared_lake_rubric
):
    with LocalEngine(shared_lake_rubric) as engine:
        take_screenshots(engine, tmp_path, profile="rubric", rows=False)
    assert shot_counts(tmp_path) == shot_counts(COMMITTED) == udacity_counts("rubric")
    for table in ("customer_landing", "customer_trusted"):
        assert blank_consent(tmp_path, table) == blank_consent(COMMITTED, table)


# -- Athena (moto server: it runs no SQL, it returns seeded results) -----------------------
@pytest.fixture(scope="module")
def moto_athena():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def seed_athena(endpoint: str, header: str, value: str) -> None:
    """Queue one single-cell bigint result for the next Athena query."""
    import urllib.request

    body = {
        "region": "us-east-1",
        "results": [
            {
                "rows": [{"Data": [{"VarCharValue": header}]}, {"Data": [{"VarCharValue": value}]}],
                "column_info": [
                    {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": header,
                     "Label": header, "Type": "bigint", "Precision": 19, "Scale": 0,
                     "Nullable": "UNKNOWN", "CaseSensitive": False}
                ],
            }
        ],
    }  # fmt: skip
    request = urllib.request.Request(
        f"{endpoint}/moto-api/static/athena/query-results",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request)


@pytest.mark.aws
def test_athena_images_carry_the_query_execution_id_and_the_same_sql(
    moto_athena, tmp_path, monkeypatch
):
    import boto3

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    shown = [q for q in queries() if not q.shows_rows]
    for i, query in enumerate(shown):
        seed_athena(moto_athena, "row_count" if query.name.startswith("count_") else "n", str(i))
    argv = ["--engine", "athena", "--no-rows", "--out", str(tmp_path), "--region", "us-east-1",
            "--athena-output", "s3://athena-results/stedi/", "--athena-workgroup", "primary",
            "--endpoint-url", moto_athena]  # fmt: skip
    assert main(argv) == 0
    athena = boto3.client("athena", region_name="us-east-1", endpoint_url=moto_athena)
    for i, query in enumerate(shown):
        doc = json.loads((tmp_path / f"{query.name}.json").read_text())
        sent = athena.get_query_execution(QueryExecutionId=doc["query_execution_id"])
        assert sent["QueryExecution"]["Query"] == query.sql
        assert doc["rows"] == [[i]] and doc["engine"] == "athena" and doc["database"] == "stedi"
        assert f"execution id {doc['query_execution_id']}" in doc["caption"]
        assert doc["engine_detail"] == "Amazon Athena, workgroup primary, region us-east-1"
