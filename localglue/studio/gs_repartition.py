"""Autobalance Processing: redistributes the rows evenly over `numPartitionsStr` partitions,
or over Spark's default parallelism when no number is given. Rows are unchanged."""

from localglue.studio.gs_common import enrich_df


def repartition(self, numPartitionsStr=None):  # noqa: N803
    if numPartitionsStr not in (None, ""):
        return self.repartition(int(numPartitionsStr))
    return self.repartition(self.sparkSession.sparkContext.defaultParallelism)


enrich_df("gs_repartition", repartition)
