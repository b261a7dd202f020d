"""Plain Spark reads and writes on s3:// paths inside a job, into the lake.

A Glue job reads and writes S3 with Spark's own API too (`spark.read.json("s3://…")`,
`df.write.parquet("s3://…")`). While a job runs (shim.py), every path argument of
DataFrameReader and DataFrameWriter (`load`, `json`, `parquet`, `csv`, `text`, `orc`, `save`,
and `option("path", …)`) goes through Lake.local_path: s3://, s3a:// and s3n:// keys map into
the lake, and any path that would leave it (`..`, an absolute or file:// path outside the lake,
a symbolic link out) is refused with one line, as GlueContext paths are.

Writes keep the job's commit protocol (transaction.py): Spark writes into the job's
`_staging/` folder, the files are planned into the target and land when the job commits. The
save mode keeps Spark's meaning, judged on what the target holds as the job sees it:
`errorifexists` (the default) fails on a target that has files, `ignore` writes nothing
then, `append` adds files, `overwrite` replaces the target's files (with
`spark.sql.sources.partitionOverwriteMode=dynamic`, only those of the partitions written).

The runtime's own Spark reads and writes (GlueContext sources, sinks: code in `localglue.*`)
already name lake paths and manage their own staging: they pass through unchanged.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys

from localglue import events, transaction
from localglue import lake as lake_mod
from localglue.errors import LakehouseError

_READ_PATHS = {"load": 1, "json": 1, "parquet": None, "csv": 1, "text": 1, "orc": 1}
_WRITE_PATHS = {"save": None, "json": "json", "parquet": "parquet", "csv": "csv"}
_WRITE_PATHS |= {"text": "text", "orc": "orc"}
_ERROR_MODES = ("error", "errorifexists", "default")


class PathAlreadyExists(LakehouseError):
    """Spark's [PATH_ALREADY_EXISTS] for an s3:// target (save mode errorifexists)."""


def local(value):
    """A path argument (str, or a list/tuple of them) mapped into the current lake."""
    lake = lake_mod.current()
    if isinstance(value, (str, os.PathLike)):
        return lake.local_path(os.fspath(value))
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return [lake.local_path(v) for v in value]
    return value  # an RDD or Dataset of JSON strings, say


def _from_runtime() -> bool:
    """Whether the patched method was called by this runtime's own code (two frames up:
    past this check and the wrapper), rather than by the job's script."""
    return sys._getframe(2).f_globals.get("__name__", "").startswith("localglue.")


def _reader(method, positional):
    @functools.wraps(method)
    def read(self, *args, **kwargs):
        if _from_runtime():
            return method(self, *args, **kwargs)
        if positional is None:  # parquet(*paths)
            args = tuple(local(a) for a in args)
        elif args:
            args = (local(args[0]), *args[1:])
        for key in ("path", "paths"):
            if kwargs.get(key) is not None:
                kwargs[key] = local(kwargs[key])
        return method(self, *args, **kwargs)

    return read


def _option(method, keep_path: bool):
    """option("path", …): a reader gets the lake path; a writer only remembers it (its write
    method passes the path, staged or not, as Spark's save(path) would)."""

    @functools.wraps(method)
    def option(self, key, value):
        if str(key).lower() != "path" or _from_runtime():
            return method(self, key, value)
        self._localglue_path = local(value)
        return method(self, key, self._localglue_path) if keep_path else self

    return option


def _options(method, keep_path: bool):
    @functools.wraps(method)
    def options(self, **opts):
        if _from_runtime():
            return method(self, **opts)
        for key in [k for k in opts if k.lower() == "path"]:
            self._localglue_path = local(opts.pop(key))
            if keep_path:
                opts[key] = self._localglue_path
        return method(self, **opts)

    return options


def _recorder(method, attribute):
    @functools.wraps(method)
    def record(self, value, *rest):
        if value is not None:
            setattr(self, attribute, value)
        return method(self, value, *rest)

    return record


def _writer(method, implied_format):
    signature = inspect.signature(method)

    @functools.wraps(method)
    def write(self, *args, **kwargs):
        if _from_runtime():
            return method(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs)
        path = bound.arguments.get("path")
        if path is None:
            path = getattr(self, "_localglue_path", None)
            if path is None:
                return method(*bound.args, **bound.kwargs)  # Spark's own "path missing" error
        else:
            path = local(path)
        mode = bound.arguments.pop("mode", None) or getattr(self, "_localglue_mode", None)
        fmt = bound.arguments.get("format") or implied_format
        fmt = fmt or getattr(self, "_localglue_format", None) or _default_format(self)
        txn = transaction.active_for(path)
        if txn is None:  # outside a job: Spark writes in place, as on Glue
            bound.arguments["path"] = path
            if mode is not None:
                self.mode(mode)
            return method(*bound.args, **bound.kwargs)
        return staged_write(self, method, bound, path, mode, fmt, txn)

    return write


def _default_format(writer) -> str:
    return writer._df.sparkSession.conf.get("spark.sql.sources.default", "parquet")


def _has_files(root: str, txn) -> bool:
    if txn.writes_under(root):
        return True
    if os.path.isfile(root):
        return not txn.deleted(root)
    for dirpath, _dirs, names in os.walk(root):
        if any(not txn.deleted(os.path.join(dirpath, n)) for n in names):
            return True
    return False


def staged_write(writer, method, bound, target: str, mode, fmt: str, txn) -> None:
    """Let Spark write into a fresh staging folder, then plan its files into target."""
    mode = str(mode or "errorifexists").lower()
    shown = lake_mod.current().s3_uri(target)
    if _has_files(target, txn):
        if mode in _ERROR_MODES:
            raise PathAlreadyExists(
                f'[PATH_ALREADY_EXISTS] Path {shown} already exists. Set mode as "overwrite" '
                "to overwrite the existing path."
            )
        if mode == "ignore":
            return
    staging = txn.new_write_dir()
    bound.arguments["path"] = staging
    writer.mode("overwrite")  # a fresh folder
    method(*bound.args, **bound.kwargs)
    files = publish(staging, target, txn, overwrite=mode == "overwrite", df=writer._df)
    header = str(bound.arguments.get("header", "")).lower() == "true"
    rows = count_rows(files, fmt, header)
    events.emit("write", path=shown, rows=rows, fmt=fmt, files=len(files))


def publish(staging: str, target: str, txn, overwrite: bool, df) -> list[str]:
    """Plan Spark's output files (part files and `_SUCCESS`, not local `.crc` checksums)
    from staging into target; with overwrite, first purge what target held (or, in dynamic
    partition overwrite, the partitions written). Returns the staged files."""
    staged = []
    for root, dirs, names in os.walk(staging):
        dirs.sort()
        staged += [os.path.join(root, n) for n in sorted(names) if not n.endswith(".crc")]
    if overwrite:
        spark = df.sparkSession
        dynamic = spark.conf.get("spark.sql.sources.partitionOverwriteMode", "static")
        written = {os.path.dirname(os.path.relpath(f, staging)) for f in staged}
        written.discard("")
        if dynamic.lower() == "dynamic" and written and all("=" in w for w in written):
            for folder in sorted(written):
                txn.purge(os.path.join(target, folder), float("inf"))
        else:
            txn.purge(target, float("inf"))
    for file in staged:
        txn.stage_move(file, os.path.join(target, os.path.relpath(file, staging)))
    return [f for f in staged if not os.path.basename(f).startswith(("_", "."))]


def count_rows(files: list[str], fmt: str, header: bool = False) -> int:
    """Rows in written files (Parquet footers, text lines); 0 for formats it cannot read."""
    from localglue.sinks import count_file_rows

    kind = {"text": "json"}.get(fmt.lower(), fmt.lower())
    if kind not in ("parquet", "json", "csv"):
        return 0
    return sum(count_file_rows(f, kind, header) for f in files)


@contextlib.contextmanager
def lake_paths():
    """While a job runs: Spark's reader and writer map their paths into the lake (and
    writes are staged in the job's transaction); restored on exit."""
    from pyspark.sql.readwriter import DataFrameReader, DataFrameWriter

    saved = []

    def patch(cls, name, replacement):
        saved.append((cls, name, cls.__dict__[name]))
        setattr(cls, name, replacement)

    for name, positional in _READ_PATHS.items():
        patch(DataFrameReader, name, _reader(getattr(DataFrameReader, name), positional))
    for name, implied in _WRITE_PATHS.items():
        patch(DataFrameWriter, name, _writer(getattr(DataFrameWriter, name), implied))
    for cls, keep_path in ((DataFrameReader, True), (DataFrameWriter, False)):
        patch(cls, "option", _option(cls.option, keep_path))
        patch(cls, "options", _options(cls.options, keep_path))
    patch(DataFrameWriter, "mode", _recorder(DataFrameWriter.mode, "_localglue_mode"))
    patch(DataFrameWriter, "format", _recorder(DataFrameWriter.format, "_localglue_format"))
    try:
        yield
    finally:
        for cls, name, original in reversed(saved):
            setattr(cls, name, original)
