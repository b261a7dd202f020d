"""To Timestamp: a number (seconds, milliseconds or microseconds since the epoch) or an ISO
8601 string ("2022-11-02T14:40:59.915Z") becomes a timestamp, replacing the column unless a
new name is given. "autodetect" guesses per value: a number's unit from its magnitude
(local heuristic: below 1e11 seconds, below 1e14 milliseconds, else microseconds), any
other string as ISO. A value that cannot be read becomes null."""

from pyspark.sql import Column
from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue.errors import LakehouseError
from localglue.studio.gs_common import enrich_df

UNITS = ("seconds", "milliseconds", "microseconds")
COL_TYPES = (*UNITS, "iso", "autodetect")


def _from_number(number: Column, unit: str) -> Column:
    scale = {"seconds": 1, "milliseconds": 1_000, "microseconds": 1_000_000}[unit]
    return (number / F.lit(scale)).cast("timestamp")


def _autodetect(value: Column, dtype: T.DataType) -> Column:
    number = value.cast("double")
    size = F.abs(number)
    guessed = (
        F.when(size < 1e11, _from_number(number, "seconds"))
        .when(size < 1e14, _from_number(number, "milliseconds"))
        .otherwise(_from_number(number, "microseconds"))
    )
    if isinstance(dtype, T.NumericType):
        return guessed
    return F.when(number.isNotNull(), guessed).otherwise(F.to_timestamp(value.cast("string")))


def to_timestamp(self, colName, colType="autodetect", newColName=None):  # noqa: N803
    if colType not in COL_TYPES:
        raise LakehouseError(f"gs_to_timestamp: colType {colType!r} is not one of {COL_TYPES}")
    value = F.col(colName)
    if colType == "iso":
        converted = F.to_timestamp(value.cast("string"))
    elif colType == "autodetect":
        converted = _autodetect(value, self.select(value).schema.fields[0].dataType)
    else:
        converted = _from_number(value.cast("double"), colType)
    return self.withColumn(newColName or colName, converted)


enrich_df("gs_to_timestamp", to_timestamp)
