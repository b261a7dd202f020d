"""Make `import awsglue` / `import awsgluedq` resolve to this runtime, and undo it.

Exported Glue scripts import `awsglue.*` and `awsgluedq.*`; we never install
packages under those names (they would shadow AWS's own library on a Glue dev
endpoint). Instead the runner activates this shim around a script: it swaps
entries in `sys.modules` and restores whatever was there before.

It also makes `SparkContext()` return the already-running context, because
Glue 4/5 scripts call `sc = SparkContext()` and several jobs share one JVM here; and it
gives plain Spark what a Glue job has: s3:// paths in `spark.read`/`df.write` map into the
lake (spark_paths.py), and Spark SQL sees the local Data Catalog (spark_catalog.py).

Glue Studio's managed transforms (`import gs_derived`, localglue/studio/) are served by a
finder for as long as the shim is active: each import runs the module afresh, attaching its
method to DynamicFrame and DataFrame as on Glue, and leaving the shim detaches them.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
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
    "awsglueml": "localglue.awsglueml",
    "awsglueml.transforms": "localglue.awsglueml.transforms",
    "gs_common": "localglue.studio.gs_common",
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


class _StudioTransforms(importlib.abc.MetaPathFinder):
    """`import gs_<name>` -> localglue/studio/gs_<name>.py, executed as a fresh module."""

    def find_spec(self, fullname, path, target=None):
        from localglue import studio

        if path is None and fullname in studio.TRANSFORMS:
            return importlib.util.spec_from_file_location(fullname, studio.module_file(fullname))
        return None


@contextlib.contextmanager
def glue_shim():
    """Install the awsglue modules, the shared SparkContext, s3:// paths for Spark's reader
    and writer and the Data Catalog for Spark SQL; restore everything on exit."""
    import pyspark
    import pyspark.context
    import pyspark.sql.functions

    from localglue import studio
    from localglue.studio import gs_common

    served = (*MODULES, *studio.TRANSFORMS)
    saved = {name: sys.modules.get(name, _MISSING) for name in served}
    # `from pyspark.sql.functions import *` (Detect Sensitive Data nodes) re-binds the name.
    saved_sc = (
        pyspark.SparkContext,
        pyspark.context.SparkContext,
        pyspark.sql.functions.SparkContext,
    )
    finder = _StudioTransforms()
    from localglue.spark_catalog import glue_data_catalog
    from localglue.spark_paths import lake_paths

    try:
        for name in studio.TRANSFORMS:
            sys.modules.pop(name, None)  # a job imports the module afresh, as on Glue
        sys.meta_path.insert(0, finder)
        for name, target in MODULES.items():
            sys.modules[name] = importlib.import_module(target)
        shared = _shared_spark_context_class()
        pyspark.SparkContext = shared
        pyspark.context.SparkContext = shared
        pyspark.sql.functions.SparkContext = shared
        with lake_paths(), glue_data_catalog():
            yield
    finally:
        sys.meta_path.remove(finder)
        gs_common.detach_all()
        for name, module in saved.items():
            if module is _MISSING:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        (
            pyspark.SparkContext,
            pyspark.context.SparkContext,
            pyspark.sql.functions.SparkContext,
        ) = saved_sc
