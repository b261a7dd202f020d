"""Glue's own schema types (what DynamicFrame.schema() returns), including ChoiceType.

A DynamicFrame's data lives in a Spark DataFrame; its Glue schema is that
DataFrame's schema with Glue's type names, plus ChoiceType for top-level fields
whose JSON values had more than one type (e.g. phone as a string in one file and
a number in another). Also the Glue type-name <-> Spark type conversions that
ApplyMapping and ResolveChoice need.
"""

from __future__ import annotations

from pyspark.sql import types as T

from localglue.errors import LakehouseError

__all__ = [
    "ArrayType",
    "BinaryType",
    "BooleanType",
    "ByteType",
    "ChoiceType",
    "DataType",
    "DateType",
    "DecimalType",
    "DoubleType",
    "Field",
    "FloatType",
    "IntegerType",
    "LongType",
    "MapType",
    "NullType",
    "ShortType",
    "StringType",
    "StructType",
    "TimestampType",
    "UnknownType",
]


class DataType:
    name = "unknown"

    def typeName(self) -> str:  # noqa: N802 - Glue's API name
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(type(self).__name__)


def _atomic(class_name: str, glue_name: str) -> type[DataType]:
    return type(class_name, (DataType,), {"name": glue_name})


BooleanType = _atomic("BooleanType", "boolean")
StringType = _atomic("StringType", "string")
IntegerType = _atomic("IntegerType", "int")
LongType = _atomic("LongType", "long")
ShortType = _atomic("ShortType", "short")
ByteType = _atomic("ByteType", "byte")
FloatType = _atomic("FloatType", "float")
DoubleType = _atomic("DoubleType", "double")
DateType = _atomic("DateType", "date")
TimestampType = _atomic("TimestampType", "timestamp")
BinaryType = _atomic("BinaryType", "binary")
NullType = _atomic("NullType", "null")
UnknownType = _atomic("UnknownType", "unknown")


class DecimalType(DataType):
    name = "decimal"

    def __init__(self, precision: int = 10, scale: int = 2):
        self.precision, self.scale = precision, scale


class ArrayType(DataType):
    name = "array"

    def __init__(self, elementType: DataType):  # noqa: N803
        self.elementType = elementType


class MapType(DataType):
    name = "map"

    def __init__(self, valueType: DataType):  # noqa: N803
        self.valueType = valueType


class Field:
    def __init__(self, name: str, dataType: DataType, properties: dict | None = None):  # noqa: N803
        self.name, self.dataType, self.properties = name, dataType, properties or {}

    def __repr__(self) -> str:
        return f"Field({self.name}, {self.dataType!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Field) and (self.name, self.dataType) == (
            other.name,
            other.dataType,
        )


class StructType(DataType):
    name = "struct"

    def __init__(self, fields: list[Field] | None = None):
        self.fields = list(fields or [])

    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def __iter__(self):
        return iter(self.fields)

    def __repr__(self) -> str:
        return f"StructType({self.fields!r})"


class ChoiceType(DataType):
    """A field whose values have several types; resolveChoice picks or splits them."""

    name = "choice"

    def __init__(self, choices: list[DataType]):
        self.choices = {c.typeName(): c for c in choices}

    def __repr__(self) -> str:
        return f"ChoiceType({list(self.choices)})"


_FROM_SPARK = {
    T.BooleanType: BooleanType,
    T.StringType: StringType,
    T.IntegerType: IntegerType,
    T.LongType: LongType,
    T.ShortType: ShortType,
    T.ByteType: ByteType,
    T.FloatType: FloatType,
    T.DoubleType: DoubleType,
    T.DateType: DateType,
    T.TimestampType: TimestampType,
    T.TimestampNTZType: TimestampType,
    T.BinaryType: BinaryType,
    T.NullType: NullType,
}


def from_spark(dt: T.DataType) -> DataType:
    if isinstance(dt, T.StructType):
        return StructType([Field(f.name, from_spark(f.dataType)) for f in dt.fields])
    if isinstance(dt, T.ArrayType):
        return ArrayType(from_spark(dt.elementType))
    if isinstance(dt, T.MapType):
        return MapType(from_spark(dt.valueType))
    if isinstance(dt, T.DecimalType):
        return DecimalType(dt.precision, dt.scale)
    return _FROM_SPARK.get(type(dt), UnknownType)()


def choice_of(kinds) -> ChoiceType:
    return ChoiceType([atomic_type(k) for k in sorted(kinds)])


def atomic_type(glue_name: str) -> DataType:
    for cls in _FROM_SPARK.values():
        if cls.name == glue_name:
            return cls()
    return UnknownType()


# Glue type names (ApplyMapping targets, cast:TYPE) -> Spark SQL type strings.
_ALIASES = {
    "long": "bigint",
    "integer": "int",
    "short": "smallint",
    "byte": "tinyint",
    "bool": "boolean",
    "str": "string",
    "varchar": "string",
    "char": "string",
    "real": "float",
}


def spark_type_name(glue_type: str) -> str:
    """'long' -> 'bigint', 'decimal(10,2)' unchanged; raise on names Spark cannot parse."""
    name = glue_type.strip().lower()
    name = _ALIASES.get(name, name)
    try:
        T._parse_datatype_string(name)
    except Exception as exc:
        raise LakehouseError(
            f"unknown Glue type {glue_type!r}; use one of string, long, int, double, float, "
            "boolean, timestamp, date, decimal(p,s), short, byte, binary"
        ) from exc
    return name


def spark_type(glue_type: str) -> T.DataType:
    return T._parse_datatype_string(spark_type_name(glue_type))


def from_hive(hive: str) -> T.DataType:
    """A catalog column's Hive type as a Spark type; one Spark cannot parse reads as a string."""
    try:
        return T._parse_datatype_string(hive)
    except Exception:  # noqa: BLE001 - Hive types Spark does not know
        return T.StringType()


def hive_type(dt: T.DataType) -> str:
    """The Hive/Glue Data Catalog column type for a Spark type (bigint, struct<a:int>...)."""
    if isinstance(dt, T.NullType):
        return "string"
    return dt.simpleString()


# -- printSchema --------------------------------------------------------------------------
def tree_string(schema: StructType) -> str:
    """Glue's printSchema layout: `root` then `|-- name: type` lines, children indented."""
    lines = ["root"]

    def walk(dt: DataType, depth: int) -> None:
        pad = "|    " * depth
        if isinstance(dt, StructType):
            for f in dt.fields:
                lines.append(f"{pad}|-- {f.name}: {f.dataType.typeName()}")
                walk(f.dataType, depth + 1)
        elif isinstance(dt, ArrayType):
            lines.append(f"{pad}|-- element: {dt.elementType.typeName()}")
            walk(dt.elementType, depth + 1)
        elif isinstance(dt, MapType):
            lines.append(f"{pad}|-- value: {dt.valueType.typeName()}")
            walk(dt.valueType, depth + 1)
        elif isinstance(dt, ChoiceType):
            for c in dt.choices.values():
                lines.append(f"{pad}|-- {c.typeName()}")

    walk(schema, 0)
    return "\n".join(lines) + "\n"
