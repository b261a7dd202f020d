"""Array To Columns: the first elements of an array column become top-level columns, one per
name in `colList` (comma separated); a short array leaves the remaining columns null. The
array column is kept."""

from pyspark.sql import functions as F

from localglue.studio.gs_common import as_list, enrich_df


def array_to_cols(self, colName, colList):  # noqa: N803
    out = self
    for index, name in enumerate(as_list(colList)):
        out = out.withColumn(name, F.col(colName).getItem(index))
    return out


enrich_df("gs_array_to_cols", array_to_cols)
