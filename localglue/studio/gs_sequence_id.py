"""Identifier: a numeric identifier per row (column "id" unless named), unique in the frame.
With `unique`, the job's start time is part of it so that ids do not repeat across runs, and
the column is a decimal instead of a long. Glue Studio writes `import gs_sequence_id` and
`.gs_sequence_id(colName="transaction_id", unique=True)` (a public export:
HakeemSalaudeen/salesproject-batch-processing-on-AWS, whose Redshift DDL types the column
DECIMAL). The ids are Spark's monotonically_increasing_id, distinct but not consecutive."""

import time

from pyspark.sql import functions as F

from localglue.studio.gs_common import enrich_df

# Room for a 64-bit row id below the run's epoch milliseconds: 13 + 19 digits < 38.
ROW_ID_DIGITS = 19


def sequence_id(self, colName="id", unique=False):  # noqa: N803
    row_id = F.monotonically_increasing_id()
    if unique:
        started_ms = int(time.time() * 1000)
        run = F.lit(str(started_ms) + "0" * ROW_ID_DIGITS).cast("decimal(38,0)")
        row_id = (run + row_id.cast("decimal(38,0)")).cast("decimal(38,0)")
    return self.withColumn(colName, row_id)


enrich_df("gs_sequence_id", sequence_id)
