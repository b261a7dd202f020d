"""What every Glue Studio transform module shares: how a method is attached, and Glue's
Python-to-Spark date-format translation.

Glue's `gs_common.enrich_df(name, function)` sets `name` on both DataFrame and DynamicFrame.
On a DynamicFrame the method takes keyword arguments only (Glue Studio always writes them),
refuses a frame with unresolved choice types (toDF would turn them into structs), returns
the frame itself when it has neither fields nor rows, and otherwise runs the function on
`toDF()` and wraps the result with `fromDF` under the frame's name: a record's missing keys
become nulls held by every record, as after any DataFrame round trip on Glue.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from pyspark.sql import DataFrame

from localglue.awsglue.dynamicframe import DynamicFrame

CHOICES_PENDING = "Please resolve the pending DynamicFrame choices before using this transformation"

_MISSING = object()
# (class, attribute) -> what the class held before a transform was attached.
_saved: dict[tuple[type, str], object] = {}


def split_string_list(text: str) -> list[str]:
    """ "a, b ,c" -> ["a", "b", "c"]: how Glue Studio passes a list typed into a text box."""
    return [part.strip() for part in text.split(",")]


def as_list(value) -> list[str]:
    return split_string_list(value) if isinstance(value, str) else list(value)


def is_blank(df: DataFrame) -> bool:
    return not df.schema.fieldNames() and not df.take(1)


def enrich_df(name: str, function: Callable[..., DataFrame]) -> None:
    """Attach `function(df, **kwargs) -> DataFrame` as method `name` of both frame types."""

    def on_dynamic_frame(self, **kwargs):
        if self._choices:
            raise ValueError(CHOICES_PENDING)
        df = self.toDF()
        if is_blank(df):
            return self
        return DynamicFrame.fromDF(function(df, **kwargs), self.glue_ctx, self.name)

    def on_data_frame(self, **kwargs):
        if is_blank(self):
            return self
        return function(self, **kwargs)

    for cls, method in ((DynamicFrame, on_dynamic_frame), (DataFrame, on_data_frame)):
        method.__name__ = name
        method.__doc__ = function.__doc__
        _saved.setdefault((cls, name), cls.__dict__.get(name, _MISSING))
        setattr(cls, name, method)


def attached() -> list[str]:
    return sorted({name for _cls, name in _saved})


def detach_all() -> None:
    """Undo every enrich_df: a later job that does not import the module cannot use it."""
    for (cls, name), before in _saved.items():
        if before is _MISSING:
            if name in cls.__dict__:
                delattr(cls, name)
        else:
            setattr(cls, name, before)
    _saved.clear()


# Glue reads a format with `string.Template` using "%" as the delimiter, so "%Y-%m-%d" becomes
# "yyyy-MM-dd", Spark patterns (no "%") pass through, and an unknown code such as "%dT" (read
# as the name "dT") raises KeyError. The table is Glue's, including its "%X" -> "HH:MM:ss"
# (month in the minutes' place) and "%G" -> "yyyy".
PYTHON_TO_SPARK_DATE_CODES = {
    "Y": "yyyy",
    "y": "yy",
    "m": "MM",
    "d": "dd",
    "H": "HH",
    "I": "hh",
    "M": "mm",
    "S": "ss",
    "f": "SSSSSS",
    "p": "a",
    "a": "E",
    "A": "EEEE",
    "b": "MMM",
    "B": "MMMM",
    "j": "DDD",
    "z": "Z",
    "Z": "z",
    "c": "EEE MMM d HH:mm:ss yyyy",
    "X": "HH:MM:ss",
    "G": "yyyy",
}


class _PercentTemplate(string.Template):
    delimiter = "%"


def spark_date_format(date_format: str) -> str:
    """A format typed in Glue Studio (Spark pattern or Python "%" codes) -> a Spark pattern."""
    return _PercentTemplate(date_format).substitute(**PYTHON_TO_SPARK_DATE_CODES)
