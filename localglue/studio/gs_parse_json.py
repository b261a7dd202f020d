"""Parse JSON Column: a string column holding JSON becomes a struct (an object) or an array,
replacing the column unless a new name is given. The schema is SQL DDL ("a STRING, b INT"
or "ARRAY<STRING>"); without one (objects only) it is inferred from the data, from a
`samplingRatio` of the rows when below 1. A value that is not valid JSON becomes null.
(Module and parameter names inferred: no public Glue Studio export with this node was
found.)"""

from pyspark.sql import functions as F

from localglue.studio.gs_common import enrich_df


def _inferred_schema(df, colName, ratio):  # noqa: N803
    texts = df.select(F.col(colName).cast("string")).where(F.col(colName).isNotNull())
    lines = texts.rdd.map(lambda row: row[0])
    return df.sparkSession.read.json(lines, samplingRatio=float(ratio or 1.0)).schema


def parse_json(self, colName, schema=None, samplingRatio=1.0, newColName=None):  # noqa: N803
    parsed_schema = schema or _inferred_schema(self, colName, samplingRatio)
    return self.withColumn(newColName or colName, F.from_json(F.col(colName), parsed_schema))


enrich_df("gs_parse_json", parse_json)
