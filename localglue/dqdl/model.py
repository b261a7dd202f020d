"""DQDL's model: rules, conditions, composites and outcomes, shared by parser and evaluator."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from localglue.errors import LakehouseError

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
