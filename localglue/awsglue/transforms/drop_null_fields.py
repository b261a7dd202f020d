"""DropNullFields: drop the fields whose TYPE is null, as aws-glue-libs' DropNullFields does.

aws-glue-libs (awsglue/transforms/drop_nulls.py) walks `frame.schema()`: a field of NullType
is dropped, inside structs and inside structs held by arrays too (an array of NullType is
kept). Which fields are NullType depends on where the frame's schema comes from
(dynamicframe.py): in a frame read from JSON a field that no record holds a value for is
NullType on Glue, while Spark types it string, so those fields are found by counting values;
a typed column (Parquet, a SQL node, fromDF) that is null in every row keeps its type and
stays.
"""

from __future__ import annotations

from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue.awsglue.transforms.transform import GlueTransform


def _null_typed(dtype: T.DataType, path: list[str], out: list[list[str]]) -> None:
    if isinstance(dtype, T.StructType):
        for f in dtype.fields:
            _null_typed(f.dataType, [*path, f.name], out)
    elif isinstance(dtype, T.ArrayType):
        if isinstance(dtype.elementType, T.StructType):
            _null_typed(dtype.elementType, path, out)
    elif isinstance(dtype, T.NullType):
        out.append(path)


def _leaves(dtype: T.DataType, path: list[str]) -> list[list[str]]:
    """Value paths of a record-typed field: itself, or the leaves of its structs."""
    if isinstance(dtype, T.StructType):
        return [leaf for f in dtype.fields for leaf in _leaves(f.dataType, [*path, f.name])]
    return [path]


def _without_values(frame, fields: list[T.StructField]) -> list[list[str]]:
    """Paths of record-typed fields (and their struct members) no record holds a value for."""
    from localglue.fieldpaths import _col

    paths = [leaf for f in fields for leaf in _leaves(f.dataType, [f.name])]
    paths = [p for p in paths if not isinstance(_type_at(frame._df.schema, p), T.NullType)]
    if not paths:
        return []
    counts = frame._df.agg(*[F.count(_col(*p)).alias(str(i)) for i, p in enumerate(paths)])
    row = counts.first()
    return [p for i, p in enumerate(paths) if not row[str(i)]]


def _type_at(schema: T.StructType, path: list[str]) -> T.DataType:
    dtype: T.DataType = schema
    for part in path:
        dtype = dtype[part].dataType
    return dtype


class DropNullFields(GlueTransform):
    """Drop every field whose type is null (NullType), nested ones included."""

    def __call__(self, frame, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0):  # noqa: N803
        from localglue.fieldpaths import quote

        names = set(frame._data_names)
        fields = [f for f in frame._df.schema.fields if f.name in names]
        drop: list[list[str]] = []
        for f in fields:
            _null_typed(f.dataType, [f.name], drop)
        drop += _without_values(frame, [f for f in fields if f.name in frame._record_typed])
        if not drop:
            return frame
        paths = list(dict.fromkeys(".".join(quote(p) for p in path) for path in drop))
        return frame.drop_fields(paths, transformation_ctx, info, stageThreshold, totalThreshold)
