"""The DQDL reference's rule types beyond the first eleven, each checked against an
independent DuckDB computation over the same rows, and the reference's own examples
(null behaviour, the [a, a, b] ratio, "80.00 % of rows passed the threshold")."""

from __future__ import annotations

import math
import re
from datetime import datetime

import pytest

from localglue import dqdl
from tests.dqdl_frames import duck_tables
from tests.dqdl_frames import spark_frame as frame

NOW = datetime(2024, 1, 4, 12, 0)
COLUMNS = (
    "id bigint, units bigint, score double, name string, country string, d date, code_text string"
)
ROWS = [
    (1, 0, 2.5, "ann", "US", "2024-01-01", "12"),
    (2, None, 3.5, "bob", "CA", "2024-01-02", "x1"),
    (3, 20, 1.0, None, "US", "2024-01-03", "7"),
    (4, None, 4.0, "dan", "UK", None, None),
    (5, 40, 5.5, "evelyn", "US", "2024-01-05", "3.5"),
]
VALUE = re.compile(r"^Value: (\S+) does not meet the constraint requirement!$")


@pytest.fixture(scope="module")
def people(spark):
    return frame(spark, ROWS, COLUMNS)


@pytest.fixture(scope="module")
def duck():
    return duck_tables(t=(ROWS, COLUMNS))


def outcomes(df, rules: list[str], **kwargs) -> list[dqdl.Outcome]:
    return dqdl.evaluate(df, "Rules = [ " + ", ".join(rules) + " ]", now=NOW, **kwargs)


def reported(outcome: dqdl.Outcome) -> float:
    return float(VALUE.match(outcome.failure_reason).group(1))


# --------------------------------------------------------------------------- statistics
ENTROPY = """select -sum(p * ln(p)) from (select count(*) * 1.0 / (select count(country) from t) p
              from t where country is not null group by country)"""
UNIQUE_RATIO = """select count(*) filter (where n = 1) * 1.0 / count(*)
                  from (select country, count(*) n from t where country is not null group by country)"""


@pytest.mark.parametrize(
    ("rule", "metric", "sql"),
    [
        ('Mean "units"', "Column.units.Mean", "select avg(units) from t"),
        ('Sum "units"', "Column.units.Sum", "select sum(units) from t"),
        ('StandardDeviation "units"', "Column.units.StandardDeviation", "select stddev_pop(units) from t"),
        ('Variance "score"', "Column.score.Variance", "select var_pop(score) from t"),
        ('Entropy "country"', "Column.country.Entropy", ENTROPY),
        ('UniqueValueRatio "country"', "Column.country.UniqueValueRatio", UNIQUE_RATIO),
        ('DistinctValuesCount "country"', "Column.country.DistinctValuesCount", "select count(distinct country) from t"),
        ('ColumnCorrelation "id" "score"', "Multicolumn.id,score.ColumnCorrelation", "select corr(id, score) from t"),
        ('Mean "score" where "id > 2"', "Column.score.Mean", "select avg(score) from t where id > 2"),
    ],
)  # fmt: skip
def test_statistic_equals_an_independent_duckdb_computation(people, duck, rule, metric, sql):
    expected = duck.execute(sql).fetchone()[0]
    rule_type_and_column, _, where = rule.partition(" where ")
    suffix = f" where {where}" if where else ""
    low, high = expected - 1e-6, expected + 1e-6
    inside, above = outcomes(
        people,
        [
            f"{rule_type_and_column} between {low} and {high}{suffix}",
            f"{rule_type_and_column} > {high}{suffix}",
        ],
    )
    assert inside.outcome == "Passed", inside
    assert math.isclose(inside.metrics[metric], expected, rel_tol=1e-9)
    assert above.outcome == "Failed"
    assert math.isclose(reported(above), expected, rel_tol=1e-9)


def test_mean_and_standard_deviation_ignore_nulls_as_the_reference_documents(spark):
    """The reference: units 0, NULL, 20, NULL, 40 have mean 20 and standard deviation 16.33;
    0, 0, 20, 0, 40 have standard deviation 16 (the population one)."""
    rows = [(100, 0, 0), (101, None, 0), (102, 20, 20), (103, None, 0), (104, 40, 40)]
    df = frame(spark, rows, "id bigint, units1 bigint, units2 bigint")
    mean, std1, std2, corr = outcomes(
        df,
        [
            'Mean "units1" = 20',
            'StandardDeviation "units1" between 16.32 and 16.34',
            'StandardDeviation "units2" = 16',
            'ColumnCorrelation "id" "units1" = 1.0',  # rows 101 and 103 are ignored
        ],
    )
    assert [o.outcome for o in (mean, std1, std2, corr)] == ["Passed"] * 4
    assert round(std1.metrics["Column.units1.StandardDeviation"], 2) == 16.33


def test_unique_value_ratio_of_a_a_b_is_one_half(spark):
    df = frame(spark, [("a",), ("a",), ("b",)], "v string")
    [outcome] = outcomes(df, ['UniqueValueRatio "v" = 0.5'])
    assert (outcome.outcome, outcome.metrics) == ("Passed", {"Column.v.UniqueValueRatio": 0.5})


def test_statistics_of_a_string_column_fail_naming_the_type(people):
    [outcome] = outcomes(people, ['Mean "name" > 0'])
    assert outcome.outcome == "Failed"
    assert outcome.failure_reason.startswith("Expected type of column name to be one of (")
    assert outcome.failure_reason.endswith("but found StringType instead!")


# --------------------------------------------------------------------------- row by row
def failing_ids(df, rule: str, **kwargs) -> set[int]:
    _, _, rows = dqdl.evaluate_with_rows(df, f"Rules = [ {rule} ]", now=NOW, **kwargs)
    return {r["id"] for r in rows.collect() if r["DataQualityRulesFail"]}


@pytest.mark.parametrize(
    ("rule", "passes_sql"),
    [
        # ColumnLength treats NULL as a string of length 0.
        ('ColumnLength "name" > 4', "coalesce(length(name), 0) > 4"),
        ('ColumnLength "name" < 6', "coalesce(length(name), 0) < 6"),
        ('ColumnLength "name" between 2 and 4', "coalesce(length(name), 0) > 2 and coalesce(length(name), 0) < 4"),
        ('ColumnValues "d" > (now() - 3 days)', "d > timestamp '2024-01-01 12:00:00'"),
        ('ColumnValues "d" between "2024-01-01" and "2024-01-05"', "d > date '2024-01-01' and d < date '2024-01-05'"),
        ('ColumnValues "d" in [NULL, "2024-01-01"]', "d is null or d = date '2024-01-01'"),
        ('ColumnDataType "code_text" = "INTEGER" with threshold > 0.5', "try_cast(code_text as integer) is not null"),
        ('DataFreshness "d" <= 48 hours', "(epoch(timestamp '2024-01-04 12:00:00') - epoch(d::timestamp)) / 3600 <= 48"),
    ],
)  # fmt: skip
def test_row_level_rule_fails_the_rows_duckdb_finds(people, duck, rule, passes_sql):
    expected = {
        i
        for (i,) in duck.execute(
            f"select id from t where not coalesce({passes_sql}, false)"
        ).fetchall()
    }
    assert failing_ids(people, rule) == expected


def test_column_length_reports_the_offending_length_and_the_extremes(people, duck):
    [outcome] = outcomes(people, ['ColumnLength "name" > 4'])
    lo, hi = duck.execute(
        "select min(coalesce(length(name), 0)), max(coalesce(length(name), 0)) from t"
    ).fetchone()
    assert outcome.metrics == {"Column.name.MinimumLength": lo, "Column.name.MaximumLength": hi}
    assert outcome.failure_reason == "Value: 0.0 does not meet the constraint requirement!"


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        # The reference's null behaviour: a NULL date fails; 4 of 5 rows pass.
        ('DataFreshness "d" <= 100 hours', "80.00 % of rows passed the threshold"),
        ('ColumnDataType "code_text" = "INTEGER"', "60.00 % of rows passed the threshold"),
    ],
)
def test_share_of_passing_rows_is_the_failure_reason(people, rule, reason):
    [outcome] = outcomes(people, [rule])
    assert (outcome.outcome, outcome.failure_reason) == ("Failed", reason)


@pytest.mark.parametrize(
    ("pattern", "passed", "ratio", "reason"),
    [
        ("^[a-z_]+$", True, 1.0, None),
        ("^[a-z]+$", False, 6 / 7, "Columns that do not match the pattern: code_text"),
    ],
)
def test_column_names_match_pattern(people, pattern, passed, ratio, reason):
    [outcome] = outcomes(people, [f'ColumnNamesMatchPattern "{pattern}"'])
    assert (outcome.passed, outcome.failure_reason) == (passed, reason)
    assert outcome.metrics == {"Dataset.*.ColumnNamesPatternMatchRatio": ratio}


# --------------------------------------------------------------------------- composites
@pytest.fixture(scope="module")
def two_columns(spark):
    return frame(spark, [(2, 1), (0, 3)], "myCol1 bigint, myCol2 bigint")


COMPOSITE = '(ColumnValues "myCol1" > 1) OR (ColumnValues "myCol2" > 2)'


@pytest.mark.parametrize(("method", "outcome"), [("COLUMN", "Failed"), ("ROW", "Passed")])
def test_composite_rules_combine_whole_columns_unless_evaluated_by_row(
    two_columns, method, outcome
):
    """The reference's example: each column fails on its own, every row passes one of them."""
    options = {"compositeRuleEvaluation.method": method}
    [result] = outcomes(two_columns, [COMPOSITE], options=options)
    assert (result.rule, result.outcome) == (COMPOSITE, outcome)


def test_row_composites_refuse_rules_that_rest_on_a_ratio(two_columns):
    rule = '(Completeness "myCol1" > 0.5) OR (ColumnValues "myCol2" > 2)'
    with pytest.raises(dqdl.DQDLError, match="cannot be combined row by row"):
        outcomes(two_columns, [rule], options={"compositeRuleEvaluation.method": "ROW"})


def test_failure_reasons_of_a_composite_are_one_per_line(two_columns):
    [result] = outcomes(
        two_columns, ['(ColumnValues "myCol1" > 1) AND (ColumnValues "myCol2" > 3)']
    )
    assert result.failure_reason.splitlines() == [
        "Value: 0.0 does not meet the constraint requirement!",
        "Value: 1.0 does not meet the constraint requirement!",
    ]


# --------------------------------------------------------------------------- where clauses
ATT_ROWS = [
    (1, "a", "f"),
    (2, "b", "d"),
    (3, "a", None),
    (4, "a", "f"),
    (5, "b", None),
    (6, "a", "f"),
]


@pytest.mark.parametrize(
    ("label", "skipped"), [("PASSED", set()), ("SKIPPED", {2, 5})], ids=["default", "skipped"]
)
def test_rows_a_where_clause_filters_out_pass_or_are_skipped(spark, label, skipped):
    """The reference's table: rows 2 and 5 are filtered out; row 3 fails."""
    df = frame(spark, ATT_ROWS, "id bigint, att1 string, att2 string")
    options = {"rowLevelConfiguration.filteredRowLabel": label}
    _, _, rows = dqdl.evaluate_with_rows(
        df, 'Rules = [ IsComplete "att2" where "att1 = \'a\'" ]', options=options
    )
    result = {
        r["id"]: (bool(r["DataQualityRulesPass"]), bool(r["DataQualityRulesSkip"]))
        for r in rows.collect()
    }
    assert {i for i, (_, skip) in result.items() if skip} == skipped
    assert {i for i, (passed, skip) in result.items() if not passed and not skip} == {3}


def test_an_invalid_where_clause_fails_the_evaluation_with_glues_message(people):
    with pytest.raises(
        dqdl.DQDLError,
        match=r'^Rule RowCount > 0 where "nope > 1" has provided an invalid where clause :\n',
    ):
        outcomes(people, ['RowCount > 0 where "nope > 1"'])


# --------------------------------------------------------------------------- labels, variables
def test_labels_show_in_rule_outcomes_with_default_labels_overridden(people):
    ruleset = """
        DefaultLabels = ["frequency"="monthly"]
        Rules = [
            RowCount > 0,
            ColumnCount > 0 labels=["foo"="bar", "frequency"="daily"]
        ]
    """
    evaluation = dqdl.Evaluation(people, ruleset)
    rows = evaluation.rules_frame().collect()
    assert [(r["Rule"], r["Labels"]) for r in rows] == [
        ("RowCount > 0", {"frequency": "monthly"}),
        (
            'ColumnCount > 0 labels=["foo"="bar", "frequency"="daily"]',
            {"frequency": "daily", "foo": "bar"},
        ),
    ]


def test_constants_stand_for_their_strings_and_print_as_references(people):
    ruleset = """
        mySql = "select count(*) from primary"
        countries = ["US", "CA", "UK"]
        Rules = [ CustomSql $mySql between 0 and 100, ColumnValues "country" in $countries ]
    """
    result = dqdl.evaluate(people, ruleset)
    assert [(o.rule, o.outcome) for o in result] == [
        ("CustomSql $mySql between 0 and 100", "Passed"),
        ('ColumnValues "country" in $countries', "Passed"),
    ]
