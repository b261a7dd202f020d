from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue.awsglue.transforms.transform import GlueTransform


class DropNullFields(GlueTransform):
    """Drop the fields that are missing or null in EVERY record (Glue's NullType fields).

    One aggregate pass counts the non-null values of each top-level field."""

    def __call__(self, frame, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):  # noqa: N803
        from localglue.awsglue.dynamicframe import quote

        names = frame._data_names
        if not names:
            return frame
        null_typed = [
            f.name
            for f in frame._df.schema.fields
            if f.name in names and isinstance(f.dataType, T.NullType)
        ]
        counts = frame._df.agg(
            *[F.count(F.col(quote(n))).alias(str(i)) for i, n in enumerate(names)]
        ).first()
        empty = [n for i, n in enumerate(names) if not counts[str(i)]]
        drop = list(dict.fromkeys(null_typed + empty))
        return (
            frame.drop_fields(["`" + n + "`" for n in drop], transformation_ctx) if drop else frame
        )
