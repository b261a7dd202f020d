"""Rules on one column's values taken together: completeness, uniqueness, distinct values,
entropy, and the statistics of numbers (mean, sum, standard deviation, variance,
correlation).

NULLs: Completeness counts them; the statistics ignore them (the reference's null
behaviour: the mean of 0, NULL, 20, NULL, 40 is 20; its standard deviation 16.33, so the
population one); Entropy and UniqueValueRatio count the non-NULL values only.
"""

from __future__ import annotations

from localglue.dqdl.engine import Evaluator, rule_type
from localglue.dqdl.model import Rule
from localglue.dqdl.values import reason

_NUMERIC = (
    "ByteType",
    "ShortType",
    "IntegerType",
    "LongType",
    "FloatType",
    "DoubleType",
    "DecimalType",
)


# --------------------------------------------------------------------------- completeness
def _completeness(ev: Evaluator, rule: Rule):
    from pyspark.sql import functions as F

    df, where = ev.scoped(rule)
    c = ev.column(df, rule.args[0])
    total, complete = df.agg(F.count(F.lit(1)), F.count(c)).first()
    return (complete / total if total else 1.0), c.isNotNull(), where


@rule_type("IsComplete")
def is_complete(ev: Evaluator, rule: Rule):
    ratio, row, where = _completeness(ev, rule)
    metrics = {f"Column.{rule.args[0]}.Completeness": ratio}
    return ev.outcome(rule, ratio == 1.0, reason(ratio), metrics, row, where)


@rule_type("Completeness")
def completeness(ev: Evaluator, rule: Rule):
    ratio, row, where = _completeness(ev, rule)
    return ev.numeric(rule, f"Column.{rule.args[0]}.Completeness", ratio, row, where)


# --------------------------------------------------------------------------- uniqueness
def _uniqueness(ev: Evaluator, rule: Rule):
    """Fraction of rows whose value (tuple) occurs exactly once, and a per-row flag."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    df, where = ev.scoped(rule)
    cols = [ev.column(df, p) for p in rule.args]
    counts = df.groupBy(*cols).count()
    total, singles = counts.agg(
        F.sum("count"), F.sum(F.when(F.col("count") == 1, 1).otherwise(0))
    ).first()
    total, singles = total or 0, singles or 0
    ratio = singles / total if total else 1.0
    window = Window.partitionBy(*[ev.column(ev.df, p) for p in rule.args])
    row = F.count(F.lit(1)).over(window) == 1
    metric = (
        f"Column.{rule.args[0]}.Uniqueness"
        if len(rule.args) == 1
        else f"Multicolumn.{','.join(rule.args)}.Uniqueness"
    )
    return ratio, row, where, metric


@rule_type("IsUnique")
def is_unique(ev: Evaluator, rule: Rule):
    ratio, row, where, metric = _uniqueness(ev, rule)
    return ev.outcome(rule, ratio == 1.0, reason(ratio), {metric: ratio}, row, where)


@rule_type("Uniqueness")
def uniqueness(ev: Evaluator, rule: Rule):
    ratio, row, where, metric = _uniqueness(ev, rule)
    return ev.numeric(rule, metric, ratio, row, where)


@rule_type("IsPrimaryKey")
def is_primary_key(ev: Evaluator, rule: Rule):
    from pyspark.sql import functions as F

    ratio, unique_row, where, metric = _uniqueness(ev, rule)
    df, _ = ev.scoped(rule)
    cols = [ev.column(df, p) for p in rule.args]
    total, *filled = df.agg(F.count(F.lit(1)), *[F.count(c) for c in cols]).first()
    metrics = {metric: ratio}
    for p, n in zip(rule.args, filled, strict=True):
        metrics[f"Column.{p}.Completeness"] = n / total if total else 1.0
    complete_row = F.lit(True)
    for c in cols:
        complete_row = complete_row & c.isNotNull()
    passed = all(n == total for n in filled) and ratio == 1.0
    why = reason(min(metrics.values()))
    return ev.outcome(rule, passed, why, metrics, unique_row & complete_row, where)


# --------------------------------------------------------------------------- distinct values
def _value_counts(ev: Evaluator, rule: Rule):
    """(frequency of each non-NULL value, the non-NULL values) in the rule's scope."""
    df, _ = ev.scoped(rule)
    c = ev.column(df, rule.args[0])
    kept = df.select(c.alias("v")).where("v IS NOT NULL")
    return kept.groupBy("v").count(), kept


@rule_type("DistinctValuesCount")
def distinct_values_count(ev: Evaluator, rule: Rule):
    counts, _ = _value_counts(ev, rule)
    return ev.numeric(rule, f"Column.{rule.args[0]}.DistinctValuesCount", counts.count())


@rule_type("UniqueValueRatio")
def unique_value_ratio(ev: Evaluator, rule: Rule):
    """Values that occur once over distinct values: [a, a, b] has 1 of 2, so 0.5."""
    from pyspark.sql import functions as F

    counts, _ = _value_counts(ev, rule)
    once = F.sum((F.col("count") == 1).cast("long"))
    distinct, unique = counts.agg(F.count(F.lit(1)), once).first()
    ratio = (unique or 0) / distinct if distinct else None
    return ev.numeric(rule, f"Column.{rule.args[0]}.UniqueValueRatio", ratio)


@rule_type("Entropy")
def entropy(ev: Evaluator, rule: Rule):
    """-sum(p * ln p) over the relative frequencies p of the column's values."""
    from pyspark.sql import functions as F

    counts, kept = _value_counts(ev, rule)
    rows, value = kept.count(), None
    if rows:
        p = F.col("count") / F.lit(rows)
        value = counts.agg(F.sum(-p * F.log(p))).first()[0] or 0.0
    return ev.numeric(rule, f"Column.{rule.args[0]}.Entropy", value)


# --------------------------------------------------------------------------- statistics
def _numeric_column(ev: Evaluator, rule: Rule, df, name: str):
    """The column, or a failed outcome when it does not hold numbers (as Glue's check)."""
    c = ev.column(df, name)
    lowered = {f.name.lower(): f for f in df.schema.fields}
    found = type(lowered[name.lower()].dataType).__name__
    if found not in _NUMERIC:
        why = (
            f"Expected type of column {name} to be one of ({','.join(_NUMERIC)}), but found "
            f"{found} instead!"
        )
        return None, ev.outcome(rule, False, why, {})
    return c, None


def _statistic(metric_name: str, aggregate: str):
    def evaluate(ev: Evaluator, rule: Rule):
        from pyspark.sql import functions as F

        df, _ = ev.scoped(rule)
        c, failed = _numeric_column(ev, rule, df, rule.args[0])
        if failed:
            return failed
        value = df.agg(getattr(F, aggregate)(c)).first()[0]
        return ev.numeric(rule, f"Column.{rule.args[0]}.{metric_name}", value)

    return evaluate


for _name, _aggregate in (
    ("Mean", "avg"),
    ("Sum", "sum"),
    ("StandardDeviation", "stddev_pop"),
    ("Variance", "var_pop"),
):
    rule_type(_name)(_statistic(_name, _aggregate))


@rule_type("ColumnCorrelation")
def column_correlation(ev: Evaluator, rule: Rule):
    """Pearson correlation over the rows where both values are present."""
    from pyspark.sql import functions as F

    df, _ = ev.scoped(rule)
    first, second = rule.args[:2]
    cols = []
    for name in (first, second):
        c, failed = _numeric_column(ev, rule, df, name)
        if failed:
            return failed
        cols.append(c.cast("double"))
    value = df.agg(F.corr(*cols)).first()[0]
    return ev.numeric(rule, f"Multicolumn.{first},{second}.ColumnCorrelation", value)
