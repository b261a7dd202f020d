"""DynamicFrame on a plain Spark DataFrame, with Glue's record semantics.

The frame's DataFrame carries the data columns plus hidden `__glue_*` columns:

* `__glue_absent`: the top-level fields a record LACKS (null when it has them all).
  Glue records only hold the keys they were read with, so `row["k"]` raises
  KeyError in a Filter lambda for a missing key but returns None for a JSON null.
* `__glue_kind__<field>`: for choice fields, the type each record's value had.

Where a field's Glue type comes from: a frame read from JSON (or made by Map) has its schema
computed from its records, so a field no record holds a value for is typed null (NullType) on
Glue, whatever Spark inferred; a frame from Parquet, CSV or a DataFrame (fromDF, a SQL node)
keeps its column types. `_record_typed` names the top-level fields of the first kind
(DropNullFields drops them when they hold no value).

`toDF()` never shows hidden columns; choice fields come out as a struct with one
member per type (as Glue's toDF does for unresolved choices).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from pyspark import cloudpickle
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue import gluetypes, records
from localglue.errors import ErrorThresholdExceeded, LakehouseError
from localglue.exact_names import with_exact_names
from localglue.fieldpaths import _col, quote, split_path  # noqa: F401 (re-exported)
from localglue.records import (
    ABSENT,
    HIDDEN_PREFIX,
    KIND_PREFIX,
    DynamicRecord,
    json_default,
    kind_column,
    record_builder,
)

# Filter/Map functions run on Python workers that may not be able to import this project.
cloudpickle.register_pickle_by_value(records)

ERROR_SCHEMA = "errorMessage string, transformation string, record string"


def is_hidden(name: str) -> bool:
    return name.startswith(HIDDEN_PREFIX)


class DynamicFrame:
    def __init__(
        self,
        df: DataFrame,
        glue_ctx,
        name: str = "",
        choices: dict[str, tuple[str, ...]] | None = None,
        stage_errors: DataFrame | None = None,
        prior_errors: list[DataFrame] | None = None,
        thresholds: tuple[int, int] = (0, 0),
        record_typed=(),
    ):
        self._df = one_column_per_name(df)
        self.glue_ctx = glue_ctx
        self.name = name
        self._choices = {k: v for k, v in (choices or {}).items() if k in df.columns}
        self._stage_errors = stage_errors
        self._prior_errors = list(prior_errors or [])
        # (stageThreshold, totalThreshold) of the transform that made this frame.
        self._thresholds = thresholds
        self._record_typed = frozenset(record_typed) & set(self._data_names)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def fromDF(cls, dataframe: DataFrame, glue_ctx, name: str = "") -> DynamicFrame:  # noqa: N802
        """Wrap a DataFrame; every column of every row counts as present.

        A DynamicRecord maps a name to ONE value, so duplicate column names (a SQL Query
        node's `select * from a join b`) collapse to one field holding the last column's
        values (see one_column_per_name).
        """
        return cls(dataframe, glue_ctx, name)

    def _derive(
        self,
        df: DataFrame,
        choices: dict | None = None,
        stage_errors: DataFrame | None = None,
        name: str | None = None,
        record_typed=None,
    ) -> DynamicFrame:
        prior = list(self._prior_errors)
        if self._stage_errors is not None:
            prior.append(self._stage_errors)
        return DynamicFrame(
            df,
            self.glue_ctx,
            self.name if name is None else name,
            self._choices if choices is None else choices,
            stage_errors,
            prior,
            record_typed=self._record_typed if record_typed is None else record_typed,
        )

    # -- columns -----------------------------------------------------------------------
    @property
    def _data_names(self) -> list[str]:
        return [c for c in self._df.columns if not is_hidden(c)]

    @property
    def _has_absent(self) -> bool:
        return ABSENT in self._df.columns

    def _resolve(self, name: str, case_sensitive: bool = False) -> str | None:
        names = self._data_names
        if name in names:
            return name
        if not case_sensitive:
            lowered = [n for n in names if n.lower() == name.lower()]
            if len(lowered) == 1:
                return lowered[0]
        return None

    def _choice_struct(self, name: str) -> Column:
        kinds = self._choices[name]
        kind = F.col(quote(kind_column(name)))
        members = [
            F.when(kind == k, _col(name).cast(gluetypes.spark_type_name(k))).alias(k) for k in kinds
        ]
        return F.struct(*members).alias(name)

    @with_exact_names
    def toDF(self, options=None) -> DataFrame:  # noqa: N802
        cols = []
        for n in self._data_names:
            cols.append(self._choice_struct(n) if n in self._choices else _col(n).alias(n))
        return self._df.select(*cols)

    # -- inspection --------------------------------------------------------------------
    def count(self) -> int:
        return self._df.count()

    def schema(self) -> gluetypes.StructType:
        fields = []
        for f in self._df.schema.fields:
            if is_hidden(f.name):
                continue
            if f.name in self._choices:
                dtype = gluetypes.choice_of(self._choices[f.name])
            else:
                dtype = gluetypes.from_spark(f.dataType)
            fields.append(gluetypes.Field(f.name, dtype))
        return gluetypes.StructType(fields)

    def printSchema(self) -> None:  # noqa: N802
        print(gluetypes.tree_string(self.schema()), end="")

    def show(self, num_rows: int = 20) -> None:
        """Glue prints records as JSON objects, one per line, holding only present keys."""
        build = record_builder(self._data_names, self._choices)
        for row in self._df.limit(num_rows).collect():
            print(json.dumps(build(row), default=json_default))

    def toJSON(self) -> list[str]:  # noqa: N802 - convenience for tests and notebooks
        build = record_builder(self._data_names, self._choices)
        return [json.dumps(build(r), default=json_default) for r in self._df.collect()]

    def records(self) -> list[DynamicRecord]:
        """All records as DynamicRecords (small frames: tests, notebooks)."""
        build = record_builder(self._data_names, self._choices)
        return [build(r) for r in self._df.collect()]

    def getNumPartitions(self) -> int:  # noqa: N802
        return self._df.rdd.getNumPartitions()

    def repartition(self, num_partitions: int, transformation_ctx: str = "", **_) -> DynamicFrame:
        return self._derive(self._df.repartition(num_partitions))

    def coalesce(
        self, num_partitions: int, shuffle: bool = False, transformation_ctx: str = "", **_
    ):
        df = self._df.repartition(num_partitions) if shuffle else self._df.coalesce(num_partitions)
        return self._derive(df)

    # -- errors ------------------------------------------------------------------------
    def _all_errors(self) -> list[DataFrame]:
        errs = list(self._prior_errors)
        if self._stage_errors is not None:
            errs.append(self._stage_errors)
        return errs

    def errorsAsDynamicFrame(self) -> DynamicFrame:  # noqa: N802
        from localglue.spark import get_spark

        errs = self._all_errors()
        if not errs:
            df = get_spark().createDataFrame([], ERROR_SCHEMA)
        else:
            df = errs[0]
            for e in errs[1:]:
                df = df.unionByName(e)
        return DynamicFrame(df, self.glue_ctx, self.name + "_errors")

    def errorsCount(self) -> int:  # noqa: N802
        return sum(e.count() for e in self._all_errors())

    def stageErrorsCount(self) -> int:  # noqa: N802
        return 0 if self._stage_errors is None else self._stage_errors.count()

    def assertErrorThreshold(self) -> None:  # noqa: N802
        """Fail when error records EXCEED the transform's stageThreshold or totalThreshold.

        Glue: "verifies that the number of error records falls below stageThreshold and
        totalThreshold"; both default to 0, so any error record fails the assert. A count
        equal to the threshold passes ("the maximum number of error records allowed").
        """
        stage, total = self._thresholds
        _raise_over(self.stageErrorsCount(), stage, "stageThreshold")
        _raise_over(self.errorsCount(), total, "totalThreshold")

    def _check_thresholds(self, stageThreshold: int = 0, totalThreshold: int = 0) -> DynamicFrame:  # noqa: N803
        """Glue fails a transform whose error records exceed a positive threshold."""
        self._thresholds = (int(stageThreshold or 0), int(totalThreshold or 0))
        if stageThreshold:
            _raise_over(self.stageErrorsCount(), int(stageThreshold), "stageThreshold")
        if totalThreshold:
            _raise_over(self.errorsCount(), int(totalThreshold), "totalThreshold")
        return self

    # -- field transforms --------------------------------------------------------------
    @with_exact_names
    def drop_fields(
        self,
        paths,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        if isinstance(paths, str):
            paths = [paths]
        df, choices = self._df, dict(self._choices)
        for path in paths:
            parts = split_path(path)
            top = self._resolve(parts[0], case_sensitive=True)  # "DropFields is case sensitive"
            if top is None:
                continue
            if len(parts) == 1:
                df = df.drop(top)
                if top in choices:
                    df = df.drop(kind_column(top))
                    del choices[top]
            else:
                dtype = df.schema[top].dataType
                df = df.withColumn(top, _drop_nested(F.col(quote(top)), dtype, parts[1:]))
        return self._derive(df, choices)

    @with_exact_names
    def select_fields(
        self,
        paths,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        if isinstance(paths, str):
            paths = [paths]
        wanted: dict[str, list[list[str]] | None] = {}
        for path in paths:
            parts = split_path(path)
            top = self._resolve(parts[0], case_sensitive=True)  # "SelectFields is case sensitive"
            if top is None:
                continue
            if len(parts) == 1 or wanted.get(top, []) is None:
                wanted[top] = None
            else:
                wanted.setdefault(top, []).append(parts[1:])
        cols = []
        for top, subs in wanted.items():
            cols.append(
                _col(top).alias(top)
                if subs is None
                else _nested_select(top, self._df.schema[top].dataType, subs)
            )
        hidden = [
            quote(c)
            for c in self._df.columns
            if c == ABSENT or (c.startswith(KIND_PREFIX) and c[len(KIND_PREFIX) :] in wanted)
        ]
        choices = {k: v for k, v in self._choices.items() if k in wanted and wanted[k] is None}
        return self._derive(self._df.select(*cols, *hidden), choices)

    @with_exact_names
    def rename_field(
        self,
        oldName,
        newName,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        old, new = split_path(oldName), split_path(newName)
        top = self._resolve(old[0], case_sensitive=True)  # "RenameField is case sensitive"
        if top is None:
            raise LakehouseError(f"rename_field: no field {oldName!r} in {self._data_names}")
        df, choices = self._df, dict(self._choices)
        typed = {new[0] if n == top else n for n in self._record_typed}
        if len(old) == 1 and len(new) == 1:
            df = df.withColumnRenamed(top, new[0])
            if top in choices:
                df = df.withColumnRenamed(kind_column(top), kind_column(new[0]))
                choices[new[0]] = choices.pop(top)
            if ABSENT in df.columns:
                df = df.withColumn(
                    ABSENT,
                    F.transform(
                        ABSENT, lambda k: F.when(k == F.lit(top), F.lit(new[0])).otherwise(k)
                    ),
                )
            return self._derive(df, choices, record_typed=typed)
        value = _col(top, *old[1:])
        df = (
            df.withColumn(top, F.col(quote(top)).dropFields(".".join(quote(p) for p in old[1:])))
            if len(old) > 1
            else df.drop(top)
        )
        df = _set_path(df, new, value)
        return self._derive(df, choices)

    @with_exact_names
    def apply_mapping(
        self,
        mappings,
        case_sensitive: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        """Only the mapped fields survive, cast to their target types (Glue ApplyMapping)."""
        if isinstance(mappings, tuple):
            mappings = [mappings]
        tops: dict[str, list[tuple[list[str], Column]]] = {}
        absent_pairs: list[tuple[str, str]] = []
        missing_targets: list[str] = []
        for m in mappings:
            if len(m) == 4:
                src, _src_type, tgt, tgt_type = m
            elif len(m) == 3:
                src, tgt, tgt_type = m
            elif len(m) == 2:
                src, tgt_type = m
                tgt = src
            else:
                raise LakehouseError(f"ApplyMapping: mapping {m!r} must have 2, 3 or 4 items")
            src_parts, tgt_parts = split_path(src), split_path(tgt)
            top = self._resolve(src_parts[0], case_sensitive)
            # Glue Studio's Change Schema names a nested column's type "array", "struct" or
            # "map": the value keeps its own element types.
            nested = str(tgt_type).strip().lower() in ("array", "struct", "map")
            spark_t = None if nested else gluetypes.spark_type_name(tgt_type)
            found = None
            if top is not None:
                found = _schema_path(self._df.schema, [top, *src_parts[1:]], case_sensitive)
            if found is None:
                value = F.lit(None) if nested else F.lit(None).cast(spark_t)
                if len(tgt_parts) == 1:
                    missing_targets.append(tgt_parts[0])
            else:
                value = _col(*found)
                value = value if nested else value.cast(spark_t)
                if len(src_parts) == 1 and len(tgt_parts) == 1:
                    absent_pairs.append((top, tgt_parts[0]))
            tops.setdefault(tgt_parts[0], []).append((tgt_parts[1:], value))
        cols = []
        for top, entries in tops.items():
            cols.append(_build_nested(entries).alias(top))
        if self._has_absent or missing_targets:
            parts = [F.lit(t) for t in missing_targets]
            if self._has_absent:
                parts += [
                    F.when(F.array_contains(F.col(ABSENT), s), F.lit(t)) for s, t in absent_pairs
                ]
            arr = F.filter(F.array(*parts), lambda x: x.isNotNull()) if parts else F.array()
            cols.append(F.when(F.size(arr) > 0, arr).alias(ABSENT))
        # The mapping names each target's type: the output is typed, not record-typed.
        return self._derive(self._df.select(*cols), {}, record_typed=())

    def applyMapping(self, *args, **kwargs):  # noqa: N802
        if args and isinstance(args[0], DynamicFrame):
            args = args[1:]
        return self.apply_mapping(*args, **kwargs)

    @with_exact_names
    def unnest(
        self, transformation_ctx: str = "", info: str = "", stageThreshold=0, totalThreshold=0
    ):  # noqa: N803
        """Flatten nested structs into top-level fields named 'a.b'."""
        cols = []

        def walk(prefix: list[str], dt):
            for f in dt.fields:
                path = [*prefix, f.name]
                if isinstance(f.dataType, T.StructType):
                    walk(path, f.dataType)
                else:
                    cols.append(_col(*path).alias(".".join(path)))

        for f in self._df.schema.fields:
            if is_hidden(f.name):
                cols.append(F.col(quote(f.name)))
            elif isinstance(f.dataType, T.StructType):
                walk([f.name], f.dataType)
            else:
                cols.append(F.col(quote(f.name)))
        df = self._df.select(*cols)
        typed = {c for c in df.columns if c.split(".")[0] in self._record_typed}
        return self._derive(df, record_typed=typed)

    # -- record transforms (Python, as on Glue) ----------------------------------------
    @with_exact_names
    def filter(
        self,
        f: Callable,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        """Keep records for which f(record) is truthy.

        As in Glue's own Python filter: a KeyError, ValueError or TypeError raised by f
        drops the record silently; any other exception makes it an error record
        (errorsAsDynamicFrame / stageErrorsCount).
        """
        build = record_builder(self._data_names, self._choices)
        verdict = F.udf(records.filter_judge(f, build), "keep boolean, error string")
        judged = self._df.withColumn(
            "__glue_verdict", verdict(F.struct(*[quote(c) for c in self._df.columns]))
        )
        kept = judged.where("__glue_verdict.keep").drop("__glue_verdict")
        errors = judged.where("__glue_verdict.error IS NOT NULL").select(
            F.col("__glue_verdict.error").alias("errorMessage"),
            F.lit(transformation_ctx or "Filter").alias("transformation"),
            F.to_json(F.struct(*[quote(c) for c in self._data_names])).alias("record"),
        )
        return self._derive(kept, stage_errors=errors)._check_thresholds(
            stageThreshold, totalThreshold
        )

    @with_exact_names
    def map(
        self,
        f: Callable,
        preservesPartitioning: bool = False,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        """Apply f to every record; f returns the new record (a dict).

        The output schema is inferred from the records f returns, like Glue. A record
        for which f raises or returns None becomes an error record.
        """
        from localglue.json_source import parse_records

        build = record_builder(self._data_names, self._choices)
        mapper = F.udf(records.map_apply(f, build), "value string, error string")
        mapped = self._df.select(
            mapper(F.struct(*[quote(c) for c in self._df.columns])).alias("m"),
            F.to_json(F.struct(*[quote(c) for c in self._data_names])).alias("record"),
        ).persist()
        docs = mapped.where("m.value IS NOT NULL").select(F.col("m.value").alias("value"))
        errors = mapped.where("m.error IS NOT NULL").select(
            F.col("m.error").alias("errorMessage"),
            F.lit(transformation_ctx or "Map").alias("transformation"),
            F.col("record"),
        )
        parsed = parse_records(docs.sparkSession, docs)
        df = parsed.df
        # JSON round trip turns timestamps/dates/decimals into strings or doubles: restore them.
        old = {fl.name: fl.dataType for fl in self._df.schema.fields}
        for fl in df.schema.fields:
            before = old.get(fl.name)
            if (
                before is not None
                and fl.name not in parsed.choices
                and not is_hidden(fl.name)
                and before != fl.dataType
                and isinstance(
                    before,
                    (
                        T.TimestampType,
                        T.DateType,
                        T.DecimalType,
                        T.IntegerType,
                        T.FloatType,
                        T.ShortType,
                        T.ByteType,
                    ),
                )
            ):
                df = df.withColumn(fl.name, F.col(quote(fl.name)).cast(before))
        typed = df.columns  # the schema is re-inferred from the records f returned
        return self._derive(
            df, parsed.choices, stage_errors=errors, record_typed=typed
        )._check_thresholds(stageThreshold, totalThreshold)

    # -- combining ---------------------------------------------------------------------
    @with_exact_names
    def join(
        self,
        paths1,
        paths2,
        frame2: DynamicFrame,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        """Inner equality join keeping both sides' key columns.

        A frame2 field whose name is already a frame1 field comes out as `.name`
        (leading dot), which is why Glue Studio drops fields like "`.serialNumber`".
        """
        if isinstance(paths1, str):
            paths1 = [paths1]
        if isinstance(paths2, str):
            paths2 = [paths2]
        if len(paths1) != len(paths2):
            raise LakehouseError(
                f"Join: keys1 {paths1} and keys2 {paths2} must have the same length"
            )
        left, right = self._df, frame2._df
        left_names = set(self._data_names)
        renames = {n: ("." + n if n in left_names else n) for n in frame2._data_names}
        # A renamed field can meet a frame2 field already called `.name` (a frame that came
        # out of an earlier join on a shared key): a record holds one field per name, and the
        # renamed one, put last, is the one kept.
        taken = {renames[n]: n for n in frame2._data_names if renames[n] == n}
        taken.update({renames[n]: n for n in frame2._data_names if renames[n] != n})
        kept = [n for n in frame2._data_names if taken[renames[n]] == n]
        right_choices = {renames[k]: v for k, v in frame2._choices.items() if k in kept}
        r_cols = [F.col(quote(n)).alias(renames[n]) for n in kept]
        r_cols += [
            F.col(quote(kind_column(k))).alias(kind_column(renames[k]))
            for k in frame2._choices
            if k in kept
        ]
        r_absent = None
        if frame2._has_absent:
            mapping = F.create_map(
                *[x for n in frame2._data_names for x in (F.lit(n), F.lit(renames[n]))]
            )
            r_absent = F.transform(ABSENT, lambda k: F.coalesce(mapping[k], k)).alias(
                "__glue_absent_r"
            )
            r_cols.append(r_absent)
        right = right.select(*r_cols)
        # Aliases keep the condition unambiguous when both sides share lineage (self-joins);
        # a nested key path (`a.b`) compares that nested field, not the whole struct `a`.
        cond = [
            _key_column("__glue_l", self, a, "keys1")
            == _key_column("__glue_r", frame2, b, "keys2", renames)
            for a, b in zip(paths1, paths2, strict=True)
        ]
        joined = left.alias("__glue_l").join(right.alias("__glue_r"), on=cond, how="inner")
        joined = joined.select(
            *[F.col("__glue_l." + quote(c)) for c in left.columns],
            *[F.col("__glue_r." + quote(c)) for c in right.columns],
        )
        if frame2._has_absent or self._has_absent:
            l_abs = F.col(ABSENT) if self._has_absent else F.lit(None).cast("array<string>")
            r_abs = (
                F.col("__glue_absent_r")
                if frame2._has_absent
                else F.lit(None).cast("array<string>")
            )
            both = F.concat(F.coalesce(l_abs, F.array()), F.coalesce(r_abs, F.array()))
            joined = joined.withColumn(ABSENT, F.when(F.size(both) > 0, both))
            if frame2._has_absent:
                joined = joined.drop("__glue_absent_r")
        choices = {**self._choices, **right_choices}
        return DynamicFrame(
            joined,
            self.glue_ctx,
            self.name + frame2.name,
            choices,
            None,
            self._all_errors() + frame2._all_errors(),
            record_typed=self._record_typed | {renames[n] for n in frame2._record_typed},
        )

    @with_exact_names
    def union(
        self,
        other_frame: DynamicFrame,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        """Union by field name; a field one side lacks is absent (null) in its records."""
        return union_frames([self, other_frame], self.glue_ctx, self.name)

    # -- choices -----------------------------------------------------------------------
    @with_exact_names
    def resolveChoice(
        self,
        specs=None,
        choice: str = "",
        database=None,
        table_name=None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
        catalog_id=None,
    ):  # noqa: N802,N803
        from localglue.awsglue.choice import resolve

        return resolve(self, specs, choice, database, table_name)

    # -- output ------------------------------------------------------------------------
    def write(
        self,
        connection_type,
        connection_options=None,
        format=None,
        format_options=None,
        accumulator_size=0,
    ):  # noqa: A002
        return self.glue_ctx.write_dynamic_frame_from_options(
            self, connection_type, connection_options or {}, format, format_options or {}
        )

    def spigot(
        self,
        path,
        options=None,
        transformation_ctx: str = "",
        info: str = "",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        """Write a sample as JSON to path and return self: each record kept with probability
        `prob` (default 1), then the first `topk` of them (default 100)."""
        options = options or {}
        picked = self._df.sample(fraction=float(options["prob"])) if "prob" in options else self._df
        topk = int(options.get("topk", 100))
        sample = DynamicFrame(picked.limit(topk), self.glue_ctx, self.name, self._choices)
        self.glue_ctx.write_dynamic_frame_from_options(sample, "s3", {"path": path}, "json")
        return self

    def __repr__(self) -> str:
        return f"DynamicFrame(name={self.name!r}, fields={self._data_names})"


def _join_key(frame: DynamicFrame, path: str, option: str) -> str:
    """A join key names a field exactly, as a DynamicRecord does: `serialnumber` is not
    `serialNumber`. (What Glue does with a key its frame lacks is undocumented: here the job
    stops and says which names the frame has.)"""
    name = split_path(path)[0]
    top = frame._resolve(name, case_sensitive=True)
    if top is None:
        near = [n for n in frame._data_names if n.lower() == name.lower()]
        hint = f"; did you mean {near[0]!r}? Field names are case-sensitive" if near else ""
        raise LakehouseError(
            f"Join: {option} {path!r} is not a field of the frame ({', '.join(frame._data_names)})"
            f"{hint}"
        )
    return top


def _raise_over(errors: int, threshold: int, option: str) -> None:
    if errors > threshold:
        raise ErrorThresholdExceeded(
            f"{errors} error records exceed {option}={threshold}; inspect them with "
            f"errorsAsDynamicFrame() or raise {option}"
        )


def one_column_per_name(df: DataFrame) -> DataFrame:
    """Duplicate column names -> one column per name, at the first one's place, holding the
    LAST one's values, as Glue's name->value DynamicRecords do (evidence: docs/fidelity.md)."""
    names = df.columns
    if len(set(names)) == len(names):
        return df
    slots = [f"__glue_dup_{i}" for i in range(len(names))]
    last = {n: i for i, n in enumerate(names)}
    order = list(dict.fromkeys(names))
    return df.toDF(*slots).select(*[F.col(slots[last[n]]).alias(n) for n in order])


@with_exact_names
def union_frames(frames: list[DynamicFrame], glue_ctx, name: str = "") -> DynamicFrame:
    all_names: list[str] = []
    for fr in frames:
        for n in fr._data_names:
            if n not in all_names:
                all_names.append(n)
    choices: dict[str, tuple[str, ...]] = {}
    for fr in frames:
        for k, v in fr._choices.items():
            choices[k] = tuple(sorted(set(choices.get(k, ())) | set(v)))
    need_absent = any(fr._has_absent or set(all_names) - set(fr._data_names) for fr in frames)
    parts = []
    for fr in frames:
        df = fr._df
        missing = [n for n in all_names if n not in fr._data_names]
        cols = [F.col(quote(n)) for n in fr._data_names]
        for k in choices:
            kc = kind_column(k)
            if kc in df.columns:
                cols.append(F.col(quote(kc)))
            elif k in fr._data_names:
                # This side had a single type: derive its kind from the Spark type.
                kind = gluetypes.from_spark(df.schema[k].dataType).typeName()
                cols.append(F.when(F.col(quote(k)).isNotNull(), F.lit(kind)).alias(kc))
        if need_absent:
            own = (
                F.coalesce(F.col(ABSENT), F.array())
                if fr._has_absent
                else F.array().cast("array<string>")
            )
            arr = F.concat(own, F.array(*[F.lit(m) for m in missing]).cast("array<string>"))
            cols.append(F.when(F.size(arr) > 0, arr).alias(ABSENT))
        parts.append(df.select(*cols))
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p, allowMissingColumns=True)
    ordered = [quote(n) for n in all_names] + [quote(c) for c in out.columns if is_hidden(c)]
    errors = [e for fr in frames for e in fr._all_errors()]
    typed = set().union(*(fr._record_typed for fr in frames))
    return DynamicFrame(
        out.select(*ordered), glue_ctx, name, choices, None, errors, record_typed=typed
    )


def _drop_nested(column: Column, dtype: T.DataType, parts: list[str]) -> Column:
    """Drop a nested field; a path runs through structs and through arrays of structs (as
    aws-glue-libs' DropNullFields paths do). A missing name leaves the value as it is."""
    if isinstance(dtype, T.ArrayType) and isinstance(dtype.elementType, T.StructType):
        return F.transform(column, lambda e: _drop_nested(e, dtype.elementType, parts))
    if not isinstance(dtype, T.StructType) or parts[0] not in dtype.fieldNames():
        return column
    if len(parts) == 1:
        return column.dropFields(quote(parts[0]))
    inner = _drop_nested(column.getField(parts[0]), dtype[parts[0]].dataType, parts[1:])
    return column.withField(quote(parts[0]), inner)


def _key_column(alias: str, frame: DynamicFrame, path: str, option: str, renames=None) -> Column:
    """A join key: the top-level field named exactly (renamed on frame2's side) then, for a
    nested path `a.b`, the nested field."""
    rest = split_path(path)[1:]
    name = _join_key(frame, path, option)
    col = F.col(alias + "." + quote((renames or {}).get(name, name)))
    for part in rest:
        col = col.getField(part)
    return col


def _schema_path(schema: T.StructType, parts: list[str], case_sensitive: bool) -> list[str] | None:
    """The field names along a nested path as the schema spells them; None if it is missing.

    Case-insensitive unless asked: ApplyMapping's `case_sensitive=False` covers nested names
    too (an exact match wins over a case-insensitive one)."""
    dt: T.DataType = schema
    found = []
    for p in parts:
        if not isinstance(dt, T.StructType):
            return None
        names = dt.fieldNames()
        if p not in names:
            lowered = [] if case_sensitive else [n for n in names if n.lower() == p.lower()]
            if len(lowered) != 1:
                return None
            p = lowered[0]
        found.append(p)
        dt = dt[p].dataType
    return found


def _build_nested(entries: list[tuple[list[str], Column]]) -> Column:
    """Values placed at sub-paths under one top-level target -> one column."""
    if len(entries) == 1 and not entries[0][0]:
        return entries[0][1]
    groups: dict[str, list[tuple[list[str], Column]]] = {}
    for rest, value in entries:
        if not rest:
            raise LakehouseError("ApplyMapping: a target is both a field and a struct")
        groups.setdefault(rest[0], []).append((rest[1:], value))
    return F.struct(*[_build_nested(v).alias(k) for k, v in groups.items()])


def _nested_select(top: str, dtype: T.DataType, subs: list[list[str]]) -> Column:
    if not isinstance(dtype, T.StructType):
        return _col(top).alias(top)

    def build(prefix: list[str], dt: T.StructType, paths: list[list[str]]) -> Column:
        groups: dict[str, list[list[str]]] = {}
        for p in paths:
            if p and p[0] in dt.fieldNames():
                groups.setdefault(p[0], []).append(p[1:])
        members = []
        for name, rest in groups.items():
            child = dt[name].dataType
            if any(not r for r in rest) or not isinstance(child, T.StructType):
                members.append(_col(*prefix, name).alias(name))
            else:
                members.append(build([*prefix, name], child, rest).alias(name))
        return F.struct(*members)

    return build([top], dtype, subs).alias(top)


def _set_path(df: DataFrame, parts: list[str], value: Column) -> DataFrame:
    if len(parts) == 1:
        return df.withColumn(parts[0], value)
    top = parts[0]
    if top in df.columns:
        return df.withColumn(
            top, F.col(quote(top)).withField(".".join(quote(p) for p in parts[1:]), value)
        )
    nested = value
    for p in reversed(parts[1:]):
        nested = F.struct(nested.alias(p))
    return df.withColumn(top, nested)


class DynamicFrameCollection:
    """Named DynamicFrames, as CustomCode nodes take and return."""

    def __init__(self, dynamic_frames, glue_ctx):
        self._glue_ctx = glue_ctx
        if isinstance(dynamic_frames, list):
            self._df_dict = {df.name: df for df in dynamic_frames}
        elif isinstance(dynamic_frames, dict):
            self._df_dict = dict(dynamic_frames)
        else:
            raise TypeError("dynamic_frames must be list or dict.")

    def __getitem__(self, key):
        return self._df_dict[key]

    def __len__(self):
        return len(self._df_dict)

    def __iter__(self):
        return iter(self._df_dict)

    def keys(self):
        return self._df_dict.keys()

    def values(self):
        return self._df_dict.values()

    def items(self):
        return self._df_dict.items()

    def select(self, key, transformation_ctx: str = "") -> DynamicFrame:
        if key in self._df_dict:
            return self._df_dict[key]
        from localglue.spark import get_spark

        return DynamicFrame(get_spark().createDataFrame([], T.StructType([])), self._glue_ctx, key)

    def map(self, callable: Callable, transformation_ctx: str = "") -> DynamicFrameCollection:  # noqa: A002
        out = {}
        for k, v in self._df_dict.items():
            res = callable(v, transformation_ctx + ":" + k)
            if not isinstance(res, DynamicFrame):
                raise TypeError(f"callable must return a DynamicFrame. Got {type(res)}")
            out[k] = res
        return DynamicFrameCollection(out, self._glue_ctx)

    def flatmap(self, f: Callable, transformation_ctx: str = "") -> DynamicFrameCollection:
        out = {}
        for frame in self._df_dict.values():
            res = f(frame, transformation_ctx + ":" + frame.name)
            if isinstance(res, DynamicFrame):
                out[res.name] = res
            elif isinstance(res, DynamicFrameCollection):
                out.update(res._df_dict)
            else:
                raise TypeError(
                    f"flatmap function must return DynamicFrame or DynamicFrameCollection. Got {type(res)}"
                )
        return DynamicFrameCollection(out, self._glue_ctx)

    def __repr__(self) -> str:
        return f"DynamicFrameCollection({list(self._df_dict)})"
