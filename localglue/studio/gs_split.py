"""Split String: a string column broken into an array of tokens by a regular expression,
replacing the column unless a new name is given."""

from pyspark.sql import functions as F

from localglue.studio.gs_common import enrich_df


def split(self, colName, pattern, newColName=None):  # noqa: N803
    return self.withColumn(newColName or colName, F.split(F.col(colName), pattern))


enrich_df("gs_split", split)
