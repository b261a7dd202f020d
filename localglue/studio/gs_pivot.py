"""Pivot Rows Into Columns: each distinct value of the `colList` columns (joined with "_" when
there are several) becomes a column holding `aggFunction` of `aggCol`; the rows are grouped
by every other column."""

from pyspark.sql import functions as F

from localglue.errors import LakehouseError
from localglue.studio.gs_common import as_list, enrich_df

PIVOT = "__gs_pivot"


def pivot(self, aggCol, aggFunction, colList):  # noqa: N803
    pivoted = as_list(colList)
    function = getattr(F, aggFunction, None)
    if function is None or aggFunction.startswith("_"):
        raise LakehouseError(f"gs_pivot: {aggFunction!r} is not a Spark aggregate function")
    groups = [f"`{c}`" for c in self.columns if c not in (aggCol, *pivoted)]
    key = F.concat_ws("_", *[F.col(f"`{c}`").cast("string") for c in pivoted])
    return (
        self.withColumn(PIVOT, key)
        .groupBy(*groups)
        .pivot(PIVOT)
        .agg(function(F.col(f"`{aggCol}`")))
    )


enrich_df("gs_pivot", pivot)
