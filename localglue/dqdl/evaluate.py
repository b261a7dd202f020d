"""Rules -> outcomes on a Spark DataFrame, as Glue's EvaluateDataQuality reports them."""

from __future__ import annotations

import re

from localglue.dqdl.model import (
    Composite,
    Condition,
    DQDLError,
    Keyword,
    Outcome,
    Rule,
)
from localglue.dqdl.parser import parse


def _col(df, name: str):
    from pyspark.sql import functions as F

    lowered = {c.lower(): c for c in df.columns}
    if name.lower() not in lowered:
        raise KeyError(name)
    return F.col(f"`{lowered[name.lower()]}`")


def _reason(value) -> str:
    if value is None:
        return "Value: NULL does not meet the constraint requirement!"
    if isinstance(value, float):
        value = repr(value) if not value.is_integer() else f"{value:.1f}"
    return f"Value: {value} does not meet the constraint requirement!"


def _row_condition(c, cond: Condition):
    """Spark boolean expression: does this row's value satisfy the condition (NULL rules)."""
    from pyspark.sql import functions as F

    def matches_value(v):
        if isinstance(v, Keyword):
            if v.name == "NULL":
                return c.isNull()
            if v.name == "EMPTY":
                return c.cast("string") == F.lit("")
            return (F.length(c.cast("string")) > 0) & (F.trim(c.cast("string")) == F.lit(""))
        return c == F.lit(v)

    op, vals = cond.op, cond.operands
    if op in ("in", "not in"):
        hit = F.lit(False)
        for v in vals:
            hit = hit | F.coalesce(matches_value(v), F.lit(False))
        return hit if op == "in" else ~hit
    if op in ("=", "!=") and isinstance(vals[0], Keyword):
        hit = F.coalesce(matches_value(vals[0]), F.lit(False))
        return hit if op == "=" else ~hit
    if op == "between":
        expr = (c > F.lit(vals[0])) & (c < F.lit(vals[1]))
    elif op == "not between":
        expr = (c <= F.lit(vals[0])) | (c >= F.lit(vals[1]))
    elif op == "matches":
        expr = c.cast("string").rlike(f"^(?:{vals[0]})$")
    elif op == "not matches":
        expr = ~c.cast("string").rlike(f"^(?:{vals[0]})$")
    else:
        expr = {
            ">": c > F.lit(vals[0]),
            ">=": c >= F.lit(vals[0]),
            "<": c < F.lit(vals[0]),
            "<=": c <= F.lit(vals[0]),
            "=": c == F.lit(vals[0]),
            "!=": c != F.lit(vals[0]),
        }[op]
    # NULL fails every condition except the negative ones (documented null behaviour).
    return F.coalesce(expr, F.lit(op in ("!=", "not in")))


class _Evaluator:
    def __init__(self, df, spark=None):
        from localglue.spark import get_spark

        self.df = df
        self.spark = spark or get_spark()
        self.row_columns: list = []  # extra (name, builder) columns needed for row-level
        self._n = 0

    def _scoped(self, rule: Rule):
        from pyspark.sql import functions as F

        if rule.where is None:
            return self.df, None
        where = F.expr(rule.where)
        return self.df.filter(where), where

    def _finish(self, rule: Rule, passed, reason, metrics, row_pass=None, where=None):
        from pyspark.sql import functions as F

        if row_pass is not None and where is not None:
            row_pass = F.coalesce(~where, F.lit(True)) | row_pass
        return Outcome(rule.text(), bool(passed), None if passed else reason, metrics, row_pass)

    def evaluate_all(self, rules) -> list[Outcome]:
        return [self.evaluate(r) for r in rules]

    def evaluate(self, node) -> Outcome:
        if isinstance(node, Composite):
            parts = [self.evaluate(r) for r in node.rules]
            flags = [p.passed for p in parts]
            passed = all(flags) if node.op == "and" else any(flags)
            metrics = {k: v for p in parts for k, v in p.metrics.items()}
            row_pass = None
            if all(p.row_pass is not None for p in parts):
                row_pass = parts[0].row_pass
                for p in parts[1:]:
                    row_pass = (
                        (row_pass & p.row_pass) if node.op == "and" else (row_pass | p.row_pass)
                    )
            reasons = [p.failure_reason for p in parts if p.failure_reason]
            return Outcome(
                node.text(), passed, None if passed else "; ".join(reasons), metrics, row_pass
            )
        try:
            return getattr(self, f"_{node.rule_type}")(node)
        except KeyError as missing:
            return Outcome(
                node.text(),
                False,
                f"Column {missing.args[0]} does not exist in the dataset",
                {},
            )

    # ---- dataset-level rules
    def _need(self, rule: Rule, n: int) -> None:
        if len(rule.params) < n:
            raise DQDLError(f"DQDL rule '{rule.text()}' needs {n} column name(s)")

    def _numeric(self, rule: Rule, metric_name: str, value: float, row_pass=None, where=None):
        if rule.condition is None:
            raise DQDLError(f"DQDL rule '{rule.text()}' needs a condition such as '> 0'")
        passed = rule.condition.holds(value)
        return self._finish(
            rule, passed, _reason(value), {metric_name: float(value)}, row_pass, where
        )

    def _RowCount(self, rule: Rule):  # noqa: N802 (DQDL names)
        df, where = self._scoped(rule)
        return self._numeric(rule, "Dataset.*.RowCount", float(df.count()))

    def _ColumnCount(self, rule: Rule):  # noqa: N802
        return self._numeric(rule, "Dataset.*.ColumnCount", float(len(self.df.columns)))

    def _ColumnExists(self, rule: Rule):  # noqa: N802
        self._need(rule, 1)
        exists = rule.params[0].lower() in {c.lower() for c in self.df.columns}
        reason = f"Column {rule.params[0]} does not exist"
        return self._finish(rule, exists, reason, {})

    def _completeness(self, rule: Rule):
        from pyspark.sql import functions as F

        self._need(rule, 1)
        df, where = self._scoped(rule)
        c = _col(df, rule.params[0])
        total, complete = df.agg(F.count(F.lit(1)), F.count(c)).first()
        ratio = complete / total if total else 1.0
        return ratio, c.isNotNull(), where

    def _IsComplete(self, rule: Rule):  # noqa: N802
        ratio, row, where = self._completeness(rule)
        metrics = {f"Column.{rule.params[0]}.Completeness": ratio}
        return self._finish(rule, ratio == 1.0, _reason(ratio), metrics, row, where)

    def _Completeness(self, rule: Rule):  # noqa: N802
        ratio, row, where = self._completeness(rule)
        name = f"Column.{rule.params[0]}.Completeness"
        return self._numeric(rule, name, ratio, row, where)

    def _uniqueness(self, rule: Rule):
        """Fraction of rows whose value (tuple) occurs exactly once, and a per-row flag."""
        from pyspark.sql import Window
        from pyspark.sql import functions as F

        self._need(rule, 1)
        df, where = self._scoped(rule)
        cols = [_col(df, p) for p in rule.params]
        counts = df.groupBy(*cols).count()
        total, singles = counts.agg(
            F.sum("count"), F.sum(F.when(F.col("count") == 1, 1).otherwise(0))
        ).first()
        total, singles = total or 0, singles or 0
        ratio = singles / total if total else 1.0
        window = Window.partitionBy(*[_col(self.df, p) for p in rule.params])
        row = F.count(F.lit(1)).over(window) == 1
        metric = (
            f"Column.{rule.params[0]}.Uniqueness"
            if len(rule.params) == 1
            else f"Multicolumn.{','.join(rule.params)}.Uniqueness"
        )
        return ratio, row, where, metric

    def _IsUnique(self, rule: Rule):  # noqa: N802
        ratio, row, where, metric = self._uniqueness(rule)
        return self._finish(rule, ratio == 1.0, _reason(ratio), {metric: ratio}, row, where)

    def _Uniqueness(self, rule: Rule):  # noqa: N802
        ratio, row, where, metric = self._uniqueness(rule)
        return self._numeric(rule, metric, ratio, row, where)

    def _IsPrimaryKey(self, rule: Rule):  # noqa: N802
        from pyspark.sql import functions as F

        ratio, unique_row, where, metric = self._uniqueness(rule)
        df, _ = self._scoped(rule)
        cols = [_col(df, p) for p in rule.params]
        total, *filled = df.agg(F.count(F.lit(1)), *[F.count(c) for c in cols]).first()
        metrics = {metric: ratio}
        for p, n in zip(rule.params, filled, strict=True):
            metrics[f"Column.{p}.Completeness"] = n / total if total else 1.0
        complete = all(n == total for n in filled)
        complete_row = F.lit(True)
        for c in cols:
            complete_row = complete_row & c.isNotNull()
        passed = complete and ratio == 1.0
        reason = _reason(min(metrics.values()) if metrics else None)
        return self._finish(rule, passed, reason, metrics, unique_row & complete_row, where)

    def _DistinctValuesCount(self, rule: Rule):  # noqa: N802
        from pyspark.sql import functions as F

        self._need(rule, 1)
        df, _ = self._scoped(rule)
        n = df.agg(F.countDistinct(_col(df, rule.params[0]))).first()[0]
        return self._numeric(rule, f"Column.{rule.params[0]}.DistinctValuesCount", float(n))

    def _ColumnValues(self, rule: Rule):  # noqa: N802
        from pyspark.sql import functions as F

        self._need(rule, 1)
        if rule.condition is None:
            raise DQDLError(f"DQDL rule '{rule.text()}' needs a condition")
        df, where = self._scoped(rule)
        name = rule.params[0]
        c = _col(df, name)
        row = _row_condition(c, rule.condition)
        numeric_op = rule.condition.op in ("between", "not between", ">", ">=", "<", "<=")
        total, passing, lo, hi, nulls = df.agg(
            F.count(F.lit(1)),
            F.sum(F.when(row, 1).otherwise(0)),
            F.min(c) if numeric_op else F.lit(None),
            F.max(c) if numeric_op else F.lit(None),
            F.sum(F.when(c.isNull(), 1).otherwise(0)),
        ).first()
        passing = passing or 0
        compliance = passing / total if total else 1.0
        metrics: dict[str, float] = {}
        if numeric_op and lo is not None:
            metrics[f"Column.{name}.Minimum"] = float(lo)
            metrics[f"Column.{name}.Maximum"] = float(hi)
        if rule.threshold is not None:
            metrics[f"Column.{name}.ColumnValues.Compliance"] = compliance
            passed = rule.threshold.holds(compliance)
            return self._finish(rule, passed, _reason(compliance), metrics, row, where)
        if not numeric_op:
            metrics[f"Column.{name}.ColumnValues.Compliance"] = compliance
        passed = passing == total
        if passed:
            reason = None
        elif nulls and rule.condition.op not in ("!=", "not in"):
            reason = _reason(None)
        elif numeric_op and lo is not None:
            op = rule.condition.op
            bad = hi if op in ("<", "<=") else lo
            if op in ("between", "not between"):
                bad = lo if not rule.condition.holds(float(lo)) else hi
            reason = _reason(float(bad))
        else:
            reason = _reason(compliance)
        return self._finish(rule, passed, reason, metrics, row, where)

    def _CustomSql(self, rule: Rule):  # noqa: N802
        from pyspark.sql import functions as F

        self._need(rule, 1)
        view = f"__dqdl_primary_{id(self)}"
        self.df.createOrReplaceTempView(view)
        sql = re.sub(r"\bprimary\b", view, rule.params[0], flags=re.IGNORECASE)
        try:
            result = self.spark.sql(sql)
            if rule.condition is not None:
                rows = result.limit(2).collect()
                if len(rows) != 1 or len(rows[0]) != 1:
                    raise DQDLError(
                        f"DQDL rule '{rule.text()}': the statement must return one number when "
                        "the rule has a condition"
                    )
                value = rows[0][0]
                if value is None:
                    return self._finish(rule, False, _reason(None), {})
                return self._numeric(rule, "Dataset.*.CustomSQL", float(value))
            # Row-level: rows the statement returns pass, the others fail (joined on the
            # columns it selects, which must come from the primary dataset).
            lowered = {c.lower(): c for c in self.df.columns}
            missing = [c for c in result.columns if c.lower() not in lowered]
            if missing:
                raise DQDLError(
                    f"DQDL rule '{rule.text()}': row-level CustomSql must select columns of "
                    f"primary; {missing} are not in it"
                )
            self._n += 1
            flag = f"__dqdl_hit_{self._n}"
            keys = [(c, lowered[c.lower()]) for c in result.columns]
            hits = result.select(
                *[F.col(f"`{c}`").alias(f"__k{i}") for i, (c, _) in enumerate(keys)]
            )
            hits = hits.distinct().withColumn(flag, F.lit(True))
            cond = None
            for i, (_, orig) in enumerate(keys):
                part = F.col(f"`{orig}`").eqNullSafe(F.col(f"__k{i}"))
                cond = part if cond is None else cond & part
            joined = self.df.join(hits, cond, "left")
            total, passing = joined.agg(F.count(F.lit(1)), F.count(F.col(flag))).first()
            compliance = passing / total if total else 1.0
            self.row_columns.append((hits, cond, flag))
            row = F.coalesce(F.col(flag), F.lit(False))
            metrics = {"Dataset.*.CustomSQL.Compliance": compliance}
            if rule.threshold is not None:
                passed = rule.threshold.holds(compliance)
            else:
                passed = passing == total
            return self._finish(rule, passed, _reason(compliance), metrics, row)
        finally:
            self.spark.catalog.dropTempView(view)


def evaluate(df, ruleset, spark=None) -> list[Outcome]:
    """Evaluate a DQDL ruleset (text or parsed) on a Spark DataFrame."""
    rules = parse(ruleset) if isinstance(ruleset, str) else ruleset
    return _Evaluator(df, spark).evaluate_all(rules)


class Evaluation:
    """A ruleset evaluated on a DataFrame: the outcomes now, the result frames on demand.

    Glue decides every rule when the transform runs; the `ruleOutcomes` and
    `rowLevelOutcomes` frames are only plans over those outcomes, so they are built when
    a script asks for them (Glue Studio scripts usually discard them).
    """

    def __init__(self, df, ruleset, spark=None):
        rules = parse(ruleset) if isinstance(ruleset, str) else ruleset
        self._ev = _Evaluator(df, spark)
        self.outcomes: list[Outcome] = self._ev.evaluate_all(rules)

    def rules_frame(self):
        return outcomes_frame(self._ev.spark, self.outcomes)

    def rows_frame(self):
        return row_level_frame(self._ev, self.outcomes)


def evaluate_with_rows(df, ruleset, spark=None):
    """(outcomes, rule outcomes DataFrame, row-level outcomes DataFrame) as Glue returns them."""
    ev = Evaluation(df, ruleset, spark)
    return ev.outcomes, ev.rules_frame(), ev.rows_frame()


def outcomes_frame(spark, outcomes: list[Outcome]):
    """The `ruleOutcomes` frame: Rule, Outcome, FailureReason, EvaluatedMetrics."""
    from pyspark.sql.types import DoubleType, MapType, StringType, StructField, StructType

    schema = StructType(
        [
            StructField("Rule", StringType(), False),
            StructField("Outcome", StringType(), False),
            StructField("FailureReason", StringType(), True),
            StructField("EvaluatedMetrics", MapType(StringType(), DoubleType()), True),
        ]
    )
    rows = [(o.rule, o.outcome, o.failure_reason, o.metrics) for o in outcomes]
    return spark.createDataFrame(rows, schema)


def row_level_frame(ev: _Evaluator, outcomes: list[Outcome]):
    """The `rowLevelOutcomes` frame: input rows plus DataQualityRulesPass/Fail/Skip and
    DataQualityEvaluationResult (Failed when any row-level rule fails on the row)."""
    from pyspark.sql import functions as F

    df = ev.df
    helper_cols = []
    for hits, cond, flag in ev.row_columns:
        df = df.join(hits, cond, "left").drop(*[c for c in hits.columns if c != flag])
        helper_cols.append(flag)
    row_level = [o for o in outcomes if o.row_pass is not None]
    skipped = [o.rule for o in outcomes if o.row_pass is None]
    # Materialize each rule's pass flag first: window expressions cannot sit inside arrays.
    flags = []
    for i, o in enumerate(row_level):
        name = f"__dqdl_pass_{i}"
        df = df.withColumn(name, F.coalesce(o.row_pass, F.lit(False)))
        flags.append((name, o.rule))
    empty = F.array().cast("array<string>")
    passed = F.array(*[F.when(F.col(n), F.lit(r)) for n, r in flags]) if flags else empty
    failed = F.array(*[F.when(~F.col(n), F.lit(r)) for n, r in flags]) if flags else empty
    df = (
        df.withColumn("DataQualityRulesPass", F.filter(passed, lambda x: x.isNotNull()))
        .withColumn("DataQualityRulesFail", F.filter(failed, lambda x: x.isNotNull()))
        .withColumn(
            "DataQualityRulesSkip",
            F.array(*[F.lit(r) for r in skipped]).cast("array<string>") if skipped else empty,
        )
        .withColumn(
            "DataQualityEvaluationResult",
            F.when(F.size("DataQualityRulesFail") == 0, F.lit("Passed")).otherwise(F.lit("Failed")),
        )
    )
    return df.drop(*helper_cols, *[n for n, _ in flags])
