"""A ruleset evaluated on a DataFrame, and the frames Glue returns: `ruleOutcomes` (Rule,
Outcome, FailureReason, EvaluatedMetrics) and `rowLevelOutcomes` (the rows plus
DataQualityRulesPass/Fail/Skip and DataQualityEvaluationResult)."""

from __future__ import annotations

from localglue.dqdl import column_rules, dataset_rules, file_rules, reference_rules, value_rules
from localglue.dqdl.engine import Evaluator
from localglue.dqdl.history import History
from localglue.dqdl.model import DQDLError, Outcome, leaves
from localglue.dqdl.parser import parse

RULE_MODULES = (
    dataset_rules,
    column_rules,
    value_rules,
    reference_rules,
    file_rules,
)  # they register
# additional_options this runtime honours; the others tune Glue's caching and observations
# and change no outcome.
ROW_LABEL_OPTION = "rowLevelConfiguration.filteredRowLabel"
_UNREPRODUCED_OPTIONS = {
    "rowLevelConfiguration.ruleWithLabels": "labels inside the row-level rule lists",
}


def check_reproduced(rules: list, options: dict) -> None:
    """Refuse, before any work, what this runtime cannot evaluate: never a silent pass."""
    for leaf in (leaf for node in rules for leaf in leaves(node)):
        why = leaf.spec.not_reproduced
        if why:
            raise DQDLError(
                f"DQDL rule '{leaf.text()}': {leaf.rule_type} is not reproduced locally "
                f"({why}). It runs on Glue; remove it from the ruleset to run the job here."
            )
    for key, what in _UNREPRODUCED_OPTIONS.items():
        if str(options.get(key, "")).upper() == "ENABLED":
            raise DQDLError(f"additional_options {key}: {what} are not reproduced locally")
    label = str(options.get(ROW_LABEL_OPTION, "PASSED")).upper()
    if label not in ("PASSED", "SKIPPED"):
        raise DQDLError(f"additional_options {ROW_LABEL_OPTION}: {label!r}; Glue has SKIPPED")


class Evaluation:
    """A ruleset evaluated on a DataFrame: the outcomes now, the result frames on demand.

    Glue decides every rule when the transform runs; the `ruleOutcomes` and
    `rowLevelOutcomes` frames are only plans over those outcomes, so they are built when
    a script asks for them (Glue Studio scripts usually discard them). With a history,
    the metrics of this evaluation are recorded for the dynamic rules of later runs.
    """

    def __init__(
        self,
        df,
        ruleset,
        spark=None,
        *,
        sources: dict | None = None,
        history: History | None = None,
        options: dict | None = None,
        now=None,
    ):
        rules = parse(ruleset) if isinstance(ruleset, str) else ruleset
        options = dict(options or {})
        check_reproduced(rules, options)
        self._ev = Evaluator(df, spark, sources=sources, history=history, now=now, options=options)
        self.outcomes: list[Outcome] = [self._ev.evaluate(r) for r in rules]
        self.skip_filtered = str(options.get(ROW_LABEL_OPTION, "")).upper() == "SKIPPED"
        if history is not None:
            history.record(self._ev.measured, self._ev.instant)

    def rules_frame(self):
        return outcomes_frame(self._ev.spark, self.outcomes)

    def rows_frame(self):
        return row_level_frame(self._ev, self.outcomes, self.skip_filtered)


def evaluate(df, ruleset, spark=None, **kwargs) -> list[Outcome]:
    """Evaluate a DQDL ruleset (text or parsed) on a Spark DataFrame."""
    return Evaluation(df, ruleset, spark, **kwargs).outcomes


def evaluate_with_rows(df, ruleset, spark=None, **kwargs):
    """(outcomes, rule outcomes DataFrame, row-level outcomes DataFrame) as Glue returns them."""
    ev = Evaluation(df, ruleset, spark, **kwargs)
    return ev.outcomes, ev.rules_frame(), ev.rows_frame()


def outcomes_frame(spark, outcomes: list[Outcome]):
    """The `ruleOutcomes` frame; a Labels column too when the ruleset has labels."""
    from pyspark.sql.types import DoubleType, MapType, StringType, StructField, StructType

    fields = [
        StructField("Rule", StringType(), False),
        StructField("Outcome", StringType(), False),
        StructField("FailureReason", StringType(), True),
        StructField("EvaluatedMetrics", MapType(StringType(), DoubleType()), True),
    ]
    rows = [(o.rule, o.outcome, o.failure_reason, o.metrics) for o in outcomes]
    if any(o.labels for o in outcomes):
        fields.append(StructField("Labels", MapType(StringType(), StringType()), True))
        rows = [(*row, o.labels) for row, o in zip(rows, outcomes, strict=True)]
    return spark.createDataFrame(rows, StructType(fields))


def row_level_frame(ev: Evaluator, outcomes: list[Outcome], skip_filtered: bool = False):
    """The `rowLevelOutcomes` frame: input rows plus DataQualityRulesPass/Fail/Skip and
    DataQualityEvaluationResult (Failed when any row-level rule fails on the row).

    Dataset-level rules (RowCount, Mean, ...) are listed as skipped on every row. Rows a
    `where` clause leaves out pass its rule, or are skipped with
    rowLevelConfiguration.filteredRowLabel = SKIPPED.
    """
    from pyspark.sql import functions as F

    df = ev.with_row_columns(ev.df)
    helper_cols = [flag for _, _, flag in ev.row_columns]
    row_level = [o for o in outcomes if o.row_pass is not None]
    always_skipped = [o.rule for o in outcomes if o.row_pass is None]
    # Materialize each rule's flags first: window expressions cannot sit inside arrays.
    flags = []
    for i, o in enumerate(row_level):
        name, skip = f"__dqdl_pass_{i}", f"__dqdl_skip_{i}"
        df = df.withColumn(name, F.coalesce(o.row_pass, F.lit(False)))
        filtered = o.row_filtered if skip_filtered and o.row_filtered is not None else F.lit(False)
        df = df.withColumn(skip, F.coalesce(filtered, F.lit(False)))
        flags.append((name, skip, o.rule))
    empty = F.array().cast("array<string>")

    def rules_where(test):
        if not flags:
            return empty
        listed = F.array(*[F.when(test(F.col(n), F.col(s)), F.lit(r)) for n, s, r in flags])
        return F.filter(listed, lambda x: x.isNotNull())

    skipped = rules_where(lambda _, s: s)
    if always_skipped:
        skipped = F.concat(F.array(*[F.lit(r) for r in always_skipped]), skipped)
    df = (
        df.withColumn("DataQualityRulesPass", rules_where(lambda p, s: p & ~s))
        .withColumn("DataQualityRulesFail", rules_where(lambda p, s: ~p & ~s))
        .withColumn("DataQualityRulesSkip", skipped.cast("array<string>"))
        .withColumn(
            "DataQualityEvaluationResult",
            F.when(F.size("DataQualityRulesFail") == 0, F.lit("Passed")).otherwise(F.lit("Failed")),
        )
    )
    return df.drop(*helper_cols, *[c for n, s, _ in flags for c in (n, s)])
