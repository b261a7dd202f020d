"""DQDL's model: rule types, rules, conditions, operands and outcomes.

The text of a rule is Glue's canonical form (AWS's DQDL model, awslabs/dqdl `DQRule.toString`):
numbers keep the digits they were written with, composites print `AND`/`OR`, a `where`
clause comes before `with threshold`, rule labels come last. That text is the `Rule` column
of the outcomes and the name of the rule in the row-level results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from localglue.errors import LakehouseError

KEYWORDS = ("NULL", "EMPTY", "WHITESPACES_ONLY")
DURATION_UNITS = ("days", "hours", "minutes")
SIZE_UNITS = ("B", "KB", "MB", "GB", "TB")


class DQDLError(LakehouseError):
    """A ruleset that does not parse, or a rule this runtime cannot evaluate."""


# --------------------------------------------------------------------------- rule types
@dataclass(frozen=True)
class RuleType:
    """What Glue's parser accepts for one rule type (awslabs/dqdl rules-config.json)."""

    name: str
    params: tuple[int, ...] | None  # allowed parameter counts; None: one or more
    conditions: tuple[str, ...]  # condition kinds, in the order Glue tries them; () = none
    condition_optional: bool = False
    where: bool = False
    threshold: bool = False
    # Not None: the rule parses (as on Glue) but is refused when evaluated, for this reason.
    not_reproduced: str | None = None


def _t(name, params, conditions=("number",), **kw) -> RuleType:
    return RuleType(name, params, conditions, **kw)


_COLUMN_VALUES = ("string", "number", "date")
_FILES = (
    "it compares S3 object checksums, whose algorithm and tags (hashAlgorithm, ...) the local "
    "runtime does not reproduce"
)

RULE_TYPES: dict[str, RuleType] = {
    t.name: t
    for t in (
        _t("RowCount", (0,), where=True),
        _t("RowCountMatch", (1,)),
        _t("ColumnCount", (0,)),
        _t("Completeness", (1,), where=True),
        _t("IsComplete", (1,), (), where=True),
        _t("ColumnDataType", (1,), ("string",), where=True, threshold=True),
        _t("ColumnNamesMatchPattern", (1,), ()),
        _t("ColumnExists", (1,), ()),
        _t("ColumnCorrelation", (2,), where=True),
        _t("Uniqueness", None, where=True),
        _t("IsUnique", None, (), where=True),
        _t("Mean", (1,), where=True),
        _t("Sum", (1,), where=True),
        _t("StandardDeviation", (1,), where=True),
        _t("Variance", (1,), where=True),
        _t("Entropy", (1,), where=True),
        _t("DistinctValuesCount", (1,), where=True),
        _t("UniqueValueRatio", (1,), where=True),
        _t("ColumnLength", (1,), where=True),
        _t("IsPrimaryKey", None, (), where=True),
        _t("ColumnValues", (1,), _COLUMN_VALUES, where=True, threshold=True),
        _t("DataFreshness", (1,), ("duration",), where=True),
        _t("CustomSql", (1,), condition_optional=True, threshold=True),
        _t("ReferentialIntegrity", (2,)),
        _t("DatasetMatch", (2, 3)),
        _t("SchemaMatch", (1,)),
        _t("AggregateMatch", (2,)),
        _t(
            "DetectAnomalies",
            None,
            (),
            not_reproduced="Glue's anomaly detection model (trained on the statistics of "
            "past runs) is not public",
        ),
        _t("FileMatch", (0, 1, 2), ("string",), condition_optional=True, not_reproduced=_FILES),
        _t("FileUniqueness", (0, 1), not_reproduced=_FILES),
        _t("FileFreshness", (0, 1), ("date",), threshold=True),
        _t("FileSize", (0, 1), ("size",), threshold=True),
    )
}
ANALYZER_ONLY = ("AllStatistics", "Distribution")
REPRODUCED = tuple(name for name, t in RULE_TYPES.items() if t.not_reproduced is None)


# --------------------------------------------------------------------------- operands
@dataclass(frozen=True)
class Keyword:
    name: str  # NULL | EMPTY | WHITESPACES_ONLY

    def text(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Str:
    """A quoted string; `raw` keeps the escapes as written (printed back unchanged)."""

    value: str
    raw: str

    def text(self) -> str:
        return f'"{self.raw}"'


@dataclass(frozen=True)
class Num:
    raw: str  # as written: "1.0" stays "1.0"
    paren: bool = False

    @property
    def value(self) -> float:
        return float(self.raw)

    def text(self) -> str:
        return f"({self.raw})" if self.paren else self.raw


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: object
    right: object
    paren: bool = False

    def text(self) -> str:
        inner = f"{self.left.text()} {self.op} {self.right.text()}"
        return f"({inner})" if self.paren else inner


@dataclass(frozen=True)
class Call:
    """A function of a dynamic rule: last(k), avg(...), index(last(k), i), ..."""

    name: str
    args: tuple
    paren: bool = False

    def text(self) -> str:
        inner = f"{self.name}({','.join(a.text() for a in self.args)})"
        return f"({inner})" if self.paren else inner


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: str  # days | hours | minutes

    @property
    def hours(self) -> float:
        return self.amount * {"days": 24.0, "hours": 1.0, "minutes": 1 / 60}[self.unit]

    def text(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class Size:
    amount: int
    unit: str  # B KB MB GB TB

    def text(self) -> str:
        return f"{self.amount} {self.unit}"


@dataclass(frozen=True)
class DateExpr:
    """now(), (now() - 3 days), a "yyyy-MM-dd" date, a "21:45" / "9:30 PM" time."""

    kind: str  # now | date | time
    raw: str = ""  # date or time as written
    op: str | None = None  # + or - for (now() op duration)
    duration: Duration | None = None

    def text(self) -> str:
        if self.kind == "now":
            return f"(now() {self.op} {self.duration.text()})" if self.op else "now()"
        return "NULL" if self.kind == "null" else f'"{self.raw}"'


@dataclass(frozen=True)
class VarRef:
    """$name, resolved by the parser; printed as written (Glue prints the reference)."""

    name: str
    value: object

    def text(self) -> str:
        return f"${self.name}"


# --------------------------------------------------------------------------- rules
@dataclass
class Condition:
    kind: str  # number | string | date | duration | size
    op: str  # > >= < <= = != between "not between" in "not in" matches "not matches"
    operands: list

    def text(self) -> str:
        parts = [o.text() for o in self.operands]
        if self.op in ("between", "not between"):
            return f"{self.op} {parts[0]} and {parts[1]}"
        if self.op in ("in", "not in"):
            if len(self.operands) == 1 and isinstance(self.operands[0], VarRef):
                return f"{self.op} {parts[0]}"
            return f"{self.op} [{','.join(parts)}]"
        return f"{self.op} {parts[0]}"

    def values(self) -> list:
        """Operands with variables resolved (a list variable spreads into the list)."""
        out = []
        for o in self.operands:
            if isinstance(o, VarRef):
                out.extend(o.value if isinstance(o.value, list) else [o.value])
            else:
                out.append(o)
        return out

    @property
    def is_dynamic(self) -> bool:
        return any(_has_call(o) for o in self.operands)


def _has_call(operand) -> bool:
    if isinstance(operand, Call):
        return True
    if isinstance(operand, BinOp):
        return _has_call(operand.left) or _has_call(operand.right)
    return False


@dataclass(frozen=True)
class Param:
    value: str
    quoted: bool = True
    connector: str | None = None  # "of" / "and", kept as written
    variable: str | None = None  # $name it came from

    def text(self) -> str:
        word = f"{self.connector} " if self.connector else ""
        if self.variable is not None:
            return f"{word}${self.variable}"
        return f'{word}"{self.value}"' if self.quoted else f"{word}{self.value}"


@dataclass
class Rule:
    rule_type: str
    params: list[Param]
    condition: Condition | None = None
    where: str | None = None
    threshold: Condition | None = None
    tags: dict[str, str] = field(default_factory=dict)  # `with key = value`, value as written
    labels: dict[str, str] = field(default_factory=dict)  # this rule's own labels
    default_labels: dict[str, str] = field(default_factory=dict)

    @property
    def args(self) -> list[str]:
        return [p.value for p in self.params]

    @property
    def spec(self) -> RuleType:
        return RULE_TYPES[self.rule_type]

    @property
    def all_labels(self) -> dict[str, str]:
        return {**self.default_labels, **self.labels}

    def text(self) -> str:
        parts = [self.rule_type, *(p.text() for p in self.params)]
        if self.condition is not None:
            parts.append(self.condition.text())
        if self.where is not None:
            parts.append(f'where "{self.where}"')
        if self.threshold is not None:
            parts.append(f"with threshold {self.threshold.text()}")
        text = " ".join(parts) + "".join(f" with {k} = {v}" for k, v in self.tags.items())
        return text + _labels_text(self.labels)


@dataclass
class Composite:
    op: str  # AND | OR
    rules: list
    labels: dict[str, str] = field(default_factory=dict)
    default_labels: dict[str, str] = field(default_factory=dict)

    @property
    def all_labels(self) -> dict[str, str]:
        return {**self.default_labels, **self.labels}

    def flattened(self) -> list:
        """A chain of one operator prints flat: (a) AND (b) AND (c)."""
        out = []
        for r in self.rules:
            if isinstance(r, Composite) and r.op == self.op and not r.labels:
                out.extend(r.flattened())
            else:
                out.append(r)
        return out

    def text(self) -> str:
        return f" {self.op} ".join(f"({r.text()})" for r in self.flattened())


def leaves(node) -> list[Rule]:
    """The rules of a top-level rule: itself, or every rule inside a composite."""
    if isinstance(node, Composite):
        return [leaf for r in node.rules for leaf in leaves(r)]
    return [node]


def _labels_text(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    return " labels=[" + ", ".join(f'"{k}"="{v}"' for k, v in labels.items()) + "]"


@dataclass
class Outcome:
    rule: str
    passed: bool
    failure_reason: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    row_pass: object = None  # pyspark Column (boolean) when the rule has row-level results
    labels: dict[str, str] = field(default_factory=dict)
    # Row-level only: rows a `where` clause filtered out (labelled SKIPPED on request).
    row_filtered: object = None

    @property
    def outcome(self) -> str:
        return "Passed" if self.passed else "Failed"
