"""Conditions decided: a metric against a number condition (with dynamic operands resolved
from earlier runs), and a column's values row by row (string, number and date conditions).

Semantics from the DQDL reference: `between` is exclusive and `not between` inclusive;
`now()` is the current UTC time to the minute; `last(k)` is the rule's metric in the last k
runs (most recent first), 0.0 when there is none; `last(k)` with k > 1 needs an aggregation
(avg, median, max, min, sum, std, abs, index(last(k), i)).
"""

from __future__ import annotations

import math
import re
import statistics
from datetime import datetime, timedelta
from decimal import Decimal

from localglue.dqdl.model import (
    BinOp,
    Call,
    Condition,
    DateExpr,
    DQDLError,
    Keyword,
    Num,
)

DYNAMIC_FUNCTIONS = ("last", "avg", "median", "max", "min", "sum", "std", "abs", "index")


def java_double(v: float) -> str:
    """A double as the JVM prints it ("4.0", "0.75", "1.2345678E7"): Glue's failure reasons."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0 or 1e-3 <= abs(v) < 1e7:
        return repr(v)
    sign, digits, exp = Decimal(repr(v)).normalize().as_tuple()
    figures = "".join(map(str, digits))
    mantissa = figures[0] + "." + (figures[1:] or "0")
    return f"{'-' if sign else ''}{mantissa}E{len(figures) + exp - 1}"


def reason(value) -> str:
    """Glue's failure reason for a metric that breaks the rule's condition."""
    shown = "NULL" if value is None else java_double(value) if isinstance(value, float) else value
    return f"Value: {shown} does not meet the constraint requirement!"


# --------------------------------------------------------------------------- numbers
class Operands:
    """Turns number operands into floats; dynamic calls read the rule's metric history."""

    def __init__(self, history=None, metric: str | None = None):
        self.history = history
        self.metric = metric

    def scalar(self, operand) -> float | None:
        value = self.value(operand)
        if isinstance(value, list):
            if len(value) != 1:
                raise DQDLError(
                    "DQDL: Rule threshold results in list, and a single value is expected. "
                    "Use aggregation functions such as avg(last(k)) to produce a single value."
                )
            return value[0]
        return value

    def value(self, operand):
        if isinstance(operand, Num):
            return operand.value
        if isinstance(operand, Keyword):
            return None
        if isinstance(operand, BinOp):
            left, right = self.scalar(operand.left), self.scalar(operand.right)
            if left is None or right is None:
                return None
            if operand.op == "+":
                return left + right
            if operand.op == "-":
                return left - right
            if operand.op == "*":
                return left * right
            if right == 0:  # the JVM divides by zero into Infinity or NaN
                return math.copysign(math.inf, left) if left else math.nan
            return left / right
        if isinstance(operand, Call):
            return self._call(operand)
        raise DQDLError(f"DQDL: {operand.text()} is not a number")

    def _call(self, call: Call):
        name = call.name
        if name not in DYNAMIC_FUNCTIONS:
            raise DQDLError(
                f"DQDL: {name}() is not a dynamic rule function; Glue has "
                f"{', '.join(f + '()' for f in DYNAMIC_FUNCTIONS)}"
            )
        if name == "last":
            return self._last(call)
        if name == "index":
            if len(call.args) != 2:
                raise DQDLError("DQDL: index() takes a list and a position: index(last(3), 0)")
            values, position = self.value(call.args[0]), self.scalar(call.args[1])
            values = values if isinstance(values, list) else [values]
            i = int(position)
            if not 0 <= i < len(values):
                raise DQDLError(
                    f"DQDL: {call.text()}: position {i} is out of range; there are "
                    f"{len(values)} value(s)"
                )
            return values[i]
        if len(call.args) != 1:
            raise DQDLError(f"DQDL: {name}() takes one argument: {call.text()}")
        arg = self.value(call.args[0])
        values = [v for v in (arg if isinstance(arg, list) else [arg]) if v is not None]
        if not values:
            return None
        if name == "abs":
            if len(values) != 1:
                raise DQDLError("DQDL: abs() takes one number; aggregate the list first")
            return abs(values[0])
        return {
            "avg": statistics.fmean,
            "median": statistics.median,
            "max": max,
            "min": min,
            "sum": math.fsum,
            "std": statistics.pstdev,
        }[name](values)

    def _last(self, call: Call) -> list[float]:
        if len(call.args) > 1:
            raise DQDLError("DQDL: last() takes at most one number: last(5)")
        k = int(self.scalar(call.args[0])) if call.args else 1
        if k < 1:
            raise DQDLError(f"DQDL: {call.text()}: k must be at least 1")
        if self.history is None:
            raise DQDLError(
                "DQDL: dynamic rules (last(k)) compare with the metrics of earlier runs, which "
                "the local runtime keeps in the lake (_dq/) for EvaluateDataQuality in a job; "
                "this evaluation has no history"
            )
        return self.history.last(self.metric, k) or [0.0]


def holds(cond: Condition, value: float | None, operands: Operands) -> bool:
    """A number condition on one metric (dataset-level rules)."""
    if cond.kind != "number":
        raise DQDLError(f"DQDL: condition '{cond.text()}' does not compare a number")
    if value is None:
        return False
    ops = [operands.scalar(o) for o in cond.operands]
    if cond.op in ("between", "not between"):
        low, high = ops
        if low is None or high is None:
            return False
        inside = low < value < high
        return inside if cond.op == "between" else not (low < value < high)
    if cond.op in ("in", "not in"):
        hit = any(o is not None and _same(value, o) for o in ops)
        return hit if cond.op == "in" else not hit
    (target,) = ops
    if target is None:
        return cond.op == "!="
    return {
        ">": value > target,
        ">=": value >= target or _same(value, target),
        "<": value < target,
        "<=": value <= target or _same(value, target),
        "=": _same(value, target),
        "!=": not _same(value, target),
    }[cond.op]


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def resolved_text(cond: Condition, operands: Operands) -> str:
    """The condition with its dynamic operands replaced by their values (for messages)."""
    if not cond.is_dynamic:
        return cond.text()
    values = [
        java_double(v) if v is not None else "NULL" for v in map(operands.scalar, cond.operands)
    ]
    if cond.op in ("between", "not between"):
        return f"{cond.op} {values[0]} and {values[1]}"
    if cond.op in ("in", "not in"):
        return f"{cond.op} [{','.join(values)}]"
    return f"{cond.op} {values[0]}"


# --------------------------------------------------------------------------- dates
def date_value(expr: DateExpr, now: datetime) -> datetime | None:
    if expr.kind == "null":
        return None
    if expr.kind == "now":
        if expr.op is None:
            return now
        delta = timedelta(hours=expr.duration.hours)
        return now - delta if expr.op == "-" else now + delta
    if expr.kind == "date":
        return datetime.strptime(expr.raw, "%Y-%m-%d")
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?: (AM|PM))?", expr.raw)
    hour, minute = int(m.group(1)), int(m.group(2))
    if m.group(3):
        hour = hour % 12 + (12 if m.group(3) == "PM" else 0)
    return now.replace(hour=hour, minute=minute)


# --------------------------------------------------------------------------- rows
def row_condition(c, cond: Condition, now: datetime | None = None):
    """Spark boolean expression: does this row's value satisfy the condition.

    NULL fails every condition except the negative ones (!=, not in), and a condition that
    names NULL itself (= NULL, in [NULL, ...]).
    """
    from pyspark.sql import functions as F

    op, vals = cond.op, cond.values()
    if cond.kind == "date":
        c = c.cast("timestamp")
        vals = [
            None if v.kind == "null" else F.to_timestamp(F.lit(str(date_value(v, now))))
            for v in vals
        ]
    elif cond.kind == "number":
        vals = [None if isinstance(v, Keyword) else F.lit(v.value) for v in vals]
    elif cond.kind == "string" and op not in ("matches", "not matches"):
        vals = [v if isinstance(v, Keyword) else F.lit(v.value) for v in vals]

    def equals(v):
        if v is None:
            return c.isNull()
        if isinstance(v, Keyword):
            if v.name == "NULL":
                return c.isNull()
            text = c.cast("string")
            if v.name == "EMPTY":
                return text == F.lit("")
            return (F.length(text) > 0) & (F.trim(text) == F.lit(""))
        return c == v

    if op in ("in", "not in"):
        hit = F.lit(False)
        for v in vals:
            hit = hit | F.coalesce(equals(v), F.lit(False))
        return hit if op == "in" else ~hit
    if op in ("=", "!=") and (vals[0] is None or isinstance(vals[0], Keyword)):
        hit = F.coalesce(equals(vals[0]), F.lit(False))
        return hit if op == "=" else ~hit
    if op in ("matches", "not matches"):
        expr = c.cast("string").rlike(f"^(?:{vals[0].value})$")
        expr = expr if op == "matches" else ~expr
    elif op == "between":
        expr = (c > vals[0]) & (c < vals[1])
    elif op == "not between":
        expr = (c <= vals[0]) | (c >= vals[1])
    else:
        expr = {
            ">": lambda: c > vals[0],
            ">=": lambda: c >= vals[0],
            "<": lambda: c < vals[0],
            "<=": lambda: c <= vals[0],
            "=": lambda: c == vals[0],
            "!=": lambda: c != vals[0],
        }[op]()
    return F.coalesce(expr, F.lit(op in ("!=", "not in")))


def number_row_condition(expr, cond: Condition, operands: Operands):
    """A number condition on a per-row number (ColumnLength): operands must be constants."""
    from pyspark.sql import functions as F

    if cond.is_dynamic:
        raise DQDLError(f"DQDL: dynamic rules are not supported for '{cond.text()}' on rows")
    lits = [F.lit(operands.scalar(o)) for o in cond.operands]
    op = cond.op
    if op == "between":
        return (expr > lits[0]) & (expr < lits[1])
    if op == "not between":
        return (expr <= lits[0]) | (expr >= lits[1])
    if op in ("in", "not in"):
        hit = expr.isin(*lits)
        return hit if op == "in" else ~hit
    return {
        ">": expr > lits[0],
        ">=": expr >= lits[0],
        "<": expr < lits[0],
        "<=": expr <= lits[0],
        "=": expr == lits[0],
        "!=": expr != lits[0],
    }[op]
