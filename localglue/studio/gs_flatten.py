"""Flatten: the fields of nested structs become top-level columns named by their path joined
with `separator` ("." unless given: a flattened `a.b` must then be written "`a.b`"), down
to `maxLevels` levels of nesting (0: all). Arrays are left as they are."""

from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue.studio.gs_common import enrich_df


def flatten(self, maxLevels=0, separator="."):  # noqa: N803
    levels = int(maxLevels or 0)
    columns = []

    def walk(path: list[str], dtype: T.DataType, depth: int) -> None:
        if isinstance(dtype, T.StructType) and (levels == 0 or depth < levels):
            for field in dtype.fields:
                walk([*path, field.name], field.dataType, depth + 1)
        else:
            quoted = ".".join(f"`{p}`" for p in path)
            columns.append(F.col(quoted).alias(separator.join(path)))

    for field in self.schema.fields:
        walk([field.name], field.dataType, 0)
    return self.select(*columns)


enrich_df("gs_flatten", flatten)
