"""DQDL (Glue Data Quality Definition Language): parse a ruleset, evaluate it on a DataFrame.

Follows the DQDL reference and AWS's grammar (awslabs/dqdl, DataQualityDefinitionLanguage.g4):
- a document is `Rules = [ rule, rule, ... ]` (Metadata/DataSources/Analyzers sections are
  parsed and ignored; `#` starts a comment);
- `(A) and (B)`, `(A) or (B)` compose rules ('and' binds tighter, as in the grammar);
- numeric `between a and b` is EXCLUSIVE (a < x < b), `not between` is its complement;
- `with threshold <cond>` applies the condition to the fraction of passing rows;
- `where "<sql>"` evaluates the rule on the rows that match the filter;
- ColumnValues: NULL rows fail every condition except `!=` and `not in`.
Outcomes mirror Glue: Rule (the rule's canonical text), Outcome (Passed/Failed),
FailureReason ("Value: X does not meet the constraint requirement!"), EvaluatedMetrics
(e.g. Column.<c>.Completeness, Dataset.*.RowCount), plus a per-row pass expression for
rules that return row-level results.

Rule types other than SUPPORTED raise a LakehouseError naming the rule: a rule this runtime
cannot evaluate must never pass silently.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from lakehouse.errors import LakehouseError

SUPPORTED = (
    "RowCount",
    "ColumnCount",
    "ColumnExists",
    "IsComplete",
    "Completeness",
    "IsUnique",
    "Uniqueness",
    "IsPrimaryKey",
    "DistinctValuesCount",
    "ColumnValues",
    "CustomSql",
)
KEYWORDS = ("NULL", "EMPTY", "WHITESPACES_ONLY")


class DQDLError(LakehouseError):
    """A ruleset that does not parse, or a rule this runtime cannot evaluate."""


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class Keyword:
    name: str  # NULL | EMPTY | WHITESPACES_ONLY

    def __str__(self) -> str:
        return self.name


@dataclass
class Condition:
    op: str  # > >= < <= = != between "not between" in "not in" matches "not matches"
    operands: list  # floats, strings, Keyword
    quoted: bool = False  # string operands (printed quoted)

    def text(self) -> str:
        def fmt(v):
            if isinstance(v, Keyword):
                return v.name
            if isinstance(v, str):
                return '"' + v.replace('"', '\\"') + '"'
            return _fmt_number(v)

        if self.op in ("between", "not between"):
            return f"{self.op} {fmt(self.operands[0])} and {fmt(self.operands[1])}"
        if self.op in ("in", "not in"):
            return f"{self.op} [{','.join(fmt(v) for v in self.operands)}]"
        return f"{self.op} {fmt(self.operands[0])}"

    def holds(self, value: float) -> bool:
        """Evaluate a numeric condition on one metric (dataset-level rules)."""
        ops = [float(v) for v in self.operands]
        if self.op == "between":
            return ops[0] < value < ops[1]
        if self.op == "not between":
            return value <= ops[0] or value >= ops[1]
        if self.op == ">":
            return value > ops[0]
        if self.op == ">=":
            return value >= ops[0]
        if self.op == "<":
            return value < ops[0]
        if self.op == "<=":
            return value <= ops[0]
        if self.op == "=":
            return math.isclose(value, ops[0], rel_tol=1e-9, abs_tol=1e-9)
        if self.op == "!=":
            return not math.isclose(value, ops[0], rel_tol=1e-9, abs_tol=1e-9)
        if self.op == "in":
            return any(math.isclose(value, o, rel_tol=1e-9, abs_tol=1e-9) for o in ops)
        if self.op == "not in":
            return not any(math.isclose(value, o, rel_tol=1e-9, abs_tol=1e-9) for o in ops)
        raise DQDLError(f"condition '{self.text()}' cannot compare a number")


@dataclass
class Rule:
    rule_type: str
    params: list[str]
    condition: Condition | None = None
    where: str | None = None
    threshold: Condition | None = None

    def text(self) -> str:
        parts = [self.rule_type, *('"' + p.replace('"', '\\"') + '"' for p in self.params)]
        if self.condition is not None:
            parts.append(self.condition.text())
        if self.where is not None:
            parts.append(f'where "{self.where}"')
        if self.threshold is not None:
            parts.append(f"with threshold {self.threshold.text()}")
        return " ".join(parts)


@dataclass
class Composite:
    op: str  # and | or
    rules: list

    def text(self) -> str:
        return f" {self.op} ".join(f"({r.text()})" for r in self.rules)


@dataclass
class Outcome:
    rule: str
    passed: bool
    failure_reason: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    row_pass: object = None  # pyspark Column (boolean) when the rule has row-level results

    @property
    def outcome(self) -> str:
        return "Passed" if self.passed else "Failed"


def _fmt_number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))


# --------------------------------------------------------------------------- lexer
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:\\.|[^"\\])*")
  | (?P<number>-?\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<op>>=|<=|!=|=|>|<|!)
  | (?P<punct>[()\[\],{}:$+\-*/])
  | (?P<ident>[A-Za-z0-9_.]+)
    """,
    re.VERBOSE,
)


@dataclass
class Tok:
    kind: str
    value: object
    pos: int


def _tokens(text: str) -> list[Tok]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise DQDLError(f"DQDL: unexpected character {text[pos]!r} at offset {pos}")
        kind = m.lastgroup
        raw = m.group()
        if kind == "string":
            out.append(Tok("string", re.sub(r'\\(["\\])', r"\1", raw[1:-1]), pos))
        elif kind == "number":
            out.append(Tok("number", float(raw), pos))
        elif kind not in ("ws", "comment"):
            out.append(Tok(kind, raw, pos))
        pos = m.end()
    out.append(Tok("eof", None, pos))
    return out


# --------------------------------------------------------------------------- parser
_RULE_STOP = {"between", "not", "in", "matches", "with", "where", "labels", "and", "or"}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    # helpers
    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def peek(self, n: int = 1) -> Tok:
        return self.toks[min(self.i + n, len(self.toks) - 1)]

    def take(self) -> Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def is_word(self, *words: str, tok: Tok | None = None) -> bool:
        t = tok or self.tok
        return t.kind == "ident" and str(t.value).lower() in words

    def expect(self, kind: str, value: str | None = None) -> Tok:
        t = self.tok
        if t.kind != kind or (value is not None and str(t.value) != value):
            want = value or kind
            got = t.value if t.value is not None else "end of ruleset"
            raise DQDLError(f"DQDL: expected {want!r} at offset {t.pos}, found {got!r}")
        return self.take()

    # document
    def document(self) -> list:
        rules = None
        while self.tok.kind != "eof":
            if self.tok.kind == "ident" and self.tok.value in ("Metadata", "DataSources"):
                self.take()
                self.expect("op", "=")
                self._skip_balanced("{", "}")
            elif self.tok.kind == "ident" and self.tok.value in ("Rules", "Analyzers"):
                section = self.take().value
                self.expect("op", "=")
                self.expect("punct", "[")
                items = []
                if not (self.tok.kind == "punct" and self.tok.value == "]"):
                    items.append(self.top_level() if section == "Rules" else self._analyzer())
                    while self.tok.kind == "punct" and self.tok.value == ",":
                        self.take()
                        items.append(self.top_level() if section == "Rules" else self._analyzer())
                self.expect("punct", "]")
                if section == "Rules":
                    rules = items
            elif self.tok.kind == "ident" and self.peek().kind == "op" and self.peek().value == "=":
                raise DQDLError(
                    f"DQDL: variable declarations ({self.tok.value} = ...) are not supported "
                    "by this runtime; inline the values in the rules"
                )
            else:
                raise DQDLError(
                    f"DQDL: expected 'Rules = [ ... ]' at offset {self.tok.pos}, "
                    f"found {self.tok.value!r}"
                )
        if rules is None:
            raise DQDLError("DQDL: the ruleset has no 'Rules = [ ... ]' section")
        return rules

    def _skip_balanced(self, open_: str, close: str) -> None:
        self.expect("punct", open_)
        depth = 1
        while depth:
            t = self.take()
            if t.kind == "eof":
                raise DQDLError(f"DQDL: unbalanced {open_!r}")
            if t.kind == "punct" and t.value == open_:
                depth += 1
            elif t.kind == "punct" and t.value == close:
                depth -= 1

    def _analyzer(self):
        self.expect("ident")
        while self.tok.kind in ("string", "ident") and not self.is_word("and", "or"):
            self.take()
        return None

    # rules
    def top_level(self):
        left = self._and_level()
        rules = [left]
        while self.is_word("or"):
            self.take()
            rules.append(self._and_level())
        return rules[0] if len(rules) == 1 else Composite("or", rules)

    def _and_level(self):
        rules = [self._primary()]
        while self.is_word("and") and self.peek().kind == "punct" and self.peek().value == "(":
            self.take()
            rules.append(self._primary())
        return rules[0] if len(rules) == 1 else Composite("and", rules)

    def _primary(self):
        if self.tok.kind == "punct" and self.tok.value == "(":
            self.take()
            inner = self.top_level()
            self.expect("punct", ")")
            if self.is_word("labels"):
                self._labels()
            return inner
        return self.rule()

    def rule(self) -> Rule:
        start = self.tok
        rule_type = str(self.expect("ident").value)
        params: list[str] = []
        while True:
            t = self.tok
            if t.kind == "string":
                params.append(self.take().value)
            elif self.is_word("of", "and") and self.peek().kind == "string":
                self.take()
            elif t.kind == "ident" and str(t.value).lower() not in _RULE_STOP:
                params.append(str(self.take().value))
            else:
                break
        rule = Rule(rule_type, params)
        if self._at_condition():
            rule.condition = self.condition()
        while True:
            if self.is_word("where"):
                self.take()
                rule.where = self.expect("string").value
            elif self.is_word("with"):
                self.take()
                tag = self.expect("ident").value
                cond = self.condition()
                if str(tag).lower() == "threshold":
                    rule.threshold = cond
            elif self.is_word("labels"):
                self._labels()
            else:
                break
        if rule_type not in SUPPORTED:
            raise DQDLError(
                f"DQDL rule type {rule_type!r} (in rule starting at offset {start.pos}) is not "
                f"supported by the local Glue runtime; supported: {', '.join(SUPPORTED)}"
            )
        return rule

    def _labels(self) -> None:
        self.take()
        self.expect("op", "=")
        self._skip_balanced("[", "]")

    def _at_condition(self) -> bool:
        t = self.tok
        return (t.kind == "op") or self.is_word("between", "not", "in", "matches")

    def condition(self) -> Condition:
        negate = False
        if self.is_word("not"):
            self.take()
            negate = True
        if self.is_word("between"):
            self.take()
            low = self.value()
            if not self.is_word("and"):
                raise DQDLError(f"DQDL: 'between' needs 'and' at offset {self.tok.pos}")
            self.take()
            high = self.value()
            return self._cond("not between" if negate else "between", [low, high])
        if self.is_word("in"):
            self.take()
            self.expect("punct", "[")
            values = [self.value()]
            while self.tok.kind == "punct" and self.tok.value == ",":
                self.take()
                values.append(self.value())
            self.expect("punct", "]")
            return self._cond("not in" if negate else "in", values)
        if self.is_word("matches"):
            self.take()
            return self._cond("not matches" if negate else "matches", [self.expect("string").value])
        if negate:
            raise DQDLError(f"DQDL: 'not' must be followed by between/in/matches at {self.tok.pos}")
        op = str(self.expect("op").value)
        if op == "!":
            self.expect("op", "=")
            op = "!="
        return self._cond(op, [self.value()])

    def _cond(self, op: str, values: list) -> Condition:
        quoted = any(isinstance(v, str) for v in values)
        return Condition(op, values, quoted)

    def value(self):
        t = self.tok
        if t.kind == "number":
            return self.take().value
        if t.kind == "string":
            return self.take().value
        if t.kind == "ident" and str(t.value).upper() in KEYWORDS:
            return Keyword(str(self.take().value).upper())
        if t.kind == "ident" and self.peek().kind == "punct" and self.peek().value == "(":
            raise DQDLError(
                f"DQDL: dynamic rules ({t.value}(...)) need previous run metrics and are not "
                "supported by the local Glue runtime; use a constant"
            )
        if t.kind == "punct" and t.value == "(":
            raise DQDLError(
                "DQDL: date/duration expressions such as (now() - 3 days) are not supported "
                "by the local Glue runtime"
            )
        raise DQDLError(f"DQDL: expected a value at offset {t.pos}, found {t.value!r}")


def parse(text: str) -> list:
    """Parse a DQDL document into top-level Rule/Composite objects."""
    return _Parser(text).document()


# --------------------------------------------------------------------------- evaluation
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
        from lakehouse.spark import get_spark

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
