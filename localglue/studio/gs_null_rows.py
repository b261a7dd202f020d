"""Remove Null Rows: drops the rows whose every column is null. With `extended`, an empty
(or blank) string, the strings "null" / "NULL" and a NaN count as null too (local reading of
"extended null types"; Glue's exact list is not published)."""

from functools import reduce

from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue.studio.gs_common import enrich_df

NULL_STRINGS = ("", "null", "NULL")


def _is_null(field: T.StructField, extended: bool):
    value = F.col(f"`{field.name}`")
    test = value.isNull()
    if extended and isinstance(field.dataType, T.StringType):
        test = test | F.trim(value).isin(*NULL_STRINGS)
    if extended and isinstance(field.dataType, (T.DoubleType, T.FloatType)):
        test = test | F.isnan(value)
    return test


def null_rows(self, extended=False):
    all_null = reduce(lambda a, b: a & b, [_is_null(f, extended) for f in self.schema.fields])
    return self.where(~all_null)


enrich_df("gs_null_rows", null_rows)
