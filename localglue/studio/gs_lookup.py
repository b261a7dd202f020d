"""Lookup: columns of a Data Catalog table ("db.table") added to each row whose keys match,
as a left outer join: no match leaves them null, several matches repeat the row. Keys are
"user_id=id, region" (data column = lookup column; one name when both are the same).
(Module and parameter names inferred: no public Glue Studio export with this node was
found.) The table is read through the local Data Catalog, as a catalog source node reads
it (lower-case column names)."""

from pyspark.sql import functions as F

from localglue.errors import LakehouseError
from localglue.studio.gs_common import enrich_df, split_string_list


def _read_catalog_table(spark, qualified: str):
    from localglue.awsglue.context import GlueContext

    database, _, table = qualified.partition(".")
    if not table:
        raise LakehouseError(f"gs_lookup: table {qualified!r} must be written database.table")
    glue = GlueContext(spark.sparkContext)
    return glue.create_dynamic_frame.from_catalog(database=database, table_name=table).toDF()


def lookup(self, lookupTable, matchColumns, lookupColumns):  # noqa: N803
    pairs = [part.partition("=") for part in split_string_list(matchColumns)]
    keys = [(data, (other or data).strip()) for data, _, other in pairs]
    table = _read_catalog_table(self.sparkSession, lookupTable).alias("__gs_lookup")
    taken = split_string_list(lookupColumns)
    right = table.select(
        *[F.col(f"`{other}`").alias(f"__gs_key{i}") for i, (_d, other) in enumerate(keys)],
        *[F.col(f"`{c}`") for c in taken],
    )
    condition = [F.col(f"`{data}`") == right[f"__gs_key{i}"] for i, (data, _o) in enumerate(keys)]
    joined = self.join(right, on=condition, how="left")
    return joined.drop(*[f"__gs_key{i}" for i in range(len(keys))])


enrich_df("gs_lookup", lookup)
