"""Glue's DynamicFrames name fields exactly; Spark's SQL does not.

A DynamicRecord maps a name to a value case-sensitively: `serialNumber` and `serialnumber` are
two fields, and every DynamicFrame operation (DropFields, SelectFields, RenameField, Join keys,
toDF, the sinks) names them exactly. Spark resolves names case-insensitively
(`spark.sql.caseSensitive=false`, Glue's setting too), where two such columns are ambiguous and
`drop("serialnumber")` drops both.

So the runtime builds each DynamicFrame operation's Spark plan with `spark.sql.caseSensitive`
set to true and puts the session's own value back afterwards: Spark analyses a plan when it is
built, so the plan keeps the exact columns it named, while the learner's `spark.sql(...)` and
DataFrame code run with the session's setting, as they do on Glue.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TypeVar

CASE_SENSITIVE = "spark.sql.caseSensitive"

F = TypeVar("F", bound=Callable)


@contextlib.contextmanager
def exact_names(spark) -> Iterator[None]:
    """Inside: Spark matches column names exactly. Nested uses restore what they found."""
    conf = spark.conf
    before = conf.get(CASE_SENSITIVE, "false")
    conf.set(CASE_SENSITIVE, "true")
    try:
        yield
    finally:
        conf.set(CASE_SENSITIVE, before)


def with_exact_names(method: F) -> F:
    """Run a DynamicFrame (or GlueContext) method inside exact_names."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession()
        if spark is None:  # no session yet: nothing is resolved before the method makes one
            return method(*args, **kwargs)
        with exact_names(spark):
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
