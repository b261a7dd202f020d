"""DQDL text as Glue's parser reads it: the canonical rule text of the outcomes, the
grammar's corners, and Glue's parse errors. No Spark needed."""

from __future__ import annotations

import pytest

from localglue import dqdl
from localglue.dqdl.model import RULE_TYPES


def text_of(rule: str) -> str:
    [parsed] = dqdl.parse(f"Rules = [ {rule} ]")
    return parsed.text()


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        # Numbers keep the digits they were written with.
        ("SchemaMatch   \"ref\"   =   1.0", 'SchemaMatch "ref" = 1.0'),
        ("RowCount between -10 and 10", "RowCount between -10 and 10"),
        # Composites print AND/OR; a chain of one operator prints flat.
        ('(IsComplete "a") and (IsUnique "a")', '(IsComplete "a") AND (IsUnique "a")'),
        ('(RowCount > 0) or ((IsComplete "a") and (IsUnique "a"))',
         '(RowCount > 0) OR ((IsComplete "a") AND (IsUnique "a"))'),
        ('((RowCount > 0) and (IsComplete "a")) and (IsUnique "a")',
         '(RowCount > 0) AND (IsComplete "a") AND (IsUnique "a")'),
        # Connector words and unquoted names are kept; where comes before the threshold.
        ("Completeness of col_1 between 0.5 and 0.8", "Completeness of col_1 between 0.5 and 0.8"),
        ('ColumnCorrelation of a and "b c" > 0.4', 'ColumnCorrelation of a and "b c" > 0.4'),
        ('ColumnValues "c" in ["A","B"] where "d > 1" with threshold > 0.9',
         'ColumnValues "c" in ["A","B"] where "d > 1" with threshold > 0.9'),
        # Dynamic operands and dates print as Glue prints them.
        ("RowCount > avg(last(10)) *0.8", "RowCount > avg(last(10)) * 0.8"),
        ("RowCount between (0.9 * avg(last(10))) and 1.1 * avg(last(10))",
         "RowCount between (0.9 * avg(last(10))) and 1.1 * avg(last(10))"),
        ('ColumnValues "d" > (now()   -  3 days)', 'ColumnValues "d" > (now() - 3 days)'),
        ('ColumnValues "d" between "2022-05-31" and "2022-06-30"',
         'ColumnValues "d" between "2022-05-31" and "2022-06-30"'),
        ("DataFreshness \"d\" between 2 days and 5 days", 'DataFreshness "d" between 2 days and 5 days'),
        ('FileSize "s3://b/k" > 1 MB with recentFiles = 1', 'FileSize "s3://b/k" > 1 MB with recentFiles = 1'),
    ],
)  # fmt: skip
def test_rule_text_is_glues_canonical_form(written, canonical):
    assert text_of(written) == canonical


@pytest.mark.parametrize(
    ("rule", "kind"),
    [
        # ColumnValues tries string, then number, then date conditions, as Glue does.
        ('ColumnValues "d" = "2022-06-30"', "string"),
        ('ColumnValues "d" > "2022-06-30"', "date"),
        ('ColumnValues "n" in [1, 2]', "number"),
        ('ColumnValues "s" in [NULL, "2023-01-01"]', "string"),
        ('ColumnValues "d" not between now() and (now() + 4 days)', "date"),
    ],
)
def test_a_condition_takes_the_first_kind_that_parses(rule, kind):
    [parsed] = dqdl.parse(f"Rules = [ {rule} ]")
    assert parsed.condition.kind == kind


def test_arithmetic_in_a_condition_has_one_precedence_as_in_glues_grammar():
    """`number: number numberOp number` in the grammar: left to right, no precedence."""
    from localglue.dqdl.values import Operands

    [parsed] = dqdl.parse("Rules = [ RowCount = 2 + 2 * 3 - 1 ]")
    assert Operands().scalar(parsed.condition.operands[0]) == 11.0  # ((2 + 2) * 3) - 1


@pytest.mark.parametrize(
    ("ruleset", "message"),
    [
        ("Rules = [ Nonsense > 1 ]", "Rule Type: Nonsense is not valid"),
        ('Rules = [ ColumnCorrelation "a" > 0.5 ]', "Rule Type: ColumnCorrelation is not valid"),
        ('Rules = [ ColumnCount > 1 where "a > 1" ]', "Where clause is not supported for rule type: ColumnCount"),
        ('Rules = [ RowCount > 1 where "" ]', "Empty where condition provided for rule type: RowCount"),
        ('Rules = [ Mean "a" > 1 with threshold > 0.5 ]', "Threshold condition not supported for rule type: Mean"),
        ('Rules = [ AllStatistics "a" ]', "Analyzer Type: AllStatistics is not supported in rules section"),
        ('Rules = [ Completeness "a" ]', "Error while parsing condition for rule with rule type: Completeness"),
        ('Rules = [ IsComplete "a" > 0.5 ]', "IsComplete takes no condition"),
        ('Rules = [ DataFreshness "d" <= 3 ]', "rule type: DataFreshness"),
        ('Rules = [ ColumnValues "d" = (now() - 3 weeks) ]', "rule type: ColumnValues"),
        ('Rules = [ ColumnValues "a" in [1, "2"] ]', "rule type: ColumnValues"),
        ('Rules = [ IsComplete "a" and (IsUnique "a") ]', "must each be in parentheses"),
        # As in Glue's grammar, `and NAME` reads as one more parameter of the rule.
        ('Rules = [ IsComplete "a" and IsUnique "a" ]', "Rule Type: IsComplete is not valid"),
        ("Rules = [ ]", "No rules or analyzers provided"),
        ("min_count = 100\nRules = [ RowCount > $min_count ]", "quoted string"),
        ('_x = "a"\nRules = [ CustomSql $_x ]', "cannot start with '.' or '_'"),
        ('a = "x"\na = "y"\nRules = [ RowCount > 0 ]', "Variable 'a' is already defined"),
        ("Rules = [ RowCount > 0 ] Analyzers = [ IsComplete \"a\" ]", "Analyzer Type: IsComplete is not valid"),
    ],
)  # fmt: skip
def test_invalid_rulesets_fail_with_glues_parser_message(ruleset, message):
    with pytest.raises(dqdl.DQDLError, match=message.replace("(", r"\(").replace("$", r"\$")):
        dqdl.parse(ruleset)


@pytest.mark.parametrize(
    "rule",
    [
        'DetectAnomalies "RowCount"',
        'FileUniqueness "s3://bucket/" > 0.5',
        'FileMatch "s3://bucket/a" "s3://bucket/b"',
        'FileMatch "s3://bucket/a" in ["5d41402abc4b2a76b9719d911017c592"]',
    ],
)
def test_rule_types_not_reproduced_locally_parse_but_refuse_to_run(rule):
    dqdl.parse(f"Rules = [ {rule} ]")
    # Refused before anything is evaluated: no frame is even looked at.
    with pytest.raises(dqdl.DQDLError, match="is not reproduced locally"):
        dqdl.evaluate(None, f"Rules = [ RowCount > 0, {rule} ]")


def test_every_rule_type_of_the_reference_is_known():
    """The rule types of the DQDL reference and of AWS's rules-config.json."""
    assert set(RULE_TYPES) == {
        "AggregateMatch", "ColumnCorrelation", "ColumnCount", "ColumnDataType", "ColumnExists",
        "ColumnLength", "ColumnNamesMatchPattern", "ColumnValues", "Completeness", "CustomSql",
        "DataFreshness", "DatasetMatch", "DistinctValuesCount", "Entropy", "IsComplete",
        "IsPrimaryKey", "IsUnique", "Mean", "ReferentialIntegrity", "RowCount", "RowCountMatch",
        "StandardDeviation", "Sum", "SchemaMatch", "Uniqueness", "UniqueValueRatio", "Variance",
        "DetectAnomalies", "FileFreshness", "FileMatch", "FileUniqueness", "FileSize",
    }  # fmt: skip
