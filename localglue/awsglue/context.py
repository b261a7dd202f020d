"""GlueContext: Glue's sources and sinks over the local lake (s3://bucket/key -> <lake>/bucket/key).

API (what Glue Studio scripts call; names and keywords as in AWS Glue):

  glueContext = GlueContext(sc)                 .spark_session, .get_logger(), .sql(q)
  glueContext.create_dynamic_frame.from_options(connection_type="s3", format="json"|"parquet"|"csv",
      connection_options={"paths": [...], "recurse": True, "exclusions": [...]},
      format_options={"multiLine": "true", "jsonPath": "$.records[*]", "withHeader": True, ...},
      transformation_ctx="X")                   -> DynamicFrame (bookmarks filter the files)
  glueContext.create_dynamic_frame.from_catalog(database=, table_name=, transformation_ctx=,
      push_down_predicate=, additional_options=) -> reads the table's Location in its format;
      field names as the files hold them (the catalog's lower-case columns only for an empty
      Location), as Glue computes a DynamicFrame's schema from the data
  glueContext.create_data_frame.from_catalog / from_options -> the same, as a DataFrame
  glueContext.write_dynamic_frame.from_options(frame=, connection_type="s3",
      format="glueparquet"|"parquet"|"json"|"csv", connection_options={"path": ..., "partitionKeys": [...]},
      format_options={"compression": "snappy"}, transformation_ctx=)
  glueContext.write_dynamic_frame.from_catalog(frame=, database=, table_name=,
      additional_options={"enableUpdateCatalog": True, "updateBehavior": "LOG", "partitionKeys": [...]})
  sink = glueContext.getSink(path=, connection_type="s3", updateBehavior="UPDATE_IN_DATABASE"|"LOG",
      partitionKeys=[], enableUpdateCatalog=True, transformation_ctx=)
  sink.setCatalogInfo(catalogDatabase=, catalogTableName=); sink.setFormat("glueparquet", compression="snappy")
  sink.writeFrame(frame)                        -> creates/updates the catalog table (UPDATE_IN_DATABASE
                                                   overwrites its schema; LOG leaves an existing one)
  glueContext.purge_s3_path(path, options={"retentionPeriod": 168})   deletes files OLDER than N hours
  glueContext.purge_table(database, table_name, options={...})

Sinks APPEND with unique run-<epoch ms>-part-... names (re-running a job duplicates output
unless purged) and emit events.emit("write", path=, table=, rows=, fmt=) per write.

Inside a job run by the runner, purges, writes and catalog updates are staged in the job's
transaction and become visible together when the job commits (localglue/transaction.py);
the end result is Glue's. Used directly (no runner), they act at once, as on Glue.
"""

from __future__ import annotations

import logging
import os
import time

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue import catalog_case, events, partitions, sinks, transaction
from localglue import lake as lake_mod
from localglue.awsglue.dynamicframe import (
    DynamicFrame,
    DynamicFrameCollection,
    quote,
    union_frames,
)
from localglue.catalog import (
    Catalog,
    partition_keys,
    partition_location,
    table_columns,
    table_format,
    table_location,
)
from localglue.errors import LakehouseError
from localglue.exact_names import with_exact_names
from localglue.json_source import ABSENT, kind_column, list_files, read_json
from localglue.parquet_schema import footer_schema

DEFAULT_RETENTION_HOURS = 168
log = logging.getLogger("localglue.context")


def _truthy(value) -> bool:
    return value is True or str(value).lower() in ("true", "1", "yes")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        import json

        text = value.strip()
        if text.startswith("["):
            return list(json.loads(text))
        return [value]
    return list(value)


class GlueLogger:
    """What glueContext.get_logger() returns: log4j-style info/warn/error."""

    def __init__(self, name: str = "GlueLogger"):
        self._log = logging.getLogger(name)

    def info(self, msg, *args):
        self._log.info(msg, *args)

    def warn(self, msg, *args):
        self._log.warning(msg, *args)

    warning = warn

    def error(self, msg, *args):
        self._log.error(msg, *args)

    def debug(self, msg, *args):
        self._log.debug(msg, *args)


class GlueContext:
    def __init__(self, sparkContext=None, **options):  # noqa: N803
        from localglue.spark import get_spark

        self.spark_session: SparkSession = get_spark()
        self._sc = sparkContext or self.spark_session.sparkContext
        self._options = options
        self.create_dynamic_frame = DynamicFrameReader(self)
        self.write_dynamic_frame = DynamicFrameWriter(self)
        self.create_data_frame = DataFrameReader(self)

    # -- conveniences --------------------------------------------------------------------
    @property
    def sparkSession(self) -> SparkSession:  # noqa: N802
        return self.spark_session

    def get_logger(self) -> GlueLogger:
        return GlueLogger()

    def sql(self, query: str) -> DataFrame:
        return self.spark_session.sql(query)

    @property
    def lake(self) -> lake_mod.Lake:
        return lake_mod.current()

    @property
    def catalog(self) -> Catalog:
        return Catalog(self.lake)

    def _local(self, uri: str) -> str:
        return self.lake.local_path(uri)

    def _empty(self, name: str = "", schema: T.StructType | None = None) -> DynamicFrame:
        df = self.spark_session.createDataFrame([], schema or T.StructType([]))
        return DynamicFrame(df, self, name)

    # -- sources -------------------------------------------------------------------------
    def create_dynamic_frame_from_options(
        self,
        connection_type,
        connection_options=None,
        format=None,  # noqa: A002
        format_options=None,
        transformation_ctx="",
        push_down_predicate="",
        **kwargs,
    ) -> DynamicFrame:
        connection_options = dict(connection_options or {})
        if str(connection_type).lower() not in ("s3", "file"):
            raise LakehouseError(
                f"connection_type {connection_type!r} is not available locally; this runtime reads s3 paths"
            )
        paths = _as_list(connection_options.get("paths") or connection_options.get("path"))
        if not paths:
            raise LakehouseError(
                'from_options needs connection_options={"paths": ["s3://bucket/prefix/"]}'
            )
        local = [self._local(p) for p in paths]
        files = list_files(
            local,
            _truthy(connection_options.get("recurse", False)),
            _as_list(connection_options.get("exclusions")),
            uris=paths,
            lake=self.lake,
        )
        files = transaction.visible(files)  # files this job purged are gone
        base = local[0] if len(local) == 1 and os.path.isdir(local[0]) else None
        frame = self._read(files, format, dict(format_options or {}), transformation_ctx, base)
        return _push_down(frame, push_down_predicate)

    def create_dynamic_frame_from_catalog(
        self,
        database=None,
        table_name=None,
        redshift_tmp_dir="",
        transformation_ctx="",
        push_down_predicate="",
        additional_options=None,
        catalog_id=None,
        **kwargs,
    ) -> DynamicFrame:
        database = database or kwargs.pop("name_space", None)
        if not database or not table_name:
            raise LakehouseError("from_catalog needs database= and table_name=")
        table = self.catalog.get_table(database, table_name)
        fmt = table_format(table)
        options = dict(additional_options or {})
        serde = table.get("StorageDescriptor", {}).get("SerdeInfo", {}).get("Parameters", {}) or {}
        if fmt == "csv":
            options.setdefault("separator", serde.get("field.delim", ","))
            skip = (table.get("Parameters") or {}).get("skip.header.line.count")
            options.setdefault("withHeader", skip == "1")
        predicates = (
            ("catalogPartitionPredicate", options.get("catalogPartitionPredicate")),
            ("push_down_predicate", push_down_predicate),
        )
        if partition_keys(table):
            # Glue lists the partitions registered in the catalog, not the files under the
            # location; the predicates prune them before any file is listed.
            chosen = self.catalog.get_partitions(database, table_name)
            for option, predicate in predicates:
                chosen = partitions.select(self.spark_session, table, chosen, predicate, option)
            frame = self._read_partitions(table, chosen, fmt, options, transformation_ctx)
        else:
            for option, predicate in predicates:  # nothing to prune: a warning, if any
                partitions.select(self.spark_session, table, [], predicate, option)
            location = table_location(table)
            local = self._local(location)
            files = list_files(
                [local], True, _as_list(options.get("exclusions")), [location], lake=self.lake
            )
            files = transaction.visible(files)  # files this job purged are gone
            base = local if os.path.isdir(local) else None
            frame = self._read(files, fmt, options, transformation_ctx, base, name=table_name)
        if not frame._data_names:
            frame = self._empty(table_name, _catalog_schema(table))
        elif catalog_case.current() == catalog_case.LOWER:
            frame = _lower_case(frame)
        return frame

    def _read_partitions(self, table, chosen, fmt, options, transformation_ctx) -> DynamicFrame:
        """Each chosen partition's files, read in the table's format, with the partition's
        values as columns typed as its keys; the partitions' frames unioned by name."""
        name = table.get("Name", "")
        frames = []
        for partition in chosen:
            location = partition_location(partition)
            local = self._local(location)
            exclusions = _as_list(options.get("exclusions"))
            files = list_files([local], True, exclusions, [location], lake=self.lake)
            files = transaction.visible(files)
            base = local if os.path.isdir(local) else None
            frame = self._read(files, fmt, options, transformation_ctx, base, name=name)
            if not frame._data_names:
                continue
            df = frame._df
            for key, value, dtype in partitions.typed_values(table, partition):
                df = df.withColumn(key, F.lit(value).cast(dtype))
            frames.append(frame._derive(df))
        if not frames:
            return self._empty(name)
        return frames[0] if len(frames) == 1 else union_frames(frames, self, name)

    def create_data_frame_from_catalog(
        self,
        database=None,
        table_name=None,
        transformation_ctx="",
        additional_options=None,
        **kwargs,
    ) -> DataFrame:
        return self.create_dynamic_frame_from_catalog(
            database,
            table_name,
            "",
            transformation_ctx,
            kwargs.pop("push_down_predicate", ""),
            additional_options,
            **kwargs,
        ).toDF()

    def create_data_frame_from_options(
        self,
        connection_type,
        connection_options=None,
        format=None,
        format_options=None,
        transformation_ctx="",
        **kwargs,
    ) -> DataFrame:  # noqa: A002
        return self.create_dynamic_frame_from_options(
            connection_type,
            connection_options,
            format,
            format_options,
            transformation_ctx,
            **kwargs,
        ).toDF()

    @with_exact_names
    def _read(self, files, fmt, options, transformation_ctx, base, name="") -> DynamicFrame:
        from localglue import bookmarks

        fmt = (fmt or "").lower()
        files = bookmarks.select_files(transformation_ctx or None, files)
        name = name or transformation_ctx or ""
        if not files:
            return self._empty(name)
        spark = self.spark_session
        if fmt == "json":
            json_path = options.get("jsonPath") or None
            got = read_json(
                spark,
                files,
                _truthy(options.get("multiLine", options.get("multiline", False))),
                json_path,
            )
            # A JSON frame's schema comes from its records (dynamicframe.py).
            return DynamicFrame(got.df, self, name, got.choices, record_typed=got.df.columns)
        if fmt in ("parquet", "glueparquet"):
            reader = spark.read.option("mergeSchema", "true")
            if base:
                reader = reader.option("basePath", base)
            schema = footer_schema(files, base)  # skips Spark's schema-merging job
            if schema is not None:
                reader = reader.schema(schema)
            return DynamicFrame(reader.parquet(*files), self, name)
        if fmt == "csv":
            reader = (
                spark.read.option("header", _truthy(options.get("withHeader", False)))
                .option("sep", options.get("separator", ","))
                # Glue: quoteChar -1 turns quoting off (Glue Studio's "Disabled"); Spark: "".
                .option(
                    "quote",
                    "" if str(options.get("quoteChar")) == "-1" else options.get("quoteChar", '"'),
                )
                .option("escape", options.get("escaper", "\\"))
                .option("multiLine", _truthy(options.get("multiLine", False)))
                .option("inferSchema", "true")
            )
            if base:
                reader = reader.option("basePath", base)
            return DynamicFrame(reader.csv(files), self, name)
        raise LakehouseError(
            f"format {fmt!r} is not readable by this local Glue runtime; use json, parquet or csv"
        )

    def getSource(self, connection_type, format=None, transformation_ctx="", **options):  # noqa: N802,A002
        return DataSource(self, connection_type, format, transformation_ctx, options)

    # -- sinks ---------------------------------------------------------------------------
    def write_dynamic_frame_from_options(
        self,
        frame,
        connection_type,
        connection_options=None,
        format=None,  # noqa: A002
        format_options=None,
        transformation_ctx="",
    ) -> DynamicFrame:
        connection_options = dict(connection_options or {})
        if str(connection_type).lower() not in ("s3", "file"):
            raise LakehouseError(
                f"connection_type {connection_type!r} is not available locally; write to s3 paths"
            )
        path = connection_options.get("path")
        if not path:
            raise LakehouseError(
                'write_dynamic_frame.from_options needs connection_options={"path": "s3://..."}'
            )
        frame = _as_frame(frame)
        self._write(
            frame,
            path,
            format or "json",
            _as_list(connection_options.get("partitionKeys")),
            _with_compression(connection_options, format_options),
            None,
        )
        return frame

    def write_dynamic_frame_from_catalog(
        self,
        frame,
        database=None,
        table_name=None,
        redshift_tmp_dir="",
        transformation_ctx="",
        additional_options=None,
        catalog_id=None,
        **kwargs,
    ) -> DynamicFrame:
        database = database or kwargs.pop("name_space", None)
        options = dict(additional_options or {})
        table = self.catalog.get_table(database, table_name)
        keys = _as_list(options.get("partitionKeys")) or [
            k["Name"] for k in table.get("PartitionKeys", [])
        ]
        fmt = table_format(table)
        frame = _as_frame(frame)
        catalog_update = None
        if _truthy(options.get("enableUpdateCatalog", False)):
            catalog_update = (
                database,
                table_name,
                options.get("updateBehavior", "UPDATE_IN_DATABASE"),
            )
        self._write(
            frame,
            table_location(table),
            fmt,
            keys,
            options,
            catalog_update,
            table_label=f"{database}.{table_name}",
        )
        return frame

    def getSink(self, connection_type="s3", format=None, transformation_ctx="", **options):  # noqa: N802,A002
        return DataSink(self, connection_type, format, transformation_ctx, options)

    def _write(
        self,
        frame: DynamicFrame,
        path: str,
        fmt: str,
        partition_keys,
        format_options,
        catalog_update,
        table_label=None,
    ):
        df = frame.toDF()
        if not df.columns:
            # An empty source (nothing new under a job bookmark): Glue writes no files and
            # leaves the catalog table as it is.
            if catalog_update is not None:
                table_label = f"{catalog_update[0].lower()}.{catalog_update[1].lower()}"
            events.emit("write", path=path, table=table_label, rows=0, fmt=fmt, files=0)
            return sinks.WriteResult(self._local(path), [], 0, fmt)
        keys = [_resolve_key(df, k) for k in partition_keys]
        if catalog_update is not None:
            _require_database(self.catalog, catalog_update[0])
            if keys and self.catalog.table_exists(*catalog_update[:2]):
                partitions.check_keys(self.catalog.get_table(*catalog_update[:2]), keys)
        local = self._local(path)
        txn = transaction.active_for(local)
        data = _json_lines(frame, keys) if sinks.storage_format(fmt) == "json" else df
        result = sinks.write_df(data, local, fmt, keys, format_options, txn=txn)
        if catalog_update is not None:
            database, table, behavior = catalog_update
            stored = sinks.update_catalog(
                self.catalog, database, table, path, df.schema, fmt, keys, behavior
            )
            if keys:
                written = partitions.written(local, result.files, keys)
                self._add_partitions(stored, df.schema, written, behavior)
            table_label = f"{database.lower()}.{table.lower()}"
        events.emit(
            "write",
            path=path,
            table=table_label,
            rows=result.rows,
            fmt=fmt,
            files=len(result.files),
        )
        return result

    def _add_partitions(self, table: dict, schema, written: list[list[str]], behavior: str):
        """BatchCreatePartition for what a sink with enableUpdateCatalog wrote. With
        updateBehavior LOG, "new partitions will be added only if the DynamicFrame schema is
        equivalent to or contains a subset of the columns defined in the Data Catalog table's
        schema" (Glue developer guide, "Restrictions")."""
        database, name = table["DatabaseName"], table["Name"]
        if str(behavior).upper() == "LOG":
            known = {c.lower() for c, _ in table_columns(table)}
            extra = [f.name for f in schema.fields if f.name.lower() not in known]
            if extra:
                log.warning(
                    "%s.%s: no partitions added: updateBehavior LOG and the frame has "
                    "columns the table lacks (%s)",
                    database,
                    name,
                    ", ".join(extra),
                )
                return
        self.catalog.batch_create_partition(database, name, written)

    # -- purge ---------------------------------------------------------------------------
    def purge_s3_path(self, s3_path, options=None, transformation_ctx="") -> list[str]:
        """Delete files under s3_path older than retentionPeriod hours (default 168 = 7 days).

        As on Glue, files written in the last 7 days are KEPT unless you pass
        options={"retentionPeriod": 0}. excludeStorageClasses has no local meaning;
        partitionPredicate is a purge_table option (aws-glue-libs documents none for a path).
        """
        options = dict(options or {})
        if options.get("partitionPredicate"):
            log.warning(
                "purge_s3_path(%s): partitionPredicate ignored: a path has no catalog "
                "partitions (use purge_table)",
                s3_path,
            )
        return self._purge([s3_path], options)

    def _purge(self, s3_paths: list[str], options: dict) -> list[str]:
        hours = float(options.get("retentionPeriod", DEFAULT_RETENTION_HOURS))
        cutoff = time.time() - hours * 3600
        deleted: list[str] = []
        for s3_path in s3_paths:
            files = _purge_files(self._local(s3_path), cutoff)
            events.emit("purge", path=s3_path, files=len(files), retention_hours=hours)
            deleted += files
        self._purge_manifest(options, deleted)
        return deleted

    def _purge_manifest(self, options: dict, deleted: list[str]) -> None:
        """manifestFilePath: Success.csv lists the purged objects."""
        manifest = options.get("manifestFilePath")
        if not manifest:
            return
        out = os.path.join(self._local(manifest), "Success.csv")
        text = "".join(
            self.lake.s3_uri(p) + "\n" if p.startswith(str(self.lake.root)) else p + "\n"
            for p in deleted
        )
        transaction.write_document(out, text)

    def purge_table(
        self, database, table_name, options=None, transformation_ctx="", catalog_id=None
    ) -> list[str]:
        """Delete the table's files older than retentionPeriod; with partitionPredicate only
        those of the partitions that satisfy it. "If all files in a partition are deleted,
        that partition is also deleted from the catalog" (Glue developer guide, purge_table)."""
        options = dict(options or {})
        table = self.catalog.get_table(database, table_name)
        predicate = options.get("partitionPredicate") or ""
        if not partition_keys(table):
            partitions.select(self.spark_session, table, [], predicate, "partitionPredicate")
            return self._purge([table_location(table)], options)
        registered = self.catalog.get_partitions(database, table_name)
        chosen = partitions.select(
            self.spark_session, table, registered, predicate, "partitionPredicate"
        )
        paths = [partition_location(p) for p in chosen] if predicate else [table_location(table)]
        deleted = self._purge(paths, options)
        for partition in chosen:
            if not _files_left(self._local(partition_location(partition))):
                self.catalog.delete_partition(database, table_name, partition["Values"])
        return deleted


class DynamicFrameReader:
    def __init__(self, glue_context: GlueContext):
        self._glue_context = glue_context

    def from_options(
        self,
        connection_type,
        connection_options=None,
        format=None,
        format_options=None,
        transformation_ctx="",
        push_down_predicate="",
        **kwargs,
    ):  # noqa: A002
        return self._glue_context.create_dynamic_frame_from_options(
            connection_type,
            connection_options,
            format,
            format_options,
            transformation_ctx,
            push_down_predicate,
            **kwargs,
        )

    def from_catalog(
        self,
        database=None,
        table_name=None,
        redshift_tmp_dir="",
        transformation_ctx="",
        push_down_predicate="",
        additional_options=None,
        **kwargs,
    ):
        return self._glue_context.create_dynamic_frame_from_catalog(
            database,
            table_name,
            redshift_tmp_dir,
            transformation_ctx,
            push_down_predicate,
            additional_options,
            **kwargs,
        )


class DataFrameReader:
    def __init__(self, glue_context: GlueContext):
        self._glue_context = glue_context

    def from_catalog(
        self,
        database=None,
        table_name=None,
        transformation_ctx="",
        additional_options=None,
        **kwargs,
    ):
        return self._glue_context.create_data_frame_from_catalog(
            database, table_name, transformation_ctx, additional_options, **kwargs
        )

    def from_options(
        self,
        connection_type,
        connection_options=None,
        format=None,
        format_options=None,
        transformation_ctx="",
        **kwargs,
    ):  # noqa: A002
        return self._glue_context.create_data_frame_from_options(
            connection_type,
            connection_options,
            format,
            format_options,
            transformation_ctx,
            **kwargs,
        )


class DynamicFrameWriter:
    def __init__(self, glue_context: GlueContext):
        self._glue_context = glue_context

    def from_options(
        self,
        frame,
        connection_type,
        connection_options=None,
        format=None,
        format_options=None,
        transformation_ctx="",
    ):  # noqa: A002
        return self._glue_context.write_dynamic_frame_from_options(
            frame, connection_type, connection_options, format, format_options, transformation_ctx
        )

    def from_catalog(
        self,
        frame,
        database=None,
        table_name=None,
        redshift_tmp_dir="",
        transformation_ctx="",
        additional_options=None,
        **kwargs,
    ):
        return self._glue_context.write_dynamic_frame_from_catalog(
            frame,
            database,
            table_name,
            redshift_tmp_dir,
            transformation_ctx,
            additional_options,
            **kwargs,
        )


class DataSink:
    """What getSink returns: setCatalogInfo / setFormat / writeFrame."""

    def __init__(
        self, glue_context: GlueContext, connection_type, format, transformation_ctx, options
    ):  # noqa: A002
        if str(connection_type).lower() not in ("s3", "file"):
            raise LakehouseError(
                f"getSink connection_type {connection_type!r} is not available locally; use s3"
            )
        self._ctx = glue_context
        self.transformation_ctx = transformation_ctx
        self.options = dict(options)
        self.format = format or "json"
        self.format_options: dict = {}
        self.database: str | None = None
        self.table: str | None = None

    def setFormat(self, format, **options):  # noqa: N802,A002
        self.format = format
        self.format_options = dict(options)

    def setCatalogInfo(self, catalogDatabase, catalogTableName, catalogId=None):  # noqa: N802,N803
        self.database, self.table = catalogDatabase, catalogTableName

    def writeFrame(self, dynamic_frame, info=""):  # noqa: N802
        path = self.options.get("path")
        update = _truthy(self.options.get("enableUpdateCatalog", False))
        if not path:
            if not (self.database and self.table):
                raise LakehouseError(
                    "getSink needs path= (or setCatalogInfo for an existing table)"
                )
            path = table_location(self._ctx.catalog.get_table(self.database, self.table))
        catalog_update = None
        if update and self.database and self.table:
            catalog_update = (
                self.database,
                self.table,
                self.options.get("updateBehavior", "UPDATE_IN_DATABASE"),
            )
        frame = _as_frame(dynamic_frame)
        self._ctx._write(
            frame,
            path,
            self.format,
            _as_list(self.options.get("partitionKeys")),
            _with_compression(self.options, self.format_options),
            catalog_update,
        )
        return frame

    def write(self, frame_or_dfc, info=""):
        if isinstance(frame_or_dfc, DynamicFrameCollection):
            return [self.writeFrame(f) for f in frame_or_dfc.values()]
        return self.writeFrame(frame_or_dfc)


class DataSource:
    """What getSource returns: setFormat / getFrame."""

    def __init__(
        self, glue_context: GlueContext, connection_type, format, transformation_ctx, options
    ):  # noqa: A002
        self._ctx = glue_context
        self.connection_type = connection_type
        self.format = format
        self.format_options: dict = {}
        self.transformation_ctx = transformation_ctx
        self.options = dict(options)

    def setFormat(self, format, **options):  # noqa: N802,A002
        self.format = format
        self.format_options = dict(options)

    def getFrame(self, **kwargs):  # noqa: N802
        return self._ctx.create_dynamic_frame_from_options(
            self.connection_type,
            self.options,
            self.format,
            self.format_options,
            self.transformation_ctx,
        )


# -- helpers -------------------------------------------------------------------------------
def _as_frame(frame) -> DynamicFrame:
    if isinstance(frame, DynamicFrameCollection):
        if len(frame) != 1:
            raise LakehouseError(
                "a sink needs one DynamicFrame; select one from the collection first"
            )
        return next(iter(frame.values()))
    if not isinstance(frame, DynamicFrame):
        raise LakehouseError(
            f"expected a DynamicFrame, got {type(frame).__name__}; wrap DataFrames with DynamicFrame.fromDF"
        )
    return frame


def _with_compression(connection_options: dict, format_options) -> dict:
    """Format options plus the sink's codec, wherever the script put it."""
    options = dict(format_options or {})
    codec = sinks.sink_compression(connection_options, options)
    if codec is not None:
        options["compression"] = codec
    return options


@with_exact_names
def _json_lines(frame: DynamicFrame, keys: list[str]) -> DataFrame:
    """The frame as Glue's JSON sink writes it: one record per line, nulls kept, absent keys
    left out (json_records.py); partition keys stay columns for partitionBy."""
    from localglue.json_records import record_line

    names = [n for n in frame._data_names if n not in keys]
    line = record_line(frame._df, names, frame._choices).alias("value")
    return frame._df.select(line, *[F.col(quote(k)) for k in keys])


def _require_database(catalog: Catalog, database: str) -> None:
    """A sink with enableUpdateCatalog creates a missing TABLE, never a missing database."""
    if not catalog.database_exists(database):
        from localglue.errors import EntityNotFoundException

        raise EntityNotFoundException(
            f"Database {database} not found. (Service: AWSGlue; Status Code: 400; Error Code: "
            f"EntityNotFoundException) - a sink with enableUpdateCatalog does not create "
            f"databases; create {database} first (Athena: CREATE DATABASE {database})"
        )


def _purge_files(root: str, cutoff: float) -> list[str]:
    """The files under root older than cutoff: staged for deletion inside a job, deleted at
    once outside one (emptied folders go too)."""
    txn = transaction.active_for(root)
    if txn is not None:  # inside a job: deleted when the job commits
        return txn.purge(root, cutoff)
    deleted: list[str] = []
    if not os.path.isdir(root):
        if os.path.isfile(root) and os.path.getmtime(root) < cutoff:
            os.remove(root)
            deleted.append(root)
        return deleted
    for dirpath, _dirs, names in os.walk(root, topdown=False):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.getmtime(p) < cutoff:
                os.remove(p)
                deleted.append(p)
        if dirpath != root and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return deleted


def _files_left(root: str) -> bool:
    """Whether any file is under root once the running job's purges and writes land."""
    txn = transaction.active_for(root)
    if txn is not None and txn.writes_under(root):
        return True
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if txn is None or not txn.deleted(os.path.join(dirpath, name)):
                return True
    return False


def _resolve_key(df: DataFrame, key: str) -> str:
    if key in df.columns:
        return key
    matches = [c for c in df.columns if c.lower() == key.lower()]
    if not matches:
        raise LakehouseError(
            f"partition key {key!r} is not a field of the frame ({', '.join(df.columns)})"
        )
    return matches[0]


def _catalog_schema(table: dict) -> T.StructType:
    from localglue.gluetypes import from_hive

    return T.StructType([T.StructField(n, from_hive(h)) for n, h in table_columns(table)])


def _lower_case(frame: DynamicFrame) -> DynamicFrame:
    """The frame with lower-cased field names (`--catalog-case lower`); of two names that
    differ only in case, the first is kept. Each record keeps only the keys it had."""
    kept = {}
    for n in frame._data_names:
        kept.setdefault(n.lower(), n)
    kinds = {kind_column(n): kind_column(low) for low, n in kept.items()}
    cols = [F.col(quote(n)).alias(low) for low, n in kept.items()]
    for c in frame._df.columns:
        if c == ABSENT:
            cols.append(F.transform(ABSENT, F.lower).alias(ABSENT))
        elif c in kinds:
            cols.append(F.col(quote(c)).alias(kinds[c]))
    choices = {low: frame._choices[n] for low, n in kept.items() if n in frame._choices}
    return DynamicFrame(
        frame._df.select(*cols),
        frame.glue_ctx,
        frame.name,
        choices,
        frame._stage_errors,
        frame._prior_errors,
        frame._thresholds,
        {n.lower() for n in frame._record_typed},
    )


def _push_down(frame: DynamicFrame, predicate: str) -> DynamicFrame:
    if not predicate:
        return frame
    return frame._derive(frame._df.where(predicate))
