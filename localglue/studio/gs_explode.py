"""Explode Array or Map Into Rows: one row per element of an array column (in `newCol`, which
replaces the column when it has the same name), or per entry of a map column (in `keyCol`
and `valueCol`, local names: "key" and "value" unless given). A null or empty collection
drops the row unless `outer` is set ("include NULLs"), which keeps it with nulls."""

from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue.studio.gs_common import enrich_df


def explode(self, colName, newCol=None, outer=False, keyCol="key", valueCol="value"):  # noqa: N803
    source = F.col(colName)
    generate = F.explode_outer if outer else F.explode
    dtype = self.select(source).schema.fields[0].dataType
    if isinstance(dtype, T.MapType):
        others = [F.col(f"`{c}`") for c in self.columns]
        return self.select(*others, generate(source).alias(keyCol, valueCol))
    return self.withColumn(newCol or colName.strip("`"), generate(source))


enrich_df("gs_explode", explode)
