"""The Glue Studio-style corpus (tests/glue_corpus/): each script runs unchanged through the
runner and its output equals what DuckDB computes from the same input.

Each `NN_name.py` (written for this project in the styles of Glue 3, 4 and 5 Studio exports)
has a `NN_name.json` beside it:

  output    the s3:// folder the script writes
  format    json | parquet | csv: how DuckDB reads the output back
  expected  DuckDB SQL over the input giving the expected rows (column names included)
  table     (optional) the catalog table the sink must have created or updated there
  files     (optional) a regex every output file name must match (Glue's names, codecs)
  register  (optional) a catalog table to create first (a Data Catalog target)

Input: tests/glue_corpus/landing/ (synthetic records in the STEDI landing shape), copied to
s3://corpus-lake/<source>/landing/ and registered as stedi.<source>_landing as a crawler
would. DuckDB sees it as views `customer`, `accelerometer`, `step_trainer` (file key
names, which catalog reads keep too), `*_lc` (lower-case names, as a SQL or ApplyMapping node
spelling them so gives) and `customer_raw` (one JSON object per record, to ask which keys a
record has).
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import json
import math
import re
import shutil
from pathlib import Path

import duckdb
import pytest

CORPUS = Path(__file__).parent / "glue_corpus"
SCRIPTS = sorted(CORPUS.glob("[0-9][0-9]_*.py"))
SOURCES = ("customer", "accelerometer", "step_trainer")
BUCKET = "corpus-lake"


def test_the_corpus_has_at_least_twenty_scripts_in_three_glue_styles():
    assert len(SCRIPTS) >= 20
    styles = {p.stem.split("_")[1] for p in SCRIPTS}
    assert styles == {"g3", "g4", "g5"}


@pytest.fixture(scope="module")
def duck():
    con = duckdb.connect()
    for source in SOURCES:
        files = str(CORPUS / "landing" / source / "*.json")
        con.execute(f"create view {source} as select * from read_json_auto('{files}')")
        cols = [r[0] for r in con.execute(f"describe {source}").fetchall()]
        lowered = ", ".join(f'"{c}" as "{c.lower()}"' for c in cols)
        con.execute(f"create view {source}_lc as select {lowered} from {source}")
    raw = str(CORPUS / "landing" / "customer" / "*.json")
    con.execute(f"create view customer_raw as select json from read_json_objects('{raw}')")
    return con


@pytest.fixture
def corpus_lake(lake):
    from lakehouse.cli.crawl import crawl

    for source in SOURCES:
        target = lake.root / BUCKET / source / "landing"
        shutil.copytree(CORPUS / "landing" / source, target)
        crawl(f"s3://{BUCKET}/{source}/landing/", lake, "stedi", f"{source}_landing")
    return lake


def _rows(con, sql: str) -> tuple[list[str], list[tuple]]:
    rel = con.sql(sql)
    return list(rel.columns), [tuple(_norm(v) for v in row) for row in rel.fetchall()]


def _norm(value):
    """Spark writes JSON dates as the strings they were; DuckDB infers dates from them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    return value


def _readable(files: list[Path], tmp: Path) -> list[str]:
    """DuckDB reads gzip itself; bzip2 (Glue's other text codec) is unpacked first."""
    out = []
    for f in files:
        if f.suffix == ".bz2":
            plain = tmp / (f.name[:-4] + ".json")
            plain.write_bytes(bz2.decompress(f.read_bytes()))
            out.append(str(plain))
        elif f.suffix == ".gz":
            plain = tmp / (f.name[:-3] + ".txt")
            plain.write_bytes(gzip.decompress(f.read_bytes()))
            out.append(str(plain))
        else:
            out.append(str(f))
    return out


def _output_sql(folder: Path, fmt: str, tmp: Path) -> tuple[str, list[Path]]:
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith((".", "_")) and "/." not in str(p)
    )
    assert files, f"the script wrote nothing under {folder}"
    listed = "[" + ", ".join(f"'{f}'" for f in _readable(files, tmp)) + "]"
    if fmt == "parquet":
        hive = ", hive_partitioning=true" if any("=" in p.parent.name for p in files) else ""
        return f"select * from read_parquet({listed}, union_by_name=true{hive})", files
    if fmt == "csv":
        return f"select * from read_csv_auto({listed}, header=true)", files
    return (
        f"select * from read_json_auto({listed}, format='newline_delimited', union_by_name=true)",
        files,
    )


def _register(lake, spec: dict, location: str) -> None:
    from localglue.catalog import Catalog, make_table_input

    Catalog(lake).upsert_table(
        "stedi", make_table_input(spec["table"], location, [], spec["format"])
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_corpus_script_output_equals_duckdb_on_the_same_input(
    spark, corpus_lake, duck, tmp_path, script
):
    from localglue.catalog import Catalog, table_columns, table_location
    from localglue.runner import run_script

    meta = json.loads(script.with_suffix(".json").read_text())
    if "register" in meta:
        _register(corpus_lake, meta["register"], meta["output"])
    result = run_script(script, ["--JOB_NAME", script.stem], corpus_lake, spark=spark)
    assert result.ok, result.failure()

    folder = Path(corpus_lake.local_path(meta["output"]))
    sql, files = _output_sql(folder, meta["format"], tmp_path)
    got_cols, got = _rows(duck, sql)
    want_cols, want = _rows(duck, meta["expected"])
    assert sorted(got_cols) == sorted(want_cols)
    order = [got_cols.index(c) for c in want_cols]
    got = [tuple(row[i] for i in order) for row in got]
    assert sorted(got, key=repr) == sorted(want, key=repr)
    if "files" in meta:
        names = [f.name for f in files]
        assert all(re.fullmatch(meta["files"], n) for n in names), names
    if "table" in meta:
        database, name = meta["table"].split(".")
        table = Catalog(corpus_lake).get_table(database, name)
        assert table_location(table) == meta["output"]
        assert sorted(c for c, _ in table_columns(table)) == sorted(c.lower() for c in want_cols)
