"""Concatenate Columns: a new string column joining other columns in the order given, with
an optional spacer; a null value is written as `nullValue` (by default an empty string)."""

from pyspark.sql import functions as F

from localglue.studio.gs_common import as_list, enrich_df


def concat(self, colName, colList, spacer="", nullValue=""):  # noqa: N803
    parts = [F.coalesce(F.col(c).cast("string"), F.lit(nullValue or "")) for c in as_list(colList)]
    return self.withColumn(colName, F.concat_ws(spacer or "", *parts))


enrich_df("gs_concat", concat)
