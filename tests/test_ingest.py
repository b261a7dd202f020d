"""`ingest`: landing files into the lake (idempotent), landing tables from the DDL, identity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lakehouse.cli import main as cli_main
from localglue.catalog import Catalog, table_columns, table_format, table_location
from localglue.errors import LakehouseError
from stedi.generator import generate
from stedi.ingest import SOURCES, ingest
from stedi.pipeline import count_rows

REPO = Path(__file__).resolve().parents[1]
LANDING = {
    "customer": "customer_landing",
    "accelerometer": "accelerometer_landing",
    "step_trainer": "step_trainer_landing",
}


@pytest.fixture
def sample(tmp_path) -> Path:
    generate(tmp_path / "sample", 20, seed=4)
    return tmp_path / "sample"


def _landing(lake, source) -> dict[str, bytes]:
    folder = Path(lake.local_path(f"s3://stedi-lake-house/{source}/landing/"))
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


def _source(src, source) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((src / source / "landing").glob("*.json"))}


def test_ingest_copies_every_landing_file_to_its_s3_folder(sample, lake):
    ingest(sample, lake)
    for source in SOURCES:
        assert _landing(lake, source) == _source(sample, source)


def test_reingesting_the_same_files_duplicates_nothing(sample, lake):
    ingest(sample, lake)
    before = {t: count_rows(lake, t) for t in LANDING.values()}
    report = ingest(sample, lake)
    assert not report.copied and all(report.skipped.values())
    assert {t: count_rows(lake, t) for t in LANDING.values()} == before


def test_landing_mirrors_the_source_after_files_change(sample, lake):
    ingest(sample, lake)
    first, second = sorted((sample / "accelerometer" / "landing").glob("*.json"))[:2]
    first.write_text(first.read_text().splitlines(keepends=True)[0])  # a new version of a file
    second.unlink()  # a file the source no longer has
    report = ingest(sample, lake)
    assert report.copied["accelerometer"] == [first.name]
    assert report.removed["accelerometer"] == [second.name]
    assert _landing(lake, "accelerometer") == _source(sample, "accelerometer")


def test_ingesting_another_dataset_replaces_the_first(tmp_path, lake):
    generate(tmp_path / "a", 30, seed=1)
    generate(tmp_path / "b", 10, seed=2)
    ingest(tmp_path / "a", lake)
    report = ingest(tmp_path / "b", lake)
    assert any("replaced dataset" in line for line in report.lines())
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    for table in LANDING.values():
        assert count_rows(lake, table) == manifest["expected_counts"]["rubric"][table]


def test_dataset_identity_carries_the_manifest_counts(sample, lake):
    ingest(sample, lake)
    dataset = json.loads((lake.root / "_dataset.json").read_text())
    manifest = json.loads((sample / "manifest.json").read_text())
    assert dataset == {
        "name": "stedi-synthetic-n20-s4",
        "source": str(sample.resolve()),
        "expected_counts": manifest["expected_counts"],
    }


def test_dataset_without_manifest_is_named_after_its_folder(sample, lake, tmp_path):
    plain = tmp_path / "stedi-udacity"
    shutil.copytree(sample, plain, ignore=shutil.ignore_patterns("manifest.json"))
    ingest(plain, lake)
    dataset = json.loads((lake.root / "_dataset.json").read_text())
    assert (dataset["name"], dataset["expected_counts"]) == ("stedi-udacity", None)


# -- landing tables from the DDL ---------------------------------------------------------------

EXPECTED_TYPES = {
    "customer_landing": {
        "customername": "string",
        "email": "string",
        "phone": "string",
        "birthday": "string",
        "serialnumber": "string",
        "registrationdate": "bigint",
        "lastupdatedate": "bigint",
        "sharewithresearchasofdate": "bigint",
        "sharewithpublicasofdate": "bigint",
        "sharewithfriendsasofdate": "bigint",
    },
    "accelerometer_landing": {
        "user": "string",
        "timestamp": "bigint",
        "x": "double",
        "y": "double",
        "z": "double",
    },
    "step_trainer_landing": {
        "sensorreadingtime": "bigint",
        "serialnumber": "string",
        "distancefromobject": "int",
    },
}


@pytest.mark.parametrize("source", SOURCES)
def test_landing_table_is_registered_from_the_ddl(sample, lake, source):
    ingest(sample, lake)
    table = Catalog(lake).get_table("stedi", LANDING[source])
    assert table_location(table) == f"s3://stedi-lake-house/{source}/landing/"
    assert table_format(table) == "json"
    serde = table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"]
    assert serde == "org.openx.data.jsonserde.JsonSerDe"
    assert dict(table_columns(table)) == EXPECTED_TYPES[LANDING[source]]


@pytest.mark.parametrize("source", SOURCES)
def test_ddl_declares_every_json_field_of_the_real_data(shared_data, source):
    """The rubric: the DDL includes all JSON fields, typed (not everything a string)."""
    keys = set()
    for f in sorted((shared_data / source / "landing").glob("*.json")):
        with f.open() as fh:
            for line in fh:
                keys |= {k.lower() for k in json.loads(line)}
    assert keys == set(EXPECTED_TYPES[LANDING[source]])
    ddl = (REPO / "sql" / f"{LANDING[source]}.sql").read_text()
    assert f"LOCATION 's3://stedi-lake-house/{source}/landing/'" in ddl


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_a_missing_source_folder_is_named_in_the_error(sample, lake, source):
    shutil.rmtree(sample / source)
    with pytest.raises(LakehouseError, match=rf"{source}/landing is missing"):
        ingest(sample, lake)
    assert not (lake.root / "_dataset.json").exists(), "nothing half-ingested"


def test_an_empty_source_folder_is_an_error(sample, lake):
    for f in (sample / "customer" / "landing").glob("*.json"):
        f.unlink()
    with pytest.raises(LakehouseError, match="has no \\*.json files"):
        ingest(sample, lake)


def test_ingest_command_prints_one_line_and_exits_2_on_a_missing_folder(tmp_path, capsys):
    assert cli_main(["ingest", str(tmp_path / "nowhere"), "--lake", str(tmp_path / "lake")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "does not exist" in err


def test_ingest_command_reports_what_it_did(sample, tmp_path, capsys):
    assert cli_main(["ingest", str(sample), "--lake", str(tmp_path / "lake")]) == 0
    out = capsys.readouterr().out
    assert "ingested stedi-synthetic-n20-s4" in out and "stedi.customer_landing" in out
