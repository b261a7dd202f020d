"""UUID: a random 36-character identifier per row (column "uuid" unless named)."""

from pyspark.sql import functions as F

from localglue.studio.gs_common import enrich_df


def uuid(self, colName="uuid"):  # noqa: N803
    return self.withColumn(colName, F.expr("uuid()"))


enrich_df("gs_uuid", uuid)
