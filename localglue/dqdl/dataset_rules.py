"""Rules on the dataset as a whole: RowCount, ColumnCount, ColumnExists,
ColumnNamesMatchPattern and CustomSql."""

from __future__ import annotations

import re

from localglue.dqdl.engine import Evaluator, rule_type
from localglue.dqdl.model import DQDLError, Rule
from localglue.dqdl.values import reason


@rule_type("RowCount")
def row_count(ev: Evaluator, rule: Rule):
    df, _ = ev.scoped(rule)
    return ev.numeric(rule, "Dataset.*.RowCount", df.count())


@rule_type("ColumnCount")
def column_count(ev: Evaluator, rule: Rule):
    return ev.numeric(rule, "Dataset.*.ColumnCount", len(ev.df.columns))


@rule_type("ColumnExists")
def column_exists(ev: Evaluator, rule: Rule):
    name = rule.args[0]
    exists = name.lower() in {c.lower() for c in ev.df.columns}
    return ev.outcome(rule, exists, f"Input data does not include column {name}!", {})


@rule_type("ColumnNamesMatchPattern")
def column_names_match_pattern(ev: Evaluator, rule: Rule):
    """Every column name must match the pattern somewhere (a search, not a full match)."""
    try:
        pattern = re.compile(rule.args[0])
    except re.error as e:
        raise DQDLError(
            f"Invalid regex pattern '{rule.args[0]}' for ColumnNamesMatchPattern rule: {e}"
        ) from None
    columns = ev.df.columns
    unmatched = [c for c in columns if not pattern.search(c)]
    ratio = (len(columns) - len(unmatched)) / len(columns) if columns else 1.0
    why = f"Columns that do not match the pattern: {', '.join(unmatched)}"
    return ev.outcome(rule, not unmatched, why, {"Dataset.*.ColumnNamesPatternMatchRatio": ratio})


@rule_type("CustomSql")
def custom_sql(ev: Evaluator, rule: Rule):
    """`primary` is the frame; reference datasets are named by their aliases.

    With a condition the statement returns one number; without, the rows it returns pass
    and the others fail (matched on the columns it selects, which must be primary's).
    A statement Spark cannot run fails the rule, as on Glue.
    """
    from pyspark.errors import PySparkException

    views = {"primary": ev.df, **ev.sources}
    sql = rule.args[0]
    names = {}
    for alias, frame in views.items():
        if re.search(rf"(?<![\w.`]){re.escape(alias)}(?![\w`])", sql, flags=re.IGNORECASE):
            names[alias] = ev.fresh_name("view")
            frame.createOrReplaceTempView(names[alias])
            sql = re.sub(
                rf"(?<![\w.`]){re.escape(alias)}(?![\w`])", names[alias], sql, flags=re.IGNORECASE
            )
    try:
        try:
            result = ev.spark.sql(sql)
        except PySparkException as e:
            return ev.outcome(rule, False, f"Error executing SQL statement: {e}", {})
        if rule.condition is not None:
            return _custom_sql_number(ev, rule, result)
        return _custom_sql_rows(ev, rule, result)
    finally:
        for view in names.values():
            ev.spark.catalog.dropTempView(view)


def _custom_sql_number(ev: Evaluator, rule: Rule, result):
    rows = result.limit(2).collect()
    if len(rows) != 1 or len(rows[0]) != 1:
        raise DQDLError(
            f"DQDL rule '{rule.text()}': the statement must return one number when the rule "
            "has a condition"
        )
    value = rows[0][0]
    if value is None:
        return ev.outcome(rule, False, reason(None), {})
    return ev.numeric(rule, "Dataset.*.CustomSQL", float(value))


def _custom_sql_rows(ev: Evaluator, rule: Rule, result):
    from pyspark.sql import functions as F

    lowered = {c.lower(): c for c in ev.df.columns}
    missing = [c for c in result.columns if c.lower() not in lowered]
    if missing:
        why = (
            "The columns returned from the SQL statement should only belong to the primary "
            f"table. Columns not found: {', '.join(missing)}"
        )
        return ev.outcome(rule, False, why, {})
    total = ev.df.count()
    if total == 0:
        why = "Custom SQL rule could not be evaluated due to data frame being empty"
        return ev.outcome(rule, False, why, {})
    flag = ev.fresh_name("hit")
    keys = [(c, lowered[c.lower()]) for c in result.columns]
    hits = result.select(*[F.col(f"`{c}`").alias(f"{flag}_k{i}") for i, (c, _) in enumerate(keys)])
    hits = hits.distinct().withColumn(flag, F.lit(True))
    cond = None
    for i, (_, orig) in enumerate(keys):
        part = F.col(f"`{orig}`").eqNullSafe(F.col(f"{flag}_k{i}"))
        cond = part if cond is None else cond & part
    passing = ev.df.join(hits, cond, "left").agg(F.count(F.col(flag))).first()[0]
    ev.row_columns.append((hits, cond, flag))
    row = F.coalesce(F.col(flag), F.lit(False))
    return ev.compliance(rule, "Dataset.*.CustomSQL.Compliance", passing / total, row, None)
