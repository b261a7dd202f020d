"""One JSON object per DynamicRecord, as Glue's JSON sink writes it.

Spark's JSON writer drops every null field (ignoreNullFields). Glue writes the record:
a field the record HOLDS as null is written `"k":null`, and a field the record LACKS
(a JSON source key it never had: the hidden absent column) is left out. After a SQL
node every field is present, so every null is written.

Each field becomes its own `"name":value` fragment (to_json of a one-field struct with
nulls kept, braces stripped); concat_ws skips the fragments of absent fields.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from localglue import gluetypes
from localglue.fieldpaths import quote
from localglue.records import ABSENT, kind_column

_KEEP_NULLS = {"ignoreNullFields": "false"}


def _fragment(value: Column, name: str) -> Column:
    text = F.to_json(F.struct(value.alias(name)), _KEEP_NULLS)
    return text.substr(F.lit(2), F.length(text) - 2)


def _choice_value_fragment(name: str, kinds: tuple[str, ...]) -> Column:
    """A choice field is written as the type this record's value had."""
    kind = F.col(quote(kind_column(name)))
    out = _fragment(F.col(quote(name)), name)
    for k in kinds:
        typed = F.col(quote(name)).cast(gluetypes.spark_type_name(k))
        out = F.when(kind == k, _fragment(typed, name)).otherwise(out)
    return out


def record_line(df: DataFrame, names: list[str], choices: dict[str, tuple[str, ...]]) -> Column:
    """The JSON text of each row's record (names: the data fields to write, in order)."""
    absent = F.coalesce(F.col(ABSENT), F.array()) if ABSENT in df.columns else None
    parts = []
    for name in names:
        frag = (
            _choice_value_fragment(name, choices[name])
            if name in choices
            else _fragment(F.col(quote(name)), name)
        )
        if absent is not None:
            frag = F.when(~F.array_contains(absent, name), frag)
        parts.append(frag)
    return F.concat(F.lit("{"), F.concat_ws(",", *parts), F.lit("}"))
