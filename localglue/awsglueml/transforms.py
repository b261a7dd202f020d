"""`awsglueml.transforms`: EntityDetector (Detect Sensitive Data), FillMissingValues and the
FindMatches family, as Glue Studio's generated scripts call them.

EntityDetector reproduces the pattern-based entity types (entities.RECOGNIZERS); asking for
a model-based type (PERSON_NAME, ADDRESS, ...) fails with an error that says so, because
finding nothing would let personal data through unnoticed. `detectionSensitivity` has no
local effect. FillMissingValues predicts values with a model trained on AWS: locally it
fills with the column's mean (numbers) or most frequent value (anything else) and says so
on stderr. FindMatches and FindIncrementalMatches need an ML transform trained on AWS and
fail with an error.
"""

from __future__ import annotations

import sys

from pyspark.sql import functions as F
from pyspark.sql import types as T

from localglue.awsglue.dynamicframe import DynamicFrame
from localglue.awsglueml import entities
from localglue.errors import LakehouseError

ENTITY = T.StructType(
    [
        T.StructField("entityType", T.StringType()),
        T.StructField("start", T.IntegerType()),
        T.StructField("end", T.IntegerType()),
    ]
)
DETECTED = T.MapType(T.StringType(), T.ArrayType(ENTITY))
SAMPLE_SEED = 42


def _entity_types(requested) -> list[str]:
    if isinstance(requested, dict):  # detectionParameters: {"EMAIL": [...options], ...}
        requested = list(requested)
    if not requested:  # Glue Studio's "all types": the ones that can run here
        print(
            "Detect Sensitive Data: all entity types requested; model-based types "
            f"({', '.join(entities.NOT_LOCAL)}) are not detected locally",
            file=sys.stderr,
        )
        return list(entities.RECOGNIZERS)
    unknown = [t for t in requested if t not in entities.RECOGNIZERS]
    if unknown:
        raise LakehouseError(
            f"Detect Sensitive Data: {', '.join(unknown)} cannot be detected locally "
            f"(AWS detects {'them' if len(unknown) > 1 else 'it'} with a machine-learning model "
            "or unpublished context rules). Locally detected types: "
            f"{', '.join(entities.RECOGNIZERS)}. Remove the type from the node to run it "
            "here, or run the job on AWS Glue (lakehouse aws run)."
        )
    return list(requested)


def _string_columns(df) -> list[str]:
    return [
        f.name
        for f in df.schema.fields
        if not isinstance(f.dataType, (T.StructType, T.ArrayType, T.MapType))
    ]


def _detect_udf(columns: list[str], types: list[str]):
    def detect_row(*values):
        found = {}
        for name, value in zip(columns, values, strict=True):
            if value is None:
                continue
            text = str(value)
            spans = [
                (entity_type, start, end)
                for entity_type in types
                for start, end in entities.find(entity_type, text)
            ]
            if spans:
                found[name] = sorted(spans, key=lambda s: s[1])
        return found

    return F.udf(detect_row, DETECTED)


class EntityDetector:
    def detect(
        self,
        frame: DynamicFrame,
        entityTypesToDetect,  # noqa: N803 - Glue's parameter names
        outputColumnName: str = "DetectedEntities",  # noqa: N803
        detectionSensitivity: str = "LOW",  # noqa: N803
    ) -> DynamicFrame:
        """The frame plus a column mapping each column name to the entities found in it."""
        types = _entity_types(entityTypesToDetect)
        df = frame.toDF()
        columns = _string_columns(df)
        detect = _detect_udf(columns, types)
        out = df.withColumn(outputColumnName, detect(*[F.col(f"`{c}`") for c in columns]))
        return DynamicFrame.fromDF(out, frame.glue_ctx, frame.name)

    def classify_columns(
        self,
        frame: DynamicFrame,
        entityTypesToDetect,  # noqa: N803
        sampleFraction: float = 0.1,  # noqa: N803
        thresholdFraction: float = 0.1,  # noqa: N803
        detectionSensitivity: str = "LOW",  # noqa: N803
    ) -> dict[str, list[str]]:
        """Columns in which an entity type is found in at least `thresholdFraction` of the
        sampled rows (`sampleFraction` of them, a fixed seed locally) -> their types."""
        types = _entity_types(entityTypesToDetect)
        df = frame.toDF()
        if float(sampleFraction) < 1.0:
            df = df.sample(fraction=float(sampleFraction), seed=SAMPLE_SEED)
        columns = _string_columns(df)
        found = df.select(
            _detect_udf(columns, types)(*[F.col(f"`{c}`") for c in columns]).alias("d")
        )
        rows = found.collect()
        if not rows:
            return {}
        counts: dict[str, dict[str, int]] = {}
        for row in rows:
            for column, spans in (row["d"] or {}).items():
                for entity_type in {s["entityType"] for s in spans}:
                    per = counts.setdefault(column, {})
                    per[entity_type] = per.get(entity_type, 0) + 1
        classified = {}
        for column in columns:
            kinds = [
                t
                for t in types
                if counts.get(column, {}).get(t, 0) / len(rows) >= float(thresholdFraction)
            ]
            if kinds:
                classified[column] = kinds
        return classified

    classifyColumns = classify_columns  # noqa: N815 - Glue's Scala-style alias


class FillMissingValues:
    @staticmethod
    def apply(frame, missing_values_column, output_column=None, transformation_ctx="", **_):
        output = output_column or f"{missing_values_column}_filled"
        print(
            f"FillMissingValues: AWS predicts {missing_values_column!r} with a machine-learning "
            "model; locally it is filled with the column's mean (numbers) or most frequent "
            "value, so the filled values differ from Glue's",
            file=sys.stderr,
        )
        df = frame.toDF()
        source = F.col(f"`{missing_values_column}`")
        numeric = isinstance(df.schema[missing_values_column].dataType, T.NumericType)
        present = df.where(source.isNotNull() & (source.cast("string") != ""))
        if numeric:
            fill = present.select(F.avg(source)).first()[0]
        else:
            top = present.groupBy(source).count().orderBy(F.desc("count"), source).first()
            fill = None if top is None else top[0]
        missing = source.isNull() | (source.cast("string") == "")
        value = F.when(missing, F.lit(fill)).otherwise(source)
        out = df.withColumn(output, value.cast(df.schema[missing_values_column].dataType))
        return DynamicFrame.fromDF(out, frame.glue_ctx, transformation_ctx or frame.name)


class _TrainedOnAws:
    @classmethod
    def apply(cls, *args, **kwargs):
        raise LakehouseError(
            f"{cls.__name__} runs an ML transform trained on AWS Glue (transformId); it cannot "
            "run locally. Run the job on AWS Glue (lakehouse aws run)."
        )


class FindMatches(_TrainedOnAws):
    pass


class FindIncrementalMatches(_TrainedOnAws):
    pass
