"""FileSize and FileFreshness on the lake's files, checked against DuckDB's own listing of
the same files (read_blob: size and last_modified)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from localglue import dqdl
from localglue.lake import Lake, OutsideLakeError, using

NOW = datetime(2024, 1, 4, 12, 0)
FILES = {  # name: (bytes, hours before NOW it was last modified)
    "small.csv": (10, 1),
    "middle.csv": (2000, 23),
    "large.json": (5 * 1024, 30),
}


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    lake = Lake(tmp_path_factory.mktemp("files") / "lake")
    drop = lake.root / "files" / "drop"
    (drop / "_temporary").mkdir(parents=True)
    (drop / "_SUCCESS").write_bytes(b"")
    (drop / "_temporary" / "part-0").write_bytes(b"x" * 99)
    for name, (size, age) in FILES.items():
        path = drop / name
        path.write_bytes(b"x" * size)
        stamp = (NOW - timedelta(hours=age)).replace(tzinfo=UTC).timestamp()
        os.utime(path, (stamp, stamp))
    return lake


@pytest.fixture(scope="module")
def duck(lake):
    """DuckDB's listing of the visible files: file name, size, last modified (UTC)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(
        "create table f as select parse_filename(filename) as file_name, size, "
        f"last_modified::timestamp as modified from read_blob('{lake.root}/files/drop/*.*')"
    )
    return con


def evaluate(spark, lake, rules: list[str], df=None) -> list[dqdl.Outcome]:
    with using(lake):
        return dqdl.evaluate(
            df if df is not None else spark.range(1),
            "Rules = [ " + ", ".join(rules) + " ]",
            now=NOW,
        )


@pytest.mark.parametrize(
    ("rule", "sql"),
    [
        ('FileSize "s3://files/drop/" > 5 B', "size > 5"),
        ('FileSize "s3://files/drop/" < 2 KB', "size < 2048"),
        ('FileSize "s3://files/drop/" between 1 KB and 1 MB', "size > 1024 and size < 1048576"),
        ('FileFreshness "s3://files/drop/" > (now() - 24 hours)', "modified > timestamp '2024-01-03 12:00'"),
        ('FileFreshness "s3://files/drop/" between "2024-01-03" and "2024-01-05"',
         "modified > date '2024-01-03' and modified < date '2024-01-05'"),
        ('FileFreshness "s3://files/drop/" > "10:30"', "modified > timestamp '2024-01-04 10:30'"),
    ],
)  # fmt: skip
def test_file_rule_compliance_is_the_share_of_files_duckdb_finds(spark, lake, duck, rule, sql):
    share, count = duck.execute(f"select avg(({sql})::int), count(*) from f").fetchone()
    [outcome] = evaluate(spark, lake, [rule])
    rule_type = rule.split()[0]
    assert outcome.metrics[f"Dataset.*.{rule_type}.Compliance"] == pytest.approx(share)
    assert outcome.metrics["Dataset.*.FileCount"] == count  # _SUCCESS and _temporary/ unseen
    assert outcome.passed == (share == 1.0)


def test_file_size_reports_the_smallest_and_largest_file(spark, lake, duck):
    [outcome] = evaluate(spark, lake, ['FileSize "s3://files/drop/" > 5 B'])
    lo, hi = duck.execute("select min(size), max(size) from f").fetchone()
    assert outcome.metrics["Dataset.*.MinimumFileSize"] == lo
    assert outcome.metrics["Dataset.*.MaximumFileSize"] == hi


@pytest.mark.parametrize(
    ("rule", "passed", "count"),
    [
        ('FileSize "s3://files/drop/" < 2 KB with threshold > 0.6', True, 3),
        ('FileSize "s3://files/drop/" < 2 KB with recentFiles = 2', True, 2),
        ('FileSize "s3://files/drop/" < 2 KB with uriRegex = "\\.csv$"', True, 2),
        ('FileSize "s3://files/drop/large.json" = 5 KB', True, 1),
        # A time of day is in the rule's time zone: 9:30 in New York is 14:30 UTC.
        ('FileFreshness "s3://files/drop/small.csv" > "9:30 AM"', True, 1),
        ('FileFreshness "s3://files/drop/small.csv" > "9:30 AM" with timeZone = "America/New_York"', False, 1),
    ],
)  # fmt: skip
def test_file_rule_tags_and_thresholds(spark, lake, rule, passed, count):
    [outcome] = evaluate(spark, lake, [rule])
    assert (outcome.passed, outcome.metrics["Dataset.*.FileCount"]) == (passed, count)


def test_without_a_path_a_file_rule_reads_the_files_of_the_frame(spark, lake, tmp_path):
    folder = lake.root / "files" / "json"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        (folder / f"part-{i}.json").write_text('{"a": 1}\n')
    df = spark.read.json(str(folder))
    [outcome] = evaluate(spark, lake, ["FileSize > 1 B"], df=df)
    assert (outcome.outcome, outcome.metrics["Dataset.*.FileCount"]) == ("Passed", 3)


@pytest.mark.parametrize(
    ("rule", "error", "match"),
    [
        ('FileSize "/etc/" > 1 B', OutsideLakeError, "outside the lake"),
        (
            'FileSize "s3://files/drop/" > 1 B with filterOrder = ["recentFiles"]',
            dqdl.DQDLError,
            "filterOrder",
        ),
        (
            'FileSize "s3://files/drop/" > 1 B with filterOrder = "x"',
            dqdl.DQDLError,
            "not reproduced locally",
        ),
    ],
)
def test_file_rules_stay_in_the_lake_and_refuse_unknown_tags(spark, lake, rule, error, match):
    with pytest.raises(error, match=match):
        evaluate(spark, lake, [rule])
