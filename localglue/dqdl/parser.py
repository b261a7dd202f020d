"""DQDL text -> rules: a lexer and a recursive-descent parser after AWS's grammar
(awslabs/dqdl, DataQualityDefinitionLanguage.g4)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from localglue.dqdl.model import (
    KEYWORDS,
    SUPPORTED,
    Composite,
    Condition,
    DQDLError,
    Keyword,
    Rule,
)

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
