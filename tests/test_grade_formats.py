"""Counting and privacy-checking what Glue S3 targets write, in every format and codec, with
DuckDB and never Spark (grading.formats, grading.count, grading.privacy).

Files come from the local runtime's real sinks (every compression localglue/sinks.py writes:
JSON and CSV plain, gzip, bzip2, deflate, and snappy and lz4 in Hadoop's block framing;
Parquet snappy, gzip, uncompressed, lz4, zstd) and, for what those sinks cannot write, are
made by hand here (ORC, Avro, Brotli Parquet, LZO text, garbage). A file nothing can read
gives its table a status with a one-line reason; a privacy check that could not read its
input fails.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import duckdb
import pytest

from grading.count import FoundTable, count_tables
from grading.formats import Reader, Unreadable
from grading.privacy import check

BUCKET = "formats-lake"
ROWS = 120  # more than one Hadoop block would hold at 1 KiB; see _hadoop_frame
RECORDS = [
    {"email": f"c{i}@x", "serialNumber": f"s{i}", "shareWithResearchAsOfDate": 5 if i % 2 else None}
    for i in range(ROWS)
]
TEXT_CODECS = ["none", "gzip", "bzip2", "deflate", "snappy", "lz4"]
PARQUET_CODECS = ["snappy", "gzip", "uncompressed", "lz4", "zstd"]
SINK_CASES = [("json", c) for c in TEXT_CODECS] + [("csv", c) for c in TEXT_CODECS]
SINK_CASES += [("glueparquet", c) for c in PARQUET_CODECS] + [("parquet", "snappy")]


@pytest.fixture(scope="module")
def sink_outputs(spark, tmp_path_factory):
    """{(format, codec): files} as localglue's S3 sink writes them (compression as a Glue
    Studio S3 target sets it: connection_options for text, format_options for Parquet)."""
    from localglue.awsglue.context import GlueContext
    from localglue.awsglue.dynamicframe import DynamicFrame
    from localglue.lake import Lake, using

    lake = Lake(tmp_path_factory.mktemp("formats") / "lake")
    df = spark.createDataFrame(RECORDS, "email string, serialNumber string, "
                               "shareWithResearchAsOfDate long")  # fmt: skip
    written = {}
    with using(lake):
        glue = GlueContext(spark.sparkContext)
        frame = DynamicFrame.fromDF(df.repartition(2), glue, "customers")
        for fmt, codec in SINK_CASES:
            path = f"s3://{BUCKET}/{fmt}-{codec}/"
            text = fmt in ("json", "csv")
            glue.write_dynamic_frame.from_options(
                frame=frame,
                connection_type="s3",
                format=fmt,
                connection_options={"path": path, **({"compression": codec} if text else {})},
                format_options={} if text else {"compression": codec},
            )
            folder = Path(lake.local_path(path))
            written[fmt, codec] = sorted(str(p) for p in folder.iterdir() if p.is_file())
    return written


def count(files, text_format=None):
    with Reader() as reader:
        entry = FoundTable("customer_trusted", files=files, produced_by="job.py",
                           text_format=text_format)  # fmt: skip
        return count_tables({"customer_trusted": entry}, reader)["customer_trusted"], entry


@pytest.mark.parametrize(("fmt", "codec"), SINK_CASES, ids=[f"{f}-{c}" for f, c in SINK_CASES])
def test_every_format_and_codec_a_glue_s3_sink_writes_is_counted(sink_outputs, fmt, codec):
    files = sink_outputs[fmt, codec]
    assert files, "the sink wrote files"
    # counted from the bytes, as the grade does, whether or not the writing sink is known
    for hint in (None, fmt if fmt in ("json", "csv") else None):
        counted, entry = count(files, hint)
        assert (counted.rows, counted.status) == (ROWS, None)
    written = "parquet" if "parquet" in fmt else fmt
    assert entry.format == written
    if written != "parquet":
        assert entry.compression == codec


@pytest.mark.parametrize("codec", ["snappy", "lz4"])
def test_hadoop_block_framed_json_is_what_spark_writes_and_what_duckdb_cannot_read(
    sink_outputs, codec
):
    files = sink_outputs["json", codec]
    assert all(f.endswith(f".{codec}") for f in files), "run-...-part-r-00000.<codec>"
    head = Path(files[0]).read_bytes()[:8]
    raw_size, chunk_size = struct.unpack(">II", head)
    assert 0 < chunk_size <= Path(files[0]).stat().st_size and raw_size > 0
    with pytest.raises(duckdb.Error):  # why the grade decodes it itself
        duckdb.sql(f"select count(*) from read_json_objects('{files[0]}')").fetchall()


# -- hand-made files: what localglue's sinks cannot write ----------------------------------
def _hadoop_frame(data: bytes, compress, block: int = 1024) -> bytes:
    """Hadoop's BlockCompressorStream: per block, the raw length, then (length, bytes)."""
    out = b""
    for start in range(0, len(data), block):
        raw = data[start : start + block]
        packed = compress(raw)
        out += struct.pack(">I", len(raw)) + struct.pack(">I", len(packed)) + packed
    return out


def _lines() -> bytes:
    return "".join(json.dumps(r) + "\n" for r in RECORDS).encode()


def _table():
    import pyarrow as pa

    return pa.Table.from_pylist(RECORDS)


def _orc(path: Path, compression: str) -> None:
    import pyarrow.orc as orc

    orc.write_table(_table(), str(path), compression=compression)


def _avro(path: Path, codec: str) -> None:
    import fastavro

    schema = {"type": "record", "name": "c", "fields": [
        {"name": "email", "type": "string"}, {"name": "serialNumber", "type": "string"},
        {"name": "shareWithResearchAsOfDate", "type": ["null", "long"]}]}  # fmt: skip
    with path.open("wb") as out:
        fastavro.writer(out, schema, RECORDS, codec=codec)


def _parquet(path: Path, compression: str) -> None:
    import pyarrow.parquet as pq

    pq.write_table(_table(), path, compression=compression)


def _snappy_text(path: Path, _codec) -> None:
    import cramjam

    path.write_bytes(_hadoop_frame(_lines(), lambda b: bytes(cramjam.snappy.compress_raw(b))))


def _lz4_text(path: Path, _codec) -> None:
    import cramjam

    frame = _hadoop_frame(_lines(), lambda b: bytes(cramjam.lz4.compress_block(b, store_size=False)))  # fmt: skip
    path.write_bytes(frame)


HAND_MADE = [
    ("orc-zlib", "part-00000.orc", _orc, "zlib", "orc"),
    ("orc-snappy", "part-00000.snappy.orc", _orc, "snappy", "orc"),
    ("orc-zstd", "part-00000.zstd.orc", _orc, "zstd", "orc"),
    ("avro-null", "run-1-part-r-00000.avro", _avro, "null", "avro"),
    ("avro-deflate", "run-1-part-r-00000.avro", _avro, "deflate", "avro"),
    ("avro-snappy", "run-1-part-r-00000.avro", _avro, "snappy", "avro"),
    ("parquet-brotli", "part-00000.brotli.parquet", _parquet, "brotli", "parquet"),
    ("json-snappy-many-blocks", "run-1-part-r-00000.snappy", _snappy_text, None, "json"),
    ("json-lz4-many-blocks", "run-1-part-r-00000.lz4", _lz4_text, None, "json"),
]


@pytest.mark.parametrize(("name", "codec", "make", "option", "fmt"),
                         [(n, f, m, o, fmt) for n, f, m, o, fmt in HAND_MADE],
                         ids=[h[0] for h in HAND_MADE])  # fmt: skip
def test_orc_avro_and_other_codecs_are_counted_too(tmp_path, name, codec, make, option, fmt):
    path = tmp_path / codec
    make(path, option)
    counted, entry = count([str(path)])
    assert (counted.rows, counted.status) == (ROWS, None)
    assert entry.format == fmt


UNREADABLE = [
    ("run-1-part-r-00000.lzo", b"\x89LZO\x00\r\n\x1a\nnot really", "lzo is not readable here"),
    ("run-1-part-r-00000.snappy", struct.pack(">II", 500, 400) + b"short", "truncated"),
    ("run-1-part-r-00000", b"\x00\x01garbage, not JSON lines\x02", "run-1-part-r-00000"),
]


@pytest.mark.parametrize(("name", "data", "reason"), UNREADABLE, ids=["lzo", "cut", "garbage"])
def test_a_file_nothing_can_read_gives_its_table_a_status_and_a_one_line_reason(
    tmp_path, name, data, reason
):
    path = tmp_path / name
    path.write_bytes(data)
    counted, _ = count([str(path)], "json")
    assert (counted.rows, counted.status) == (None, "unreadable")
    assert reason in counted.reason and "\n" not in counted.reason
    with Reader() as reader, pytest.raises((Unreadable, duckdb.Error)):
        duckdb.sql(reader.count_sql([str(path)], "json")).fetchall()


def test_an_output_with_no_rows_is_zero_rows_written_by_its_job_not_missing(tmp_path):
    counted, _ = count([])
    assert (counted.rows, counted.status, counted.reason) == (
        0,
        "empty",
        "0 rows written by job.py",
    )
    with Reader() as reader:
        missing = count_tables({}, reader)["customer_trusted"]
    assert (missing.rows, missing.status) == (None, None), "not found stays missing"


# -- privacy: checked in every format, and failed when it cannot read -----------------------
@pytest.fixture
def customers(tmp_path) -> list[str]:
    """Landing: every odd customer consents (shareWithResearchAsOfDate set)."""
    path = tmp_path / "customer-landing.json"
    path.write_bytes(_lines())
    return [str(path)]


def _privacy(files, customers, fmt=None):
    entry = FoundTable("customer_trusted", files=files, produced_by="job.py", text_format=fmt)
    return check({"customer_trusted": entry}, customers)


@pytest.mark.parametrize(("fmt", "codec"), [("json", "snappy"), ("json", "lz4"), ("csv", "bzip2"),
                                            ("glueparquet", "zstd")])  # fmt: skip
def test_a_leak_is_caught_in_snappy_json_and_every_other_codec(sink_outputs, customers, fmt, codec):
    # all 120 customers written, 60 of whom never consented: the planted leak
    result = _privacy(sink_outputs[fmt, codec], customers)
    [leak] = result["non_consenting_rows"]
    assert (result["status"], leak["rows"]) == ("failed", ROWS // 2)


def test_the_same_output_without_the_leak_passes(tmp_path, customers):
    consenting = [r for r in RECORDS if r["shareWithResearchAsOfDate"]]
    path = tmp_path / "run-1-part-r-00000.snappy"
    import cramjam

    data = "".join(json.dumps(r) + "\n" for r in consenting).encode()
    path.write_bytes(_hadoop_frame(data, lambda b: bytes(cramjam.snappy.compress_raw(b))))
    result = _privacy([str(path)], customers, "json")
    assert (result["status"], result["non_consenting_rows"][0]["rows"]) == ("passed", 0)


@pytest.mark.parametrize(("name", "data", "reason"), UNREADABLE, ids=["lzo", "cut", "garbage"])
def test_a_privacy_check_that_could_not_read_its_input_fails_never_passes(
    tmp_path, customers, name, data, reason
):
    path = tmp_path / name
    path.write_bytes(data)
    result = _privacy([str(path)], customers, "json")
    [entry] = result["non_consenting_rows"]
    assert (result["status"], entry["status"], entry["rows"]) == ("failed", "unreadable", None)
    assert reason in result["reason"] and "\n" not in result["reason"]


def test_unreadable_customer_landing_fails_the_privacy_check(tmp_path, customers):
    bad = tmp_path / "customer.lzo"
    bad.write_bytes(b"lzo bytes")
    out = tmp_path / "out.json"
    out.write_bytes(_lines())
    result = _privacy([str(out)], [str(bad)], "json")
    assert result["status"] == "failed" and "customer landing" in result["reason"]
