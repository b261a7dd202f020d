"""The evaluator every rule type shares: the primary frame, the reference frames, the
metric history, `where` scoping, and the outcome of a metric against its condition.

Rule types register themselves with `@rule_type("Name")`; the modules that hold them
(dataset_rules, column_rules, value_rules, reference_rules) are imported by evaluate.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from localglue.dqdl.history import History, metric_key
from localglue.dqdl.model import Composite, DQDLError, Outcome, Rule, leaves
from localglue.dqdl.values import Operands, holds, reason

RULES: dict[str, Callable[[Evaluator, Rule], Outcome]] = {}
COMPOSITE_METHODS = ("COLUMN", "ROW")
# Rules Glue cannot combine row by row (compositeRuleEvaluation.method ROW): their outcome
# rests on a ratio; ColumnDataType, ColumnValues and CustomSql only with a threshold.
_NOT_ROW_COMPOSABLE = ("Completeness", "DatasetMatch", "ReferentialIntegrity", "Uniqueness")


def rule_type(name: str):
    def register(fn):
        RULES[name] = fn
        return fn

    return register


class MissingColumn(Exception):
    """A rule names a column the frame does not have (the rule fails, the job goes on)."""


class Evaluator:
    def __init__(
        self,
        df,
        spark=None,
        *,
        sources: dict | None = None,
        history: History | None = None,
        now: datetime | None = None,
        options: dict | None = None,
    ):
        from localglue.spark import get_spark

        self.df = df
        self.spark = spark or get_spark()
        self.sources = dict(sources or {})
        self.history = history
        # now() is UTC to the minute; DataFreshness measures ages from the precise instant.
        self.instant = now or datetime.now(UTC).replace(tzinfo=None)
        self.now = self.instant.replace(second=0, microsecond=0)
        self.options = dict(options or {})
        self.row_columns: list = []  # (hits frame, join condition, flag) of row-level CustomSql
        self.measured: dict[str, float] = {}  # every metric of this evaluation, for history
        self._n = 0
        method = str(self.options.get("compositeRuleEvaluation.method", "COLUMN")).upper()
        if method not in COMPOSITE_METHODS:
            raise DQDLError(
                f"compositeRuleEvaluation.method {method!r}: Glue accepts COLUMN or ROW"
            )
        self.row_composites = method == "ROW"

    # ------------------------------------------------------------------ helpers
    def fresh_name(self, stem: str) -> str:
        self._n += 1
        return f"__dqdl_{stem}_{self._n}"

    @staticmethod
    def column(df, name: str):
        """A column by name, case-insensitively (as Glue's Spark resolves names)."""
        from pyspark.sql import functions as F

        lowered = {c.lower(): c for c in df.columns}
        if name.lower() not in lowered:
            raise MissingColumn(name)
        return F.col(f"`{lowered[name.lower()]}`")

    def scoped(self, rule: Rule, df=None):
        """(rows the rule looks at, the where condition or None); a bad clause fails the job."""
        from pyspark.errors import PySparkException
        from pyspark.sql import functions as F

        df = self.df if df is None else df
        if rule.where is None:
            return df, None
        try:
            where = F.expr(rule.where)
            return df.filter(where), where
        except PySparkException as e:
            raise DQDLError(
                f"Rule {rule.text()} has provided an invalid where clause :\n{e}"
            ) from None

    def need(self, rule: Rule, n: int) -> None:
        if len(rule.params) < n:
            raise DQDLError(f"DQDL rule '{rule.text()}' needs {n} column name(s)")

    def outcome(self, rule: Rule, passed, why, metrics, row_pass=None, where=None) -> Outcome:
        from pyspark.sql import functions as F

        for name, value in metrics.items():
            self.measured[metric_key(name, rule.where)] = value
        filtered = None
        if row_pass is not None and where is not None:
            filtered = ~F.coalesce(where, F.lit(False))
            row_pass = filtered | row_pass  # rows the clause leaves out pass (Glue's default)
        return Outcome(
            rule.text(),
            bool(passed),
            None if passed else why,
            metrics,
            row_pass,
            rule.all_labels,
            filtered,
        )

    def operands(self, rule: Rule, metric: str) -> Operands:
        return Operands(self.history, metric_key(metric, rule.where))

    def numeric(self, rule: Rule, metric: str, value, row_pass=None, where=None, extra=None):
        """A metric against the rule's number condition (constants or dynamic)."""
        if rule.condition is None:
            raise DQDLError(f"DQDL rule '{rule.text()}' needs a condition such as '> 0'")
        value = None if value is None else float(value)
        passed = holds(rule.condition, value, self.operands(rule, metric))
        metrics = {} if value is None else {metric: value}
        metrics.update(extra or {})
        return self.outcome(rule, passed, reason(value), metrics, row_pass, where)

    def compliance(self, rule: Rule, metric: str, ratio: float, row, where, extra=None):
        """A row-level rule's share of passing rows: 1.0 needed, or its `with threshold`."""
        metrics = {**(extra or {}), metric: ratio}
        if rule.threshold is not None:
            passed = holds(rule.threshold, ratio, self.operands(rule, metric))
        else:
            passed = ratio == 1.0
        return self.outcome(rule, passed, reason(ratio), metrics, row, where)

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, node) -> Outcome:
        if isinstance(node, Composite):
            return self._composite(node)
        try:
            return RULES[node.rule_type](self, node)
        except MissingColumn as missing:
            why = f"Input data does not include column {missing.args[0]}!"
            return Outcome(node.text(), False, why, {}, labels=node.all_labels)

    def _composite(self, node: Composite) -> Outcome:
        parts = [self.evaluate(r) for r in node.rules]
        row_pass = None
        if all(p.row_pass is not None for p in parts):
            row_pass = parts[0].row_pass
            for p in parts[1:]:
                row_pass = (row_pass & p.row_pass) if node.op == "AND" else (row_pass | p.row_pass)
        metrics = {k: v for p in parts for k, v in p.metrics.items()}
        if self.row_composites:
            return self._row_composite(node, parts, row_pass, metrics)
        flags = [p.passed for p in parts]
        passed = all(flags) if node.op == "AND" else any(flags)
        reasons = "\n".join(p.failure_reason for p in parts if p.failure_reason)
        return Outcome(
            node.text(), passed, None if passed else reasons, metrics, row_pass, node.all_labels
        )

    def _row_composite(self, node: Composite, parts, row_pass, metrics) -> Outcome:
        """compositeRuleEvaluation.method ROW: the composite is one rule on every row."""
        from pyspark.sql import functions as F

        for leaf in leaves(node):
            threshold_bound = leaf.rule_type in ("ColumnDataType", "ColumnValues", "CustomSql")
            if leaf.rule_type in _NOT_ROW_COMPOSABLE or (threshold_bound and leaf.threshold):
                raise DQDLError(
                    f"DQDL: '{leaf.text()}' cannot be combined row by row "
                    "(compositeRuleEvaluation.method ROW): its outcome rests on a ratio"
                )
        if row_pass is None:
            dataset_level = [p.rule for p in parts if p.row_pass is None]
            raise DQDLError(
                f"DQDL: {dataset_level} have no row-level results to combine row by row "
                "(compositeRuleEvaluation.method ROW)"
            )
        flag = self.fresh_name("row")
        total, passing = (
            self.with_row_columns(self.df)
            .withColumn(flag, F.coalesce(row_pass, F.lit(False)))
            .agg(F.count(F.lit(1)), F.sum(F.col(flag).cast("long")))
            .first()
        )
        ratio = (passing or 0) / total if total else 1.0
        passed = ratio == 1.0
        return Outcome(
            node.text(), passed, None if passed else reason(ratio), metrics, row_pass,
            node.all_labels,
        )  # fmt: skip

    def with_row_columns(self, df):
        """The frame with the flag columns of row-level CustomSql rules joined in."""
        for hits, cond, flag in self.row_columns:
            df = df.join(hits, cond, "left").drop(*[c for c in hits.columns if c != flag])
        return df
