"""Read JSON the way a Glue DynamicFrame does, on plain Spark.

Two things Spark's own JSON reader loses and Glue keeps:

* which keys a record really had. A record without `shareWithResearchAsOfDate`
  raises KeyError in a Glue Filter lambda, while an explicit `null` is None.
  We keep, per record, the top-level schema fields it LACKS in a hidden column
  (null when it has them all, so the common case costs nothing to carry).
* choice types. When a top-level field holds a number in some records and a
  string in others (or whole and fractional numbers), Glue types it
  `choice`; Spark silently widens it to string (or double). One aggregate pass
  with a second, differently typed parse finds these fields; a hidden per-record
  kind column then lets resolveChoice split or project them.

Cost: a Spark read of line-delimited files would take three jobs before the data is
touched (schema inference, first-seen key order, choice detection). Plain inputs (up to
1 GiB) are scanned in process instead (json_scan.py, same decisions, no job); choice
detection then only runs when a field may hold two types, and when every record has every
field and no field is a choice, Spark's own JSON source reads the rows (no raw text, no
hidden columns). Bigger or compressed inputs get Spark's inference job and one choice
aggregate; the key order comes from the first lines of the files in any case.

Limits: presence and choices are tracked for top-level fields only; choices are
detected between numbers and strings and between long and double, not between
struct/array/boolean and string (those stay Spark's widened string).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue import json_scan
from localglue.records import ABSENT, HIDDEN_PREFIX, KIND_PREFIX, kind_column  # noqa: F401

CORRUPT = "_corrupt_record"

_schema_cache: dict[tuple, tuple[T.StructType, dict[str, tuple[str, ...]]]] = {}


@dataclass
class JsonRead:
    df: DataFrame  # data columns + hidden columns
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _fingerprint(files: list[str]) -> tuple:
    out = []
    for f in files:
        st = os.stat(f)
        out.append((f, st.st_size, st.st_mtime_ns))
    return tuple(out)


def _records(spark, files: list[str], multiline: bool, json_path: str | None) -> DataFrame:
    """One JSON document per row in column `value`."""
    text = spark.read.text(files, wholetext=multiline)
    if json_path:
        path = json_path.strip()
        if path.endswith("[*]"):
            prefix = path[: -len("[*]")]
            arr = F.col("value") if prefix in ("$", "") else F.get_json_object("value", prefix)
            return text.select(F.explode(F.from_json(arr, "array<string>")).alias("value"))
        return text.select(F.get_json_object("value", path).alias("value")).where(
            "value is not null"
        )
    if multiline:
        # A multi-line file holds one object or an array of objects.
        is_array = F.ltrim("value").startswith("[")
        docs = F.when(is_array, F.from_json("value", "array<string>")).otherwise(F.array("value"))
        return text.select(F.explode(docs).alias("value"))
    # A record is a JSON object; blank and non-object lines are not records.
    first = F.substring("value", 1, 1)
    return text.where((first == "{") | F.ltrim("value").startswith("{"))


def _infer(spark, records: DataFrame, files, multiline, json_path) -> T.StructType:
    if not multiline and not json_path:
        return spark.read.json(files).schema
    return infer_records(spark, records)


_WHOLE_NUMBER = r"^-?[0-9]+$"


def _keys_regex(names: list[str], token: str) -> str:
    """Regex: one of the keys, a colon, then a token (a cheap pre-check on the raw text)."""
    keys = "|".join("\\Q" + n + "\\E" for n in names)
    return '"(?:' + keys + ')"\\s*:\\s*' + token


_NUMBER_TOKEN = "[-0-9]"
_WHOLE_TOKEN = "-?[0-9]+\\s*[,}]"


def _number_after_key(name: str) -> str:
    return _keys_regex([name], _NUMBER_TOKEN)


def _detect_choices(records: DataFrame, schema: T.StructType) -> dict[str, tuple[str, ...]]:
    """Top-level fields whose JSON values had more than one type, in one aggregate pass.

    Spark widens long+double to double and string+number to string. One regex per line
    looks for a whole number after any double field's key, another for a number after
    any string field's key; only on a hit (rare) do typed parses confirm which fields
    are choices (the key may also occur nested). Typed parses that fail on most records
    are avoided on the common path: Spark pays an exception per failing record.
    """
    strings = [f.name for f in schema.fields if isinstance(f.dataType, T.StringType)]
    doubles = [f.name for f in schema.fields if isinstance(f.dataType, T.DoubleType)]
    if not strings and not doubles:
        return {}
    value = F.col("value")
    aggs = [F.lit(0).alias("s"), F.lit(0).alias("d")]
    if strings:
        aggs[0] = F.count(F.when(value.rlike(_keys_regex(strings, _NUMBER_TOKEN)), 1)).alias("s")
    if doubles:
        aggs[1] = F.count(F.when(value.rlike(_keys_regex(doubles, _WHOLE_TOKEN)), 1)).alias("d")
    row = records.agg(*aggs).first()
    choices: dict[str, tuple[str, ...]] = {}
    if row["d"]:
        as_text = T.StructType([T.StructField(n, T.StringType()) for n in doubles])
        probe = records.select(F.from_json("value", as_text).alias("p"))
        whole = probe.agg(
            *[
                F.count(F.when(F.col("p")[n].rlike(_WHOLE_NUMBER), 1)).alias(f"d{i}")
                for i, n in enumerate(doubles)
            ]
        ).first()
        choices.update({n: ("double", "long") for i, n in enumerate(doubles) if whole[f"d{i}"]})
    if row["s"]:
        choices.update(_split_numbers_in_strings(records, strings))
    return choices


def _split_numbers_in_strings(records: DataFrame, names: list[str]) -> dict[str, tuple[str, ...]]:
    """Rare path: which number kinds really occur in these string fields."""
    as_long = T.StructType([T.StructField(n, T.LongType()) for n in names])
    as_double = T.StructType([T.StructField(n, T.DoubleType()) for n in names])
    parsed = records.select(
        F.from_json("value", as_long).alias("l"), F.from_json("value", as_double).alias("d")
    )
    aggs = []
    for i, n in enumerate(names):
        aggs.append(F.count(F.col("l")[n]).alias(f"l{i}"))
        only_double = F.col("l")[n].isNull() & F.col("d")[n].isNotNull()
        aggs.append(F.count(F.when(only_double, 1)).alias(f"d{i}"))
    split = parsed.agg(*aggs).first()
    choices = {}
    for i, n in enumerate(names):
        kinds = {"string"}
        if split[f"l{i}"]:
            kinds.add("long")
        if split[f"d{i}"]:
            kinds.add("double")
        if len(kinds) > 1:
            choices[n] = tuple(sorted(kinds))
    return choices


def _kind_expr(name: str, dtype: T.DataType, kinds: tuple[str, ...]) -> Column:
    """Per-record type of a choice field, from its raw text (no failing typed parse)."""
    value = F.col("r")[name]
    if isinstance(dtype, T.DoubleType):
        text = F.from_json("value", T.StructType([T.StructField(name, T.StringType())]))[name]
        return (
            F.when(value.isNull(), None).when(text.rlike(_WHOLE_NUMBER), "long").otherwise("double")
        )
    is_number = F.col("value").rlike(_number_after_key(name)) & value.rlike(r"^-?[0-9.eE+-]+$")
    number_kind = F.when(value.rlike(_WHOLE_NUMBER), "long").otherwise("double")
    return F.when(value.isNull(), None).when(is_number, number_kind).otherwise("string")


def read_json(
    spark, files: list[str], multiline: bool = False, json_path: str | None = None
) -> JsonRead:
    records = _records(spark, files, multiline, json_path)
    key = (_fingerprint(files), multiline, json_path)
    cached = _schema_cache.get(key)
    if cached is None:
        cached = _schema_and_choices(spark, records, files, multiline, json_path)
        _schema_cache[key] = cached
    schema, choices, complete = cached
    if complete and not choices and schema.fields:
        # Every line is one object holding every field (the scan checked): Spark's JSON
        # source parses exactly these rows, with no raw text to keep for bookkeeping.
        return JsonRead(spark.read.schema(schema).json(files), {})
    return parse_records(spark, records, schema, choices)


def _schema_and_choices(spark, records, files, multiline, json_path):
    """(schema in first-seen order, choice fields, whether every record has every field).

    In process for plain files up to json_scan.MAX_BYTES; `complete` is only known from that
    scan (else False).
    """
    if not multiline and not json_path:
        found = json_scan.scan(files)
        if found is not None:
            schema = _first_seen_order(records, found.schema, order=found.order)
            choices = _detect_choices(records, _data_schema(schema)) if found.maybe_choices else {}
            return schema, choices, found.complete
    order = None if multiline or json_path else local_key_order(files)
    schema = _infer(spark, records, files, multiline, json_path)
    schema = _first_seen_order(records, schema, order=order)
    return schema, _detect_choices(records, _data_schema(schema)), False


SAMPLE_RECORDS = json_scan.SAMPLE_RECORDS


def local_key_order(files: list[str], sample: int = SAMPLE_RECORDS) -> list[str] | None:
    """Key order of the first `sample` records, read in file order straight from local files.

    The same records `_records` keeps (lines starting with `{` after leading spaces) and the
    same first-seen rule, without a Spark job: the field order only needs a few lines.
    None when a file is compressed (Spark decodes those) or cannot be read.
    """
    if any(f.lower().endswith(json_scan.CODEC_SUFFIXES) for f in files):
        return None
    decoder = json.JSONDecoder()
    order: dict[str, None] = {}
    seen = 0
    try:
        for path in files:
            # Universal newlines split lines where Hadoop's LineRecordReader does (\n, \r, \r\n).
            with open(path, encoding="utf-8", errors="replace", newline=None) as fh:
                for line in fh:
                    text = line.rstrip("\n").lstrip(" ")
                    if not text.startswith("{"):
                        continue
                    seen += 1
                    try:
                        doc, _ = decoder.raw_decode(text)
                    except ValueError:
                        doc = None  # a malformed record has no keys, as json_object_keys gives
                    if isinstance(doc, dict):
                        order.update(dict.fromkeys(doc))
                    if seen >= sample:
                        return list(order)
    except OSError:
        return None
    return list(order)


def _first_seen_order(
    records: DataFrame,
    schema: T.StructType,
    sample: int = SAMPLE_RECORDS,
    order: list[str] | None = None,
) -> T.StructType:
    """Spark sorts inferred fields by name; Glue keeps the order keys first appear in."""
    if order is None:
        order = []
        keys = F.expr("json_object_keys(value)").alias("k")
        for row in records.select(keys).limit(sample).collect():
            for k in row["k"] or ():
                if k not in order:
                    order.append(k)
    rank = {k: i for i, k in enumerate(order)}
    fields = sorted(schema.fields, key=lambda f: (rank.get(f.name, len(rank)), f.name))
    return T.StructType(fields)


def _data_schema(schema: T.StructType) -> T.StructType:
    return T.StructType([f for f in schema.fields if f.name != CORRUPT])


def infer_records(spark, records: DataFrame) -> T.StructType:
    jvm = spark.sparkContext._jvm
    strings = getattr(records._jdf, "as")(jvm.org.apache.spark.sql.Encoders.STRING())
    jschema = spark._jsparkSession.read().json(strings).schema()
    return T._parse_datatype_json_string(jschema.json())


def parse_records(
    spark,
    records: DataFrame,
    schema: T.StructType | None = None,
    choices: dict[str, tuple[str, ...]] | None = None,
) -> JsonRead:
    """A frame from JSON documents in column `value` (schema and choices inferred if not given)."""
    if schema is None:
        schema = _first_seen_order(records, infer_records(spark, records))
        choices = _detect_choices(records, _data_schema(schema))
    choices = dict(choices or {})
    data_schema = _data_schema(schema)
    names = [f.name for f in data_schema.fields]
    if not names:
        return JsonRead(spark.createDataFrame([], T.StructType([])), {})

    parsed = records.select("value", F.from_json("value", data_schema).alias("r"))
    if CORRUPT in schema.fieldNames():
        # Malformed lines (not a JSON object) are dropped, as Glue drops unparsable records.
        parsed = parsed.where(F.expr("json_object_keys(value)").isNotNull())
    # Only records with a null top-level value pay for the key listing.
    all_set = F.lit(True)
    for n in names:
        all_set = all_set & F.col("r")[n].isNotNull()
    missing = F.array_except(F.array(*[F.lit(n) for n in names]), F.expr("json_object_keys(value)"))
    absent = F.when(all_set, None).otherwise(F.when(F.size(missing) > 0, missing))
    cols = [F.col("r")[n].alias(n) for n in names] + [absent.alias(ABSENT)]
    for n, kinds in choices.items():
        cols.append(_kind_expr(n, data_schema[n].dataType, kinds).alias(kind_column(n)))
    return JsonRead(parsed.select(*cols), choices)


def clear_cache() -> None:
    _schema_cache.clear()


_HIDDEN_RE = re.compile(r"(^|/)[._][^/]*$")


def list_files(
    paths: list[str],
    recurse: bool,
    exclusions: list[str] | None = None,
    uris: list[str] | None = None,
    lake=None,
) -> list[str]:
    """Files under local paths in a stable order; hidden/_metadata files skipped like Hadoop.

    `exclusions` are Glue globs (globs.py) matched against each file's S3 key: `uris` are the
    s3:// paths the job named, one per local path; a file's key forms are its full URI and
    its key relative to the path named (never the local file path). With `lake`, each file is
    checked again where it points (Lake.check_file): a symbolic link in a bucket to a file
    outside it is refused, not read."""
    from localglue.globs import excluded

    out: list[tuple[str, tuple[str, ...]]] = []
    for i, p in enumerate(paths):
        uri = (uris[i] if uris else p).rstrip("/")

        def forms(file: str, base: str = p, uri: str = uri) -> tuple[str, ...]:
            rel = os.path.relpath(file, base).replace(os.sep, "/")
            return (uri + "/" + rel, rel) if rel != "." else (uri, os.path.basename(file))

        if os.path.isfile(p):
            out.append((p, forms(p)))
            continue
        if not os.path.isdir(p):
            continue
        if recurse:
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                out.extend((f, forms(f)) for f in (os.path.join(root, n) for n in sorted(names)))
        else:
            out.extend((f, forms(f)) for f in (os.path.join(p, n) for n in sorted(os.listdir(p))))
    files = [
        f
        for f, keys in out
        if os.path.isfile(f)
        and not _HIDDEN_RE.search(f)
        and not (exclusions and excluded(keys, exclusions))
    ]
    if lake is not None:
        for f in files:
            lake.check_file(f)
    return list(dict.fromkeys(files))
