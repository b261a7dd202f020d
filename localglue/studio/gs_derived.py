"""Derived Column: a new (or replaced) column computed from a Spark SQL expression."""

from pyspark.sql import functions as F

from localglue.studio.gs_common import enrich_df


def derived(self, colName, expr):  # noqa: N803 - Glue Studio's parameter names
    return self.withColumn(colName, F.expr(expr))


enrich_df("gs_derived", derived)
