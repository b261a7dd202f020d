"""Structural performance of the JSON source: how many Spark jobs a read costs, and that the
in-process scan of small files (localglue/json_scan.py) decides exactly what Spark would.

Job counts come from Spark's status tracker, never from wall time. The equivalence cases put
the same lines through the scan and through Spark's own inference and choice detection.
"""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localglue import json_scan, json_source
from localglue.helper_process import HelperProcess

BUCKET = "stedi-lake-house"


def jobs_run(spark, action) -> int:
    tracker = spark.sparkContext.statusTracker()
    before = set(tracker.getJobIdsForGroup())
    action()
    return len(set(tracker.getJobIdsForGroup()) - before)


def write_lines(path, *records) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return str(path)


def spark_decision(spark, files):
    """What the Spark-only path infers: schema (first-seen order) and choices."""
    records = json_source._records(spark, files, False, None)
    schema = json_source._first_seen_order(records, spark.read.json(files).schema)
    return schema, json_source._detect_choices(records, json_source._data_schema(schema))


SAME_AS_SPARK = {
    "flat records, keys missing in some": [
        {"customerName": "A", "serialNumber": "s1", "shareWithResearchAsOfDate": 1655564376361},
        {"customerName": "B", "serialNumber": "s2"},
        {"serialNumber": "s3", "customerName": None, "extra": True},
    ],
    "long and double widen to double, a choice": [
        {"x": 1, "y": 0.5},
        {"x": 2.5, "y": -1.25},
    ],
    "number and string in one field, a choice": [
        {"phone": "555-0100", "id": 1},
        {"phone": 5550101, "id": 2},
    ],
    "boolean and number mix to string": [{"flag": True}, {"flag": 3}, {"flag": None}],
    "an empty string counts as null": [{"a": False, "b": ""}, {"a": "", "b": ""}],
    "only nulls is a string": [{"a": None, "b": 1}, {"a": None, "b": 2}],
    "empty objects and blank lines": [{}, "", "   ", {"a": "x"}],
    "a NaN word in a string field": [{"v": "NaN", "w": "x"}, {"v": "ok", "w": "y"}],
    "strings that look like dates, numbers, booleans stay strings": [
        {"d": "2023-01-01", "t": "2023-01-01T00:00:00Z", "n": "1.5", "b": "true"},
        {"d": "2023-01-02", "t": "2023-01-02 10:00:00", "n": "2", "b": "false"},
    ],
    "dates as floats next to epoch longs": [
        {"birthDay": 1655564376361.0, "lastUpdateDate": 1655564376361},
        {"birthDay": 1655564376361, "lastUpdateDate": 1655564376362},
    ],
}


@pytest.mark.parametrize("case", list(SAME_AS_SPARK), ids=list(SAME_AS_SPARK))
def test_the_scan_infers_what_spark_infers(spark, tmp_path, case):
    """Spark's JSON schema inference (sorted fields, long+double -> double, other mixes ->
    string, null-only -> string) and first-seen key order, reproduced in process."""
    files = [write_lines(tmp_path / "a.json", *SAME_AS_SPARK[case])]
    found = json_scan.scan(files)
    assert found is not None
    schema, choices = spark_decision(spark, files)
    assert found.schema == spark.read.json(files).schema
    assert json_source._first_seen_order(None, found.schema, order=found.order) == schema
    if not found.maybe_choices:
        assert choices == {}


def test_the_scan_reads_files_in_order_for_first_seen_keys(spark, tmp_path):
    files = [
        write_lines(tmp_path / "1.json", {"zeta": 1, "alpha": 2}),
        write_lines(tmp_path / "2.json", {"mid": 3, "zeta": 4}),
    ]
    assert json_scan.scan(files).order == ["zeta", "alpha", "mid"]


LEFT_TO_SPARK = {
    "nested object": [{"a": {"b": 1}}],
    "array value": [{"a": [1, 2]}],
    "not an object": [{"a": 1}, "this is not json"],
    "top-level array": ['[{"a": 1}]'],
    "single quotes (Spark accepts them)": ["{'a': 1}"],
    "trailing text": ['{"a": 1} tail'],
    "whole number beyond a long": ['{"a": 123456789012345678901234567890}'],
    "NaN literal": ['{"a": NaN}'],
    "indented record": ['\t{"a": 1}'],
    "names differing only in case": [{"a": 1, "A": 2}],
}


@pytest.mark.parametrize("case", list(LEFT_TO_SPARK), ids=list(LEFT_TO_SPARK))
def test_records_the_scan_does_not_reproduce_are_left_to_spark(tmp_path, case):
    files = [write_lines(tmp_path / "a.json", *LEFT_TO_SPARK[case])]
    assert json_scan.scan(files) is None


def test_compressed_and_big_inputs_are_left_to_spark(tmp_path):
    gz = tmp_path / "a.json.gz"
    gz.write_bytes(gzip.compress(b'{"a": 1}\n'))
    plain = write_lines(tmp_path / "b.json", {"a": 1})
    assert json_scan.scan([str(gz)]) is None
    assert json_scan.scan([plain], max_bytes=1) is None
    assert json_scan.scan([plain]) is not None


@pytest.fixture
def glue(spark, lake):
    from localglue.awsglue.context import GlueContext
    from localglue.lake import using

    json_source.clear_cache()
    with using(lake):
        yield GlueContext(spark.sparkContext)
    json_source.clear_cache()


def from_options(glue):
    return glue.create_dynamic_frame.from_options(
        connection_type="s3",
        format="json",
        connection_options={"paths": [f"s3://{BUCKET}/landing/"], "recurse": True},
        format_options={"multiLine": "false"},
        transformation_ctx="src",
    )


def test_a_small_plain_source_costs_no_spark_job_before_its_first_action(spark, glue, lake):
    write_lines(
        lake.root / BUCKET / "landing" / "a.json",
        {"email": "a@x", "shareWithResearchAsOfDate": 5},
        {"email": "b@x"},
    )
    frames = []
    assert jobs_run(spark, lambda: frames.append(from_options(glue))) == 0
    assert frames[0].toDF().columns == ["email", "shareWithResearchAsOfDate"]
    assert [sorted(r) for r in frames[0].records()] == [
        ["email", "shareWithResearchAsOfDate"],
        ["email"],
    ]


def test_a_possible_choice_still_runs_spark_choice_detection(spark, glue, lake):
    write_lines(lake.root / BUCKET / "landing" / "a.json", {"phone": "555"}, {"phone": 556})
    frames = []
    assert jobs_run(spark, lambda: frames.append(from_options(glue))) > 0
    assert frames[0].schema().fields[0].dataType.typeName() == "choice"


def test_a_big_source_is_inferred_by_spark_without_a_listing_job(spark, glue, lake, monkeypatch):
    """Many files: listing stays on the driver (no distributed listing job); Spark infers
    the schema in one job and looks for choices in one aggregate (two jobs with AQE)."""
    monkeypatch.setattr(json_scan, "MAX_BYTES", 0)
    for i in range(40):
        write_lines(lake.root / BUCKET / "landing" / f"{i:02d}.json", {"id": i, "name": f"n{i}"})
    frames = []
    assert jobs_run(spark, lambda: frames.append(from_options(glue))) == 3
    assert frames[0].count() == 40


# -- any flat records: the scan and Spark agree --------------------------------------------

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
    st.sampled_from(sorted(json_scan.NUMBER_WORDS)),
)
_RECORDS = st.lists(
    st.dictionaries(st.sampled_from(["a", "b", "cc", "Zed", "é"]), _VALUES, max_size=5),
    min_size=1,
    max_size=8,
)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=_RECORDS)
def test_the_scan_agrees_with_spark_on_any_flat_records(spark, tmp_path_factory, records):
    files = [write_lines(tmp_path_factory.mktemp("scan") / "a.json", *records)]
    found = json_scan.scan(files)
    assert found is not None
    schema, choices = spark_decision(spark, files)
    assert json_source._first_seen_order(None, found.schema, order=found.order) == schema
    if not found.maybe_choices:
        assert choices == {}


@pytest.mark.parametrize(
    "records",
    [
        [{"user": "a@x", "timestamp": 1, "x": 0.5}, {"user": "b@x", "timestamp": 2, "x": None}],
        [{"user": "a@x", "timestamp": 1}, "", {"timestamp": 2, "user": "b@x"}],
        [{"ok": "", "n": 1, "s": "x"}, {"ok": True, "n": "", "s": ""}],
        [{"email": "a@x", "consent": 5}, {"email": "b@x"}],  # an absent key: text path
    ],
    ids=["every key everywhere", "blank line and other key order", "empty strings", "absent key"],
)
def test_the_fast_json_read_gives_the_rows_the_spark_path_gives(
    spark, glue, lake, monkeypatch, records
):
    """Small complete sources are read by Spark's JSON source; the frame (columns, rows,
    keys per record) equals the one the inference path builds from the raw text."""
    write_lines(lake.root / BUCKET / "landing" / "a.json", *records)
    fast = from_options(glue)
    json_source.clear_cache()
    monkeypatch.setattr(json_scan, "MAX_BYTES", 0)
    slow = from_options(glue)
    assert fast.toDF().columns == slow.toDF().columns
    assert fast.toDF().schema == slow.toDF().schema
    assert sorted(map(json.dumps, fast.records())) == sorted(map(json.dumps, slow.records()))


def test_files_read_by_two_helper_processes_give_the_same_scan(tmp_path, monkeypatch):
    """Above PARALLEL_BYTES the files are shared between two helper processes: the schema,
    the first-seen key order (across files, in file order), the choice hint and completeness
    come out as one process gives them, and a file Spark must decide still means None."""
    files = [
        write_lines(tmp_path / f"{i}.json", *rows)
        for i, rows in enumerate(
            [
                [{"zeta": 1, "alpha": "a"}] * 60,
                [{"mid": 2.5, "zeta": 3}] * 60,
                [{"alpha": 7, "extra": None}],
            ]
        )
    ]
    alone = json_scan.scan(files)
    submitted = []
    submit = HelperProcess.submit
    monkeypatch.setattr(json_scan, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(
        HelperProcess, "submit", lambda self, fn, *a: submitted.append(a) or submit(self, fn, *a)
    )
    assert json_scan.scan(files) == alone
    assert len(submitted) == len(files)
    unusual = [*files, write_lines(tmp_path / "nested.json", {"a": {"b": 1}})]
    assert json_scan.scan(unusual) is None
