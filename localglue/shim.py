"""Make `import awsglue` / `import awsgluedq` resolve to this runtime, and undo it.

Exported Glue scripts import `awsglue.*` and `awsgluedq.*`; we never install
packages under those names (they would shadow AWS's own library on a Glue dev
endpoint). Instead the runner activates this shim around a script: it swaps
entries in `sys.modules` and restores whatever was there before.

It also makes `SparkContext()` return the already-running context, because
Glue 4/5 scripts call `sc = SparkContext()` and several jobs share one JVM here; and it
gives plain Spark what a Glue job has: s3:// paths in `spark.read`/`df.write` map into the
lake (spark_paths.py), and Spark SQL sees the local Data Catalog (spark_catalog.py).
"""

from __future__ import annotations

import contextlib
import importlib
import sys

# Every module name an exported script can import, mapped to its implementation.
MODULES = {
    "awsglue": "localglue.awsglue",
    "awsglue.context": "localglue.awsglue.context",
    "awsglue.dynamicframe": "localglue.awsglue.dynamicframe",
    "awsglue.transforms": "localglue.awsglue.transforms",
    "awsglue.utils": "localglue.awsglue.utils",
    "awsglue.job": "localglue.awsglue.job",
    "awsglue.gluetypes": "localglue.awsglue.gluetypes",
    "awsgluedq": "localglue.awsgluedq",
    "awsgluedq.transforms": "localglue.awsgluedq.transforms",
}

_MISSING = object()


class _SharedSparkContextMeta(type):
    """Calling the class returns the active SparkContext when there is one."""

    def __call__(cls, *args, **kwargs):
        from pyspark import SparkContext as Real

        active = Real._active_spark_context
        if active is not None:
            return active
        from localglue.spark import get_spark

        return get_spark().sparkContext


def _shared_spark_context_class():
    from pyspark import SparkContext as Real

    # A subclass keeps isinstance checks and classmethods (getOrCreate) intact.
    return _SharedSparkContextMeta("SparkContext", (Real,), {"__module__": "pyspark.context"})


@contextlib.contextmanager
def glue_shim():
    """Install the awsglue modules, the shared SparkContext, s3:// paths for Spark's reader
    and writer and the Data Catalog for Spark SQL; restore everything on exit."""
    import pyspark
    import pyspark.context

    from localglue.spark_catalog import glue_data_catalog
    from localglue.spark_paths import lake_paths

    saved = {name: sys.modules.get(name, _MISSING) for name in MODULES}
    saved_sc = (pyspark.SparkContext, pyspark.context.SparkContext)
    try:
        for name, target in MODULES.items():
            sys.modules[name] = importlib.import_module(target)
        shared = _shared_spark_context_class()
        pyspark.SparkContext = shared
        pyspark.context.SparkContext = shared
        with lake_paths(), glue_data_catalog():
            yield
    finally:
        for name, module in saved.items():
            if module is _MISSING:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        pyspark.SparkContext, pyspark.context.SparkContext = saved_sc
