"""The awsglue shim swaps sys.modules entries in and restores them (sqlframe's pattern)."""

import sys

import pytest

from localglue.shim import MODULES, glue_shim


def test_awsglue_is_not_importable_outside_the_shim():
    assert "awsglue" not in sys.modules
    with pytest.raises(ModuleNotFoundError):
        __import__("awsglue")


def test_shim_installs_every_module_and_restores_previous_entries(monkeypatch):
    sentinel = object()
    monkeypatch.setitem(sys.modules, "awsglue.utils", sentinel)
    with glue_shim():
        for name, target in MODULES.items():
            assert sys.modules[name] is sys.modules[target]
    assert sys.modules["awsglue.utils"] is sentinel
    assert "awsglue" not in sys.modules


def test_spark_context_call_returns_the_running_context(spark):
    import pyspark
    from pyspark.context import SparkContext as original

    with glue_shim():
        from pyspark.context import SparkContext

        assert SparkContext() is spark.sparkContext
        assert SparkContext.getOrCreate() is spark.sparkContext
    assert pyspark.context.SparkContext is original


def test_star_import_of_spark_functions_keeps_the_shared_spark_context(spark):
    """Detect Sensitive Data nodes write `from pyspark.sql.functions import *` after importing
    SparkContext; the star import re-binds the name, and `SparkContext()` must still work."""
    import pyspark.sql.functions

    original = pyspark.sql.functions.SparkContext
    with glue_shim():
        namespace = {}
        exec("from pyspark.sql.functions import *", namespace)
        assert namespace["SparkContext"]() is spark.sparkContext
    assert pyspark.sql.functions.SparkContext is original


def test_spark_reader_writer_and_sql_are_patched_inside_the_shim_and_restored_after():
    from pyspark.sql import SparkSession
    from pyspark.sql.readwriter import DataFrameReader, DataFrameWriter

    names = {
        DataFrameReader: ("load", "json", "parquet", "csv", "text", "orc", "option", "table"),
        DataFrameWriter: ("save", "json", "parquet", "csv", "mode", "insertInto", "saveAsTable"),
        SparkSession: ("sql", "table"),
    }
    before = {(cls, n): cls.__dict__[n] for cls, ns in names.items() for n in ns}
    with glue_shim():
        assert all(cls.__dict__[n] is not f for (cls, n), f in before.items())
    assert all(cls.__dict__[n] is f for (cls, n), f in before.items())
