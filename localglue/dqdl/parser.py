"""DQDL text -> rules: a lexer and a recursive-descent parser after AWS's grammar
(awslabs/dqdl, DataQualityDefinitionLanguage.g4), with Glue's parser's error messages
where it has them ("Rule Type: X is not valid", "Where clause is not supported for rule
type: X", ...).

Grammar points that decide outcomes:
- `and` binds tighter than `or`; each rule they join is in parentheses;
- arithmetic in a condition has ONE precedence level, left to right:
  `avg(last(3)) + 1 * 2` is `(avg(last(3)) + 1) * 2` (`number: number numberOp number`);
- a condition is tried as each kind the rule type returns, in Glue's order (ColumnValues:
  string, then number, then date), so `ColumnValues "d" = "2024-01-01"` compares strings and
  `ColumnValues "d" > "2024-01-01"` compares dates;
- variables (`name = "text"` or `name = ["a", "b"]`) hold strings only; `$name` stands for
  one in a parameter or a string condition.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from localglue.dqdl.model import (
    ANALYZER_ONLY,
    DURATION_UNITS,
    KEYWORDS,
    RULE_TYPES,
    SIZE_UNITS,
    BinOp,
    Call,
    Composite,
    Condition,
    DateExpr,
    DQDLError,
    Duration,
    Keyword,
    Num,
    Param,
    Rule,
    Size,
    Str,
    VarRef,
)

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:\\.|[^"\\])*")
  | (?P<number>\d+(?:\.\d+)?(?![A-Za-z0-9_.]))
  | (?P<op>>=|<=|!=|=|>|<|!)
  | (?P<punct>[()\[\],{}:$+\-*/])
  | (?P<ident>[A-Za-z0-9_.]+)
    """,
    re.VERBOSE,
)
# Literal tokens of the grammar: never a bare (unquoted) parameter.
_RESERVED = {
    "and", "AND", "or", "OR", "of", "OF", "between", "in", "not", "matches", "with", "where",
    "labels", "null", "NULL", "empty", "EMPTY", "whitespaces_only", "WHITESPACES_ONLY",
}  # fmt: skip
_ANALYZERS = {
    "RowCount", "Completeness", "Uniqueness", "Mean", "Sum", "StandardDeviation", "Entropy",
    "DistinctValuesCount", "UniqueValueRatio", "ColumnCount", "ColumnLength", "ColumnValues",
    "ColumnCorrelation", "CustomSql", "AllStatistics", "Distribution",
}  # fmt: skip
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2}):(\d{2}) (AM|PM)")
_MIL_TIME = re.compile(r"(\d{2}):(\d{2})")
_COMPARISONS = (">", ">=", "<", "<=")


@dataclass
class Tok:
    kind: str
    value: str | None
    pos: int


def _tokens(text: str) -> list[Tok]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise DQDLError(f"DQDL: unexpected character {text[pos]!r} at offset {pos}")
        if m.lastgroup not in ("ws", "comment"):
            out.append(Tok(m.lastgroup, m.group(), pos))
        pos = m.end()
    out.append(Tok("eof", None, pos))
    return out


def _unquote(raw: str) -> str:
    return re.sub(r'\\(["\\])', r"\1", raw[1:-1])


class _Backtrack(Exception):
    """This kind of condition does not match here; try the next kind."""


class _Parser:
    def __init__(self, text: str):
        self.toks = _tokens(text)
        self.i = 0
        self.variables: dict[str, object] = {}
        self.default_labels: dict[str, str] = {}

    # ------------------------------------------------------------------ helpers
    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def peek(self, n: int = 1) -> Tok:
        return self.toks[min(self.i + n, len(self.toks) - 1)]

    def take(self) -> Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def at(self, kind: str, *values: str, tok: Tok | None = None) -> bool:
        t = tok or self.tok
        return t.kind == kind and (not values or t.value in values)

    def word(self, *words: str, tok: Tok | None = None) -> bool:
        return self.at("ident", *words, tok=tok)

    def expect(self, kind: str, value: str | None = None, what: str | None = None) -> Tok:
        t = self.tok
        if t.kind != kind or (value is not None and t.value != value):
            want = what or value or kind
            got = "end of ruleset" if t.kind == "eof" else repr(t.value)
            raise DQDLError(f"DQDL: expected {want} at offset {t.pos}, found {got}")
        return self.take()

    def fail(self, message: str):
        raise _Backtrack(message)

    # ------------------------------------------------------------------ document
    def document(self) -> list:
        rules: list | None = None
        analyzers = False
        while not self.at("eof"):
            name = self.tok.value if self.at("ident") else None
            if name in ("Metadata", "DataSources") and self.at("op", "=", tok=self.peek()):
                self.i += 2
                self._skip_balanced("{", "}")
            elif name == "DefaultLabels" and self.at("op", "=", tok=self.peek()):
                self.i += 2
                self.default_labels = self._label_list()
            elif name == "Rules" and self.at("op", "=", tok=self.peek()):
                self.i += 2
                rules = self._list(self.top_level)
            elif name == "Analyzers" and self.at("op", "=", tok=self.peek()):
                self.i += 2
                analyzers = bool(self._list(self._analyzer))
            elif name is not None and self.at("op", "=", tok=self.peek()):
                self._variable()
            else:
                got = "end of ruleset" if self.at("eof") else repr(self.tok.value)
                raise DQDLError(
                    f"DQDL: expected 'Rules = [ ... ]' at offset {self.tok.pos}, found {got}"
                )
        if not rules and not analyzers:
            raise DQDLError(
                "DQDL: No rules or analyzers provided. Write 'Rules = [ RowCount > 0 ]'."
            )
        return rules or []

    def _list(self, item) -> list:
        self.expect("punct", "[")
        items = []
        if not self.at("punct", "]"):
            items.append(item())
            while self.at("punct", ","):
                self.take()
                items.append(item())
        self.expect("punct", "]", what="',' or ']'")
        return items

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

    def _variable(self) -> None:
        name = self.take().value
        self.take()  # =
        if name[0] in "._":
            raise DQDLError(f"DQDL: Variable name '{name}' cannot start with '.' or '_'")
        if name in self.variables:
            raise DQDLError(f"DQDL: Variable '{name}' is already defined")
        if self.at("punct", "["):
            values = self._list(self._variable_value)
        else:
            values = self._variable_value()
        self.variables[name] = values

    def _variable_value(self):
        if self.at("punct", "$"):
            raise DQDLError("DQDL: Nested variables are not supported in variable values")
        if self.at("string"):
            raw = self.take().value
            return Str(_unquote(raw), raw[1:-1])
        if self.at("ident") and self.tok.value.upper() in KEYWORDS:
            return Keyword(self.take().value.upper())
        raise DQDLError(
            f"DQDL: a variable holds a quoted string or a list of them (offset {self.tok.pos})"
        )

    def _deref(self) -> VarRef:
        self.expect("punct", "$")
        name = self.expect("ident", what="a variable name").value
        if name not in self.variables:
            raise DQDLError(f"DQDL: variable '${name}' is not defined before 'Rules'")
        return VarRef(name, self.variables[name])

    def _label_list(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for key, value in self._list(self._label):
            if not key:
                raise DQDLError("DQDL: a label key must not be empty")
            labels[key] = value
        if len(labels) > 10:
            raise DQDLError("DQDL: a rule has at most 10 labels")
        return labels

    def _label(self) -> tuple[str, str]:
        key = _unquote(self.expect("string", what="a quoted label key").value)
        self.expect("op", "=")
        return key, _unquote(self.expect("string", what="a quoted label value").value)

    def _analyzer(self):
        name = self.expect("ident", what="an analyzer").value
        if name not in _ANALYZERS:
            raise DQDLError(f"DQDL: Analyzer Type: {name} is not valid")
        self._params()
        if not (self.at("punct", ",", "]")):
            raise DQDLError(f"DQDL: analyzer {name} takes no condition (offset {self.tok.pos})")
        return name

    # ------------------------------------------------------------------ rules
    def top_level(self):
        rules = [self._and_level()]
        while self.word("or", "OR"):
            self.take()
            rules.append(self._and_level())
        return rules[0] if len(rules) == 1 else Composite("OR", rules, {}, self.default_labels)

    def _and_level(self):
        rules = [self._primary()]
        while self.word("and", "AND"):
            self.take()
            rules.append(self._primary())
        return rules[0] if len(rules) == 1 else Composite("AND", rules, {}, self.default_labels)

    def _primary(self):
        if self.at("punct", "("):
            self.take()
            inner = self.top_level()
            self.expect("punct", ")")
            if self.word("labels"):
                inner.labels = self._labels()
            return inner
        rule = self.rule()
        if self.word("and", "AND", "or", "OR"):
            raise DQDLError(
                f"DQDL: rules joined with and/or must each be in parentheses: "
                f"({rule.text()}) {self.tok.value} (...)"
            )
        return rule

    def _labels(self) -> dict[str, str]:
        self.take()
        self.expect("op", "=")
        return self._label_list()

    def _params(self) -> list[Param]:
        params: list[Param] = []
        while True:
            connector = None
            if self.word("of", "OF", "and", "AND") and self._is_param(self.peek()):
                connector = self.take().value
            if not self._is_param(self.tok):
                if connector:
                    self.i -= 1
                return params
            if self.at("string"):
                params.append(Param(_unquote(self.take().value), True, connector))
            elif self.at("punct", "$"):
                ref = self._deref()
                if not isinstance(ref.value, Str):
                    raise DQDLError(f"DQDL: variable '${ref.name}' is not a string parameter")
                params.append(Param(ref.value.value, True, connector, ref.name))
            else:
                params.append(Param(self.take().value, False, connector))

    def _is_param(self, t: Tok) -> bool:
        if t.kind == "string" or (t.kind == "punct" and t.value == "$"):
            return True
        return t.kind == "ident" and t.value not in _RESERVED

    def rule(self) -> Rule:
        start = self.tok
        name = self.expect("ident", what="a rule type").value
        params = self._params()
        spec = RULE_TYPES.get(name)
        if name in ANALYZER_ONLY:
            raise DQDLError(f"DQDL: Analyzer Type: {name} is not supported in rules section")
        if spec is None or (spec.params is not None and len(params) not in spec.params):
            hint = ""
            if spec is not None:
                counts = " or ".join(str(n) for n in spec.params)
                hint = f" with {len(params)} parameter(s); it takes {counts}"
            raise DQDLError(f"DQDL: Rule Type: {name} is not valid{hint} (offset {start.pos})")
        if spec.params is None and not params:
            raise DQDLError(f"DQDL: Rule Type: {name} needs at least one column name")
        rule = Rule(name, params, default_labels=self.default_labels)
        if name == "FileMatch" and len(params) == 2:  # two paths compare: no condition
            spec = dataclasses.replace(spec, conditions=())
        if not spec.conditions and self._at_condition():
            raise DQDLError(f"DQDL: Rule Type: {name} takes no condition (offset {self.tok.pos})")
        if spec.conditions and self._at_condition():
            rule.condition = self._condition(spec.conditions, name)
        elif spec.conditions and not (spec.condition_optional and name != "FileMatch"):
            raise DQDLError(
                f"DQDL: Error while parsing condition for rule with rule type: {name} "
                f"(offset {self.tok.pos}); write e.g. '{name} ... > 0'"
            )
        self._clauses(rule)
        return rule

    def _clauses(self, rule: Rule) -> None:
        name, spec = rule.rule_type, rule.spec
        while True:
            if self.word("where") and rule.where is None:
                self.take()
                if not spec.where:
                    raise DQDLError(f"DQDL: Where clause is not supported for rule type: {name}")
                where = self.expect("string", what="a quoted Spark SQL condition").value
                if not where[1:-1].strip():
                    raise DQDLError(f"DQDL: Empty where condition provided for rule type: {name}")
                rule.where = where[1:-1]
            elif self.word("labels") and not rule.labels:
                rule.labels = self._labels()
            elif self.word("with"):
                self.take()
                tag = self.expect("ident", what="a tag name such as threshold").value
                if tag.lower() == "threshold":
                    if not spec.threshold:
                        raise DQDLError(
                            f"DQDL: Threshold condition not supported for rule type: {name}"
                        )
                    if rule.threshold is not None:
                        raise DQDLError(
                            "DQDL: Only one threshold condition at a time is supported."
                        )
                    rule.threshold = self._condition(("number",), name)
                else:
                    self.expect("op", "=", what=f"'with {tag} = value'")
                    if self.tok.kind not in ("string", "number"):
                        raise DQDLError(f"DQDL: tag {tag} needs a quoted string or a number")
                    rule.tags[tag] = self.take().value
            elif self._at_condition() and rule.condition is not None:
                raise DQDLError(f"DQDL: rule {name} has two conditions (offset {self.tok.pos})")
            else:
                return

    def _at_condition(self) -> bool:
        t = self.tok
        return t.kind == "op" or self.word("between", "not", "in", "matches")

    # ------------------------------------------------------------------ conditions
    def _condition(self, kinds: tuple[str, ...], rule_type: str) -> Condition:
        start, errors = self.i, []
        for kind in kinds:
            self.i = start
            try:
                return getattr(self, f"_{kind}_condition")()
            except (_Backtrack, DQDLError) as e:
                errors.append(str(e).removeprefix("DQDL: "))
        self.i = start
        detail = f": {errors[0]}" if errors else ""
        raise DQDLError(
            f"DQDL: Error while parsing condition for rule with rule type: {rule_type} "
            f"(offset {self.tok.pos}){detail}"
        )

    def _operator(self, allow_matches: bool = False, ordered: bool = True) -> str:
        """The operator of a condition: >, >=, <, <=, =, !=, between, in, matches (+ not)."""
        negate = False
        if self.word("not"):
            self.take()
            negate = True
        if self.word("between") and ordered:
            self.take()
            return "not between" if negate else "between"
        if self.word("in"):
            self.take()
            return "not in" if negate else "in"
        if self.word("matches") and allow_matches:
            self.take()
            return "not matches" if negate else "matches"
        if negate:
            self.fail("'not' must be followed by between, in or matches")
        if self.at("op", "!") and self.at("op", "=", tok=self.peek()):
            self.i += 2
            return "!="
        if self.at("op", "=", "!="):
            return self.take().value
        if self.at("op", *_COMPARISONS) and ordered:
            return self.take().value
        self.fail(f"unexpected {self.tok.value!r}")

    def _condition_of(self, kind: str, operand, allow_matches=False, ordered=True) -> Condition:
        op = self._operator(allow_matches, ordered)
        if op in ("between", "not between"):
            low = operand()
            if not self.word("and", "AND"):
                self.fail("'between' needs 'and'")
            self.take()
            return Condition(kind, op, [low, operand()])
        if op in ("in", "not in"):
            if kind == "string" and self.at("punct", "$"):
                ref = self._deref()
                if not isinstance(ref.value, list):
                    self.fail(f"'{op} ${ref.name}' needs a list variable")
                return Condition(kind, op, [ref])
            if not self.at("punct", "[") or self.at("punct", "]", tok=self.peek()):
                self.fail(f"'{op}' needs a non-empty [list]")
            return Condition(kind, op, self._list(operand))
        if op in ("matches", "not matches"):
            if not self.at("string"):
                self.fail("'matches' needs a quoted regular expression")
            raw = self.take().value
            return Condition(kind, op, [Str(_unquote(raw), raw[1:-1])])
        return Condition(kind, op, [operand()])

    def _number_condition(self) -> Condition:
        return self._condition_of("number", self._number)

    def _string_condition(self) -> Condition:
        return self._condition_of("string", self._string_value, allow_matches=True, ordered=False)

    def _date_condition(self) -> Condition:
        return self._condition_of("date", self._date)

    def _duration_condition(self) -> Condition:
        return self._condition_of("duration", self._duration)

    def _size_condition(self) -> Condition:
        return self._condition_of("size", self._size)

    # ------------------------------------------------------------------ operands
    def _number(self):
        """number: number op number (left to right, one precedence) | call | (number) | atom."""
        left = self._number_primary()
        while self.at("punct", "+", "-", "*", "/") and self._starts_number(self.peek()):
            op = self.take().value
            left = BinOp(op, left, self._number_primary())
        return left

    def _starts_number(self, t: Tok) -> bool:
        return t.kind in ("number", "ident") or (t.kind == "punct" and t.value in "(-")

    def _number_primary(self):
        if self.at("punct", "("):
            self.take()
            inner = self._number()
            self.expect("punct", ")")
            return _parenthesized(inner)
        if self.at("punct", "-") and self.at("number", tok=self.peek()):
            self.take()
            return Num("-" + self.take().value)
        if self.at("number"):
            return Num(self.take().value)
        if self.word("null", "NULL"):
            self.take()
            return Keyword("NULL")
        if self.at("ident") and self.at("punct", "(", tok=self.peek()):
            name = self.take().value
            self.take()
            args = []
            if not self.at("punct", ")"):
                args.append(self._number())
                while self.at("punct", ","):
                    self.take()
                    args.append(self._number())
            self.expect("punct", ")")
            return Call(name, tuple(args))
        if self.at("punct", "$"):
            self.fail("variables hold strings; a number condition cannot use one")
        self.fail(f"expected a number, found {self.tok.value!r}")

    def _string_value(self):
        if self.at("string"):
            raw = self.take().value
            return Str(_unquote(raw), raw[1:-1])
        if self.at("punct", "$"):
            ref = self._deref()
            if isinstance(ref.value, list):
                self.fail(f"'${ref.name}' is a list; use 'in ${ref.name}'")
            return ref
        if self.at("ident") and self.tok.value in ("null", "NULL", "empty", "EMPTY") + (
            "whitespaces_only",
            "WHITESPACES_ONLY",
        ):
            return Keyword(self.take().value.upper())
        self.fail(f"expected a quoted string, found {self.tok.value!r}")

    def _date(self) -> DateExpr:
        if self.word("null", "NULL"):
            self.take()
            return DateExpr("null", "NULL")
        if self.word("now") and self.at("punct", "(", tok=self.peek()):
            self.i += 1
            self.expect("punct", "(")
            self.expect("punct", ")")
            return DateExpr("now")
        if self.at("punct", "(") and self.word("now", tok=self.peek()):
            self.i += 2
            self.expect("punct", "(")
            self.expect("punct", ")")
            if not self.at("punct", "+", "-"):
                self.fail("write (now() - 3 days) or (now() + 2 hours)")
            op = self.take().value
            duration = self._duration()
            self.expect("punct", ")")
            return DateExpr("now", op=op, duration=duration)
        if self.at("string"):
            raw = self.tok.value[1:-1]
            for kind, pattern in (("date", _DATE), ("time", _TIME), ("time", _MIL_TIME)):
                if pattern.fullmatch(raw):
                    self.take()
                    return DateExpr(kind, raw)
        self.fail(f'expected a date such as "2024-01-31" or now(), found {self.tok.value!r}')

    def _duration(self) -> Duration:
        return Duration(*self._amount(DURATION_UNITS, "a duration such as 24 hours"))

    def _size(self) -> Size:
        return Size(*self._amount(SIZE_UNITS, "a size such as 10 MB"))

    def _amount(self, units: tuple[str, ...], example: str) -> tuple[int, str]:
        """A whole number and its unit: 24 hours, 10 MB."""
        if not (self.at("number") and "." not in self.tok.value):
            self.fail(f"expected {example}, found {self.tok.value!r}")
        amount = int(self.take().value)
        if not self.word(*units):
            self.fail(f"{example} needs a unit: {', '.join(units)}")
        return amount, self.take().value


def _parenthesized(operand):
    if isinstance(operand, (Num, BinOp, Call)):
        return type(operand)(**{**operand.__dict__, "paren": True})
    return operand


def parse(text: str) -> list:
    """Parse a DQDL document into top-level Rule/Composite objects."""
    return _Parser(text).document()
