"""Rules that compare the primary dataset with reference datasets: RowCountMatch,
SchemaMatch, ReferentialIntegrity, DatasetMatch, AggregateMatch.

A reference dataset is named by its alias: the key of `additional_data_sources` given to
EvaluateDataQuality (Glue Studio: the other inputs of the Evaluate Data Quality node).
Messages for the cases the DQDL reference leaves open follow AWS's open-source DQDL
executors (awslabs/deequ, com.amazon.deequ.dqdl), which Glue Data Quality is built on.
"""

from __future__ import annotations

import math
import re

from localglue.dqdl.engine import Evaluator, MissingColumn, rule_type
from localglue.dqdl.model import Rule

_AGGREGATE = re.compile(r"(sum|avg|SUM|AVG)\((.*)\)")


def _reference(ev: Evaluator, rule: Rule, alias: str):
    """The reference frame, or a failed outcome naming the missing alias."""
    frame = ev.sources.get(alias)
    if frame is None:
        known = ", ".join(sorted(ev.sources)) or "none"
        why = f"{alias} not found in additional sources (given: {known})"
        return None, ev.outcome(rule, False, why, {})
    return frame, None


def _ratio(numerator: float, denominator: float) -> float:
    """A division as the JVM does it: x/0 is Infinity, 0/0 is NaN."""
    if denominator:
        return numerator / denominator
    return math.inf if numerator else math.nan


@rule_type("RowCountMatch")
def row_count_match(ev: Evaluator, rule: Rule):
    """Rows of the primary dataset over rows of the reference."""
    alias = rule.args[0]
    reference, failed = _reference(ev, rule, alias)
    if failed:
        return failed
    ratio = _ratio(ev.df.count(), reference.count())
    return ev.numeric(rule, f"Dataset.{alias}.RowCountMatch", ratio)


@rule_type("SchemaMatch")
def schema_match(ev: Evaluator, rule: Rule):
    """Share of the primary's columns the reference has with the same name and type."""
    alias = rule.args[0]
    reference, failed = _reference(ev, rule, alias)
    if failed:
        return failed
    metric = f"Dataset.{alias}.SchemaMatch"
    mine = {f.name: f.dataType.typeName() for f in ev.df.schema.fields}
    theirs = {f.name: f.dataType.typeName() for f in reference.schema.fields}
    if not mine or not theirs:
        return ev.outcome(rule, False, "One or both DataFrames have no columns", {metric: 0.0})
    if len(mine) != len(theirs):
        return ev.outcome(rule, False, "Column counts do not match", {metric: 0.0})
    ratio = sum(theirs.get(name) == kind for name, kind in mine.items()) / len(mine)
    outcome = ev.numeric(rule, metric, ratio)
    if not outcome.passed:
        outcome.failure_reason = f"{ratio * 100:.2f}% of columns passed the threshold"
    return outcome


def _resolved(frame, name: str) -> str | None:
    """The frame's own spelling of a column name (names match case-insensitively)."""
    return {c.lower(): c for c in frame.columns}.get(name.lower())


def _split_columns(text: str) -> list[str]:
    return [c.strip() for c in text.replace('"', "").split(",") if c.strip()]


@rule_type("ReferentialIntegrity")
def referential_integrity(ev: Evaluator, rule: Rule):
    """Share of primary rows whose values (in the given columns) occur in the reference:
    "zipcode" "reference.zipcode", or "city,state" "reference.{ref_city,ref_state}"."""
    from pyspark.sql import functions as F

    primary_cols = _split_columns(rule.args[0])
    target = rule.args[1].replace('"', "")
    braces = re.fullmatch(r"(.+)\.\{(.+)\}", target)
    plain = re.fullmatch(r"(.+)\.([^.]+)", target)
    if not (braces or plain):
        why = "Rule (or nested rule) not supported due to: Could not parse ReferenceDatasetColumns"
        return ev.outcome(rule, False, why, {})
    alias = (braces or plain).group(1)
    reference_cols = _split_columns(braces.group(2)) if braces else [plain.group(2).strip()]
    reference, failed = _reference(ev, rule, alias)
    if failed:
        return failed
    if len(primary_cols) != len(reference_cols):
        why = (
            "The number of columns to check from the primary data frame must equal the number "
            "of columns to check from the reference data frame."
        )
        return ev.outcome(rule, False, why, {})
    sides = ((ev.df, primary_cols, "primary"), (reference, reference_cols, "reference"))
    for frame, cols, side in sides:
        absent = [c for c in cols if _resolved(frame, c) is None]
        if absent:
            why = f"Column {absent[0]} does not exist in {side} data frame."
            return ev.outcome(rule, False, why, {})
    total = ev.df.count()
    if total == 0:
        return ev.outcome(rule, False, "Primary data frame contains no data.", {})
    keys = [ev.fresh_name("ref") for _ in reference_cols]
    found = ev.fresh_name("found")
    values = (
        reference.select(
            *[ev.column(reference, c).alias(k) for c, k in zip(reference_cols, keys, strict=True)]
        )
        .distinct()
        .withColumn(found, F.lit(True))
    )
    on = None
    for c, k in zip(primary_cols, keys, strict=True):
        part = ev.column(ev.df, c) == F.col(k)
        on = part if on is None else on & part
    matched = ev.df.join(values, on, "left").where(F.col(found).isNotNull()).count()
    return ev.numeric(rule, f"Column.{alias}.ReferentialIntegrity", matched / total)


def _mappings(text: str) -> dict[str, str]:
    """ "ID_1->ID_ref1,ID_2" -> {"ID_1": "ID_ref1", "ID_2": "ID_2"}."""
    out = {}
    for part in _split_columns(text):
        left, _, right = part.partition("->")
        out[left.strip()] = (right or left).strip()
    return out


@rule_type("DatasetMatch")
def dataset_match(ev: Evaluator, rule: Rule):
    """Share of primary rows whose key is in the reference with equal values in the
    compared columns (all non-key columns unless a mapping names them)."""
    from pyspark.sql import functions as F

    alias = rule.args[0]
    reference, failed = _reference(ev, rule, alias)
    if failed:
        return failed
    keys = _mappings(rule.args[1])
    unsuitable = "Provided key map not suitable for given data frames"
    for frame, cols in ((ev.df, list(keys)), (reference, list(keys.values()))):
        # Keys must exist, be complete and be unique on both sides.
        names = [_resolved(frame, c) for c in cols]
        if None in names:
            return ev.outcome(rule, False, unsuitable, {})
        if frame.select(*names).dropna().distinct().count() != frame.count():
            return ev.outcome(rule, False, unsuitable, {})
    if len(rule.args) > 2:
        compared = _mappings(rule.args[2])
    else:
        compared = {c: c for c in ev.df.columns if c not in keys}
        if any(_resolved(reference, c) is None for c in compared):
            return ev.outcome(
                rule, False, "Non key columns in the given data frames do not match.", {}
            )
    total = ev.df.count()
    if total == 0:
        return ev.outcome(rule, False, "Cannot evaluate: primary DataFrame is empty", {})
    renamed = {}
    for theirs in {*keys.values(), *compared.values()}:
        renamed[theirs] = ev.fresh_name("theirs")
    right = reference.select(*[ev.column(reference, c).alias(n) for c, n in renamed.items()])
    on = None
    for mine, theirs in keys.items():
        part = ev.column(ev.df, mine) == F.col(renamed[theirs])
        on = part if on is None else on & part
    for mine, theirs in compared.items():
        try:
            on = on & ev.column(ev.df, mine).eqNullSafe(F.col(renamed[theirs]))
        except MissingColumn:
            why = f"The following columns were not found in the first dataset: {mine}"
            return ev.outcome(rule, False, why, {})
    matched = ev.df.join(right, on, "left_semi").count()
    return ev.numeric(rule, f"Dataset.{alias}.DatasetMatch", matched / total)


def _aggregate(ev: Evaluator, text: str):
    """ "sum(col)" / "avg(reference.col)" -> (value, column name), or None if unparsable."""
    from pyspark.sql import functions as F

    m = _AGGREGATE.fullmatch(text.strip())
    if not m:
        return None
    operation, target = m.group(1).lower(), m.group(2).replace('"', "")
    alias, _, column = target.rpartition(".")
    frame = ev.df if not alias or alias == "primary" else ev.sources.get(alias)
    if frame is None:
        return KeyError(alias)
    fn = F.sum if operation == "sum" else F.avg
    value = frame.agg(fn(ev.column(frame, column)).cast("double")).first()[0]
    return (value or 0.0), column


@rule_type("AggregateMatch")
def aggregate_match(ev: Evaluator, rule: Rule):
    """The first aggregate over the second (sum or avg, each of any dataset)."""
    results = [_aggregate(ev, text) for text in rule.args[:2]]
    for result in results:
        if result is None:
            why = "Rule (or nested rule) not supported due to: Unsupported Rule"
            return ev.outcome(rule, False, why, {})
        if isinstance(result, KeyError):
            return ev.outcome(rule, False, f"{result.args[0]} not found in additional sources", {})
    (first, col1), (second, col2) = results
    # Glue's convention: two zeros match, a zero denominator does not.
    ratio = first / second if second else (1.0 if first == 0 else 0.0)
    columns = col1 if col1 == col2 else f"{col1},{col2}"
    return ev.numeric(rule, f"Column.{columns}.AggregateMatch", ratio)
