"""What a Glue S3 target wrote, whatever its format and codec, made readable for DuckDB.

Glue's S3 sinks write JSON or CSV lines, uncompressed or through a Hadoop codec (gzip `.gz`,
bzip2 `.bz2`, deflate `.deflate` as a zlib stream, and snappy `.snappy` and lz4 `.lz4` in
Hadoop's block framing, which Athena reads and DuckDB does not), Parquet with any codec, ORC
and Avro. A file's format and codec are told from its bytes (magic numbers) and, for the
Hadoop codecs that have none, its extension. DuckDB reads plain and gzip text and Parquet
itself; everything else is decoded here, without Spark (a count must not depend on the runtime
that wrote the data), into a temporary folder: text to plain lines, ORC to Parquet, Avro to
JSON lines. A file nothing here can read raises Unreadable with a one-line reason naming it;
callers turn that into a table status, never a traceback.
"""

from __future__ import annotations

import bz2
import json
import shutil
import struct
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from grading.messages import one_line

CHUNK = 1 << 20
# Hadoop codecs' default extensions (a Glue text part file ends with one when compressed).
EXTENSION_CODECS = {
    ".gz": "gzip",
    ".bz2": "bzip2",
    ".deflate": "deflate",
    ".snappy": "snappy",
    ".lz4": "lz4",
    ".zst": "zstd",
    ".lzo": "lzo",
    ".lzo_deflate": "lzo",
    ".br": "brotli",
}
TEXT_FORMATS = ("json", "csv")
PARQUET_UNREADABLE = {"lzo"}  # Parquet codecs neither DuckDB nor pyarrow decodes


class Unreadable(Exception):
    """A file no reader here understands; the message is one line naming the file."""


@dataclass(frozen=True)
class Kind:
    format: str  # json | csv | parquet | orc | avro
    codec: str  # none | gzip | bzip2 | deflate | snappy | lz4 | zstd | lzo | ... (text only)


def _is_zlib(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def codec_of(path: Path, head: bytes) -> str:
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:3] == b"BZh":
        return "bzip2"
    by_name = EXTENSION_CODECS.get(path.suffix.lower())
    if by_name:
        return by_name
    return "deflate" if _is_zlib(head) else "none"


def kind_of(path: str | Path, text_format: str | None = None) -> Kind:
    """The file's format and codec from its bytes; text is `text_format` (json or csv, what
    the writing sink named), else "text" until Reader sees its first character."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head[:4] == b"PAR1":
        return Kind("parquet", "none")
    if head[:3] == b"ORC":
        return Kind("orc", "none")
    if head[:4] == b"Obj\x01":
        return Kind("avro", "none")
    return Kind(text_format if text_format in TEXT_FORMATS else "text", codec_of(path, head))


# -- decoders ------------------------------------------------------------------------------
def _hadoop_blocks(source, out, decompress) -> None:
    """Hadoop's BlockCompressorStream framing (SnappyCodec, Lz4Codec): blocks of
    [uncompressed length][[compressed length][compressed bytes]]... in big-endian int32s."""

    def read_int():
        raw = source.read(4)
        if not raw:
            return None
        if len(raw) < 4:
            raise ValueError("truncated block header")
        return struct.unpack(">I", raw)[0]

    while (size := read_int()) is not None:
        done = 0
        while done < size:
            length = read_int()
            if length is None:
                raise ValueError("truncated block")
            data = source.read(length)
            if len(data) < length:
                raise ValueError("truncated block")
            chunk = decompress(data, size - done)
            out.write(chunk)
            done += len(chunk)


def _snappy(data: bytes, _left: int) -> bytes:
    import cramjam

    return bytes(cramjam.snappy.decompress_raw(data))


def _lz4(data: bytes, left: int) -> bytes:
    import cramjam

    return bytes(cramjam.lz4.decompress_block(data, output_len=left))


def _stream(source, out, decompressor) -> None:
    while chunk := source.read(CHUNK):
        out.write(decompressor.decompress(chunk))
    flush = getattr(decompressor, "flush", None)
    if flush:
        out.write(flush())


def _zstd(source, out) -> None:
    import cramjam

    out.write(bytes(cramjam.zstd.decompress(source.read())))


def decode_text(path: Path, codec: str, dest: Path) -> None:
    """Write the plain text of a compressed text file to dest."""
    with path.open("rb") as source, dest.open("wb") as out:
        if codec == "bzip2":
            _stream(source, out, bz2.BZ2Decompressor())
        elif codec == "deflate":
            _stream(source, out, zlib.decompressobj(zlib.MAX_WBITS | 32))  # zlib or gzip header
        elif codec == "snappy":
            _hadoop_blocks(source, out, _snappy)
        elif codec == "lz4":
            _hadoop_blocks(source, out, _lz4)
        elif codec == "zstd":
            _zstd(source, out)
        else:
            raise Unreadable(f"{path.name}: {codec} is not readable here")


def _orc_to_parquet(path: Path, dest: Path) -> None:
    import pyarrow.orc as orc
    import pyarrow.parquet as pq

    pq.write_table(orc.ORCFile(str(path)).read(), dest)


def _avro_to_json(path: Path, dest: Path) -> None:
    import fastavro

    with path.open("rb") as source, dest.open("w") as out:
        for record in fastavro.reader(source):
            out.write(json.dumps(record, default=str) + "\n")


def _first_char(path: Path, codec: str) -> str:
    import gzip

    with gzip.open(path, "rb") if codec == "gzip" else path.open("rb") as handle:
        return handle.read(4096).lstrip()[:1].decode("latin-1")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _listed(files) -> str:
    return "[" + ", ".join(_literal(str(f)) for f in files) + "]"


def _json_codec(codec: str) -> str:
    return "uncompressed" if codec == "none" else codec


REASON_CHARS = 200  # the most of an error a table's one-line reason keeps


def _parquet_codec(path: Path) -> str:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    codecs = {
        meta.row_group(g).column(c).compression.lower()
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns)
    }
    unreadable = codecs & PARQUET_UNREADABLE
    if unreadable:
        raise Unreadable(f"{path.name}: Parquet with {min(unreadable)} is not readable here")
    codecs.discard("uncompressed")
    return min(codecs) if codecs else "none"


@dataclass(frozen=True)
class Readable:
    path: Path  # what DuckDB reads: the file itself or its decoded copy
    format: str  # what DuckDB reads it as: json | csv | parquet
    codec: str  # "gzip" (DuckDB decompresses) or "none"
    written: Kind  # the file as the job wrote it


class Reader:
    """DuckDB table expressions over a table's files; decoded copies live until close()."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="stedi-grade-decoded-"))
        self._done: dict[tuple[str, str], Readable] = {}
        self._n = 0

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _scratch(self, suffix: str) -> Path:
        self._n += 1
        return self.folder / f"{self._n:05d}{suffix}"

    def readable(self, file: str, text_format: str | None = None) -> Readable:
        """The file as DuckDB can read it; raises Unreadable with a one-line reason."""
        key = (str(file), text_format or "")
        if key not in self._done:
            try:
                self._done[key] = self._make_readable(Path(file), text_format)
            except Unreadable:
                raise
            except Exception as exc:  # noqa: BLE001 - a decoder's error is the file's reason
                reason = one_line(str(exc), REASON_CHARS) or type(exc).__name__
                raise Unreadable(f"{Path(file).name}: {reason}") from exc
        return self._done[key]

    def _make_readable(self, path: Path, text_format: str | None) -> Readable:
        kind = kind_of(path, text_format)
        if kind.format == "parquet":
            return Readable(path, "parquet", "none", Kind("parquet", _parquet_codec(path)))
        if kind.format == "orc":
            out = self._scratch(".parquet")
            _orc_to_parquet(path, out)
            return Readable(out, "parquet", "none", kind)
        if kind.format == "avro":
            out = self._scratch(".json")
            _avro_to_json(path, out)
            return Readable(out, "json", "none", kind)
        plain, codec = path, kind.codec
        if codec not in ("none", "gzip"):
            plain, codec = self._scratch(".txt"), "none"
            decode_text(path, kind.codec, plain)
        fmt = kind.format
        if text_format is None:
            fmt = "json" if _first_char(plain, codec) in ("{", "[", "") else "csv"
        return Readable(plain, fmt, codec, Kind(fmt, kind.codec))

    def _groups(self, files, text_format) -> dict[tuple[str, str], str]:
        """{(format DuckDB reads, codec DuckDB applies): the listed readable files}."""
        groups: dict[tuple[str, str], list[str]] = {}
        for file in files:
            r = self.readable(file, text_format)
            groups.setdefault((r.format, r.codec), []).append(str(r.path))
        return {key: _listed(paths) for key, paths in groups.items()}

    def relation(self, files: list[str], text_format: str | None = None, header=True) -> str:
        """One DuckDB table expression over all the files (by column name when formats mix)."""
        parts = []
        for (fmt, codec), listed in self._groups(files, text_format).items():
            if fmt == "parquet":
                parts.append(f"SELECT * FROM read_parquet({listed}, union_by_name=true)")
            elif fmt == "csv":
                parts.append(
                    f"SELECT * FROM read_csv({listed}, header={str(header).lower()}, "
                    f"union_by_name=true, compression='{codec}')"
                )
            else:
                parts.append(
                    f"SELECT * FROM read_json_auto({listed}, format='auto', union_by_name=true, "
                    f"sample_size=-1, compression='{_json_codec(codec)}')"
                )
        return "(" + " UNION ALL BY NAME ".join(parts) + ")"

    def count_sql(self, files: list[str], text_format: str | None = None, header=True) -> str:
        """The row count of all the files; JSON counted as objects, without a schema (a
        record's fields may clash between files and still count, as Athena counts them)."""
        parts = []
        for (fmt, codec), listed in self._groups(files, text_format).items():
            if fmt == "parquet":
                source = f"read_parquet({listed})"
            elif fmt == "csv":
                source = (
                    f"read_csv({listed}, header={str(header).lower()}, all_varchar=true, "
                    f"union_by_name=true, compression='{codec}')"
                )
            else:
                source = f"read_json_objects({listed}, format='auto', compression='{_json_codec(codec)}')"
            parts.append(f"(SELECT count(*) FROM {source})")
        return "SELECT " + " + ".join(parts)

    def written(self, files: list[str], text_format: str | None = None) -> Kind:
        """The files' format and codec as written (`mixed` when they differ), for the report."""
        kinds = {self.readable(f, text_format).written for f in files}
        if len(kinds) == 1:
            return kinds.pop()
        formats = {k.format for k in kinds}
        return Kind(formats.pop() if len(formats) == 1 else "mixed", "mixed")
