"""Format Timestamp: a timestamp column as a string in a Spark pattern or Python "%" codes
("yyyy-MM-dd HH:mm" == "%Y-%m-%d %H:%M"), replacing the column unless a new name is given."""

from pyspark.sql import functions as F

from localglue.studio.gs_common import enrich_df, spark_date_format


def format_timestamp(self, colName, dateFormat, newColName=None):  # noqa: N803
    formatted = F.date_format(F.col(colName), spark_date_format(dateFormat))
    return self.withColumn(newColName or colName, formatted)


enrich_df("gs_format_timestamp", format_timestamp)
