"""Rules decided row by row: ColumnValues, ColumnLength, ColumnDataType, DataFreshness.

Each passes when every row in scope passes (or, where the rule type allows it, when the
share of passing rows meets `with threshold`), and marks each row in the row-level results.
"""

from __future__ import annotations

import re

from localglue.dqdl.engine import Evaluator, rule_type
from localglue.dqdl.model import DQDLError, Keyword, Rule
from localglue.dqdl.values import Operands, holds, number_row_condition, reason, row_condition

_ORDERED = ("between", "not between", ">", ">=", "<", "<=")
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)", re.IGNORECASE)
_SPARK_TYPES = {
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "INTEGER": "int",
    "DOUBLE": "double",
    "FLOAT": "float",
    "LONG": "bigint",
}


def _shares(df, row, *extra):
    """(rows, passing rows, *extra aggregates) of the frame in the rule's scope."""
    from pyspark.sql import functions as F

    total, passing, *rest = df.agg(
        F.count(F.lit(1)), F.sum(F.when(row, 1).otherwise(0)), *extra
    ).first()
    return (total, passing or 0, *rest)


def _percent_passed(ratio: float) -> str:
    return f"{ratio * 100:.2f} % of rows passed the threshold"


@rule_type("ColumnValues")
def column_values(ev: Evaluator, rule: Rule):
    from pyspark.sql import functions as F

    cond = rule.condition
    if cond.is_dynamic:
        raise DQDLError("DQDL: dynamic rules are not supported for rule type ColumnValues")
    df, where = ev.scoped(rule)
    name = rule.args[0]
    c = ev.column(df, name)
    row = row_condition(c, cond, ev.now)
    ordered = cond.kind == "number" and cond.op in _ORDERED
    total, passing, lo, hi, nulls = _shares(
        df,
        row,
        F.min(c) if ordered else F.lit(None),
        F.max(c) if ordered else F.lit(None),
        F.sum(F.when(c.isNull(), 1).otherwise(0)),
    )
    compliance = passing / total if total else 1.0
    metrics: dict[str, float] = {}
    if ordered and lo is not None:
        metrics[f"Column.{name}.Minimum"] = float(lo)
        metrics[f"Column.{name}.Maximum"] = float(hi)
    compliance_metric = f"Column.{name}.ColumnValues.Compliance"
    if rule.threshold is not None:
        return ev.compliance(rule, compliance_metric, compliance, row, where, metrics)
    if not ordered:
        metrics[compliance_metric] = compliance
    names_null = any(isinstance(v, Keyword) and v.name == "NULL" for v in cond.values())
    if passing == total:
        why = None
    elif nulls and cond.op not in ("!=", "not in") and not names_null:
        why = reason(None)
    elif ordered and lo is not None:
        why = reason(_offending(cond, lo, hi))
    else:
        why = reason(compliance)
    return ev.outcome(rule, passing == total, why, metrics, row, where)


def _offending(cond, lo, hi) -> float:
    """The failure reason names the extreme that breaks the condition: the minimum if it
    does, else the maximum."""
    return float(lo) if not holds(cond, float(lo), Operands()) else float(hi)


@rule_type("ColumnLength")
def column_length(ev: Evaluator, rule: Rule):
    """The length of each value as a string; NULL counts as length 0."""
    from pyspark.sql import functions as F

    df, where = ev.scoped(rule)
    name = rule.args[0]
    length = F.coalesce(F.length(ev.column(df, name).cast("string")), F.lit(0))
    operands = ev.operands(rule, f"Column.{name}.MinimumLength")
    row = number_row_condition(length, rule.condition, operands)
    total, passing, lo, hi = _shares(df, row, F.min(length), F.max(length))
    metrics = {}
    if lo is not None:
        metrics = {
            f"Column.{name}.MinimumLength": float(lo),
            f"Column.{name}.MaximumLength": float(hi),
        }
    passed = passing == total
    why = None if passed else reason(_offending(rule.condition, lo, hi))
    return ev.outcome(rule, passed, why, metrics, row, where)


@rule_type("ColumnDataType")
def column_data_type(ev: Evaluator, rule: Rule):
    """Values Spark can cast to the type (NULL cannot); `with format` for DATE."""
    from pyspark.sql import functions as F

    cond = rule.condition
    if cond.op in ("matches", "not matches"):
        return ev.outcome(
            rule, False, "Rule (or nested rule) not supported due to: Unsupported operator", {}
        )
    df, where = ev.scoped(rule)
    c = ev.column(df, rule.args[0])
    castable = F.lit(False)
    for value in cond.values():
        if isinstance(value, Keyword):
            raise DQDLError(f"DQDL: ColumnDataType compares with a type name, not {value.name}")
        cast = _cast(c, value.value, rule.tags.get("format"))
        if cast is None:
            why = (
                f"Rule (or nested rule) not supported due to: Unrecognized data type: {value.value}"
            )
            return ev.outcome(rule, False, why, {})
        castable = castable | cast.isNotNull()
    row = castable if cond.op in ("=", "in") else ~castable
    total, passing = _shares(df, row)
    ratio = passing / total if total else 1.0
    metric = f"Column.{rule.args[0]}.ColumnDataType.Compliance"
    outcome = ev.compliance(rule, metric, ratio, row, where)
    if not outcome.passed and rule.threshold is None:
        outcome.failure_reason = _percent_passed(ratio)
    return outcome


def _cast(c, type_name: str, date_format: str | None):
    from pyspark.sql import functions as F

    name = type_name.upper()
    decimal = _DECIMAL.fullmatch(type_name)
    if decimal:
        return c.cast(f"decimal({decimal.group(1)},{decimal.group(2)})")
    if name == "DATE" and date_format:
        return F.to_date(c.cast("string"), date_format.strip('"'))
    spark_type = _SPARK_TYPES.get(name)
    return None if spark_type is None else c.cast(spark_type)


@rule_type("DataFreshness")
def data_freshness(ev: Evaluator, rule: Rule):
    """Hours between now and each value (rounded to 2 places) against the duration."""
    from pyspark.sql import functions as F

    df, where = ev.scoped(rule)
    c = ev.column(df, rule.args[0])
    now = F.to_timestamp(F.lit(ev.instant.strftime("%Y-%m-%d %H:%M:%S.%f")))
    age = F.round((now.cast("double") - c.cast("timestamp").cast("double")) / 3600, 2)
    cond = rule.condition
    hours = [d.hours for d in cond.values()]
    op = cond.op
    if op == "between":
        row = (age > hours[0]) & (age < hours[1])
    elif op == "not between":
        row = (age <= hours[0]) | (age >= hours[1])
    elif op in ("in", "not in"):
        row = age.isin(*hours) if op == "in" else ~age.isin(*hours)
    else:
        target = F.lit(hours[0])
        row = {
            ">": age > target,
            ">=": age >= target,
            "<": age < target,
            "<=": age <= target,
            "=": age == target,
            "!=": age != target,
        }[op]
    row = F.coalesce(row, F.lit(False))  # NULL values fail
    total, passing = _shares(df, row)
    ratio = passing / total if total else 1.0
    metric = f"Column.{rule.args[0]}.DataFreshness.Compliance"
    return ev.outcome(rule, ratio == 1.0, _percent_passed(ratio), {metric: ratio}, row, where)
