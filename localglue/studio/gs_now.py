"""Add Current Timestamp: the job's current time as a timestamp, or as a string when a
format is given (Spark pattern or Python "%" codes, see gs_common)."""

from pyspark.sql import functions as F

from localglue.studio.gs_common import enrich_df, spark_date_format


def now(self, colName="timestamp", dateFormat=None):  # noqa: N803
    value = F.current_timestamp()
    if dateFormat:
        value = F.date_format(value, spark_date_format(dateFormat))
    return self.withColumn(colName, value)


enrich_df("gs_now", now)
