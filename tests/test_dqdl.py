"""DQDL rules evaluate as the DQDL reference documents them (rule types, exclusive `between`,
NULL behaviour of ColumnValues, thresholds, where clauses, composites, CustomSql `primary`)."""

import pytest

from localglue import dqdl
from localglue.errors import LakehouseError

ROWS = [
    (1, "ann", 30, "US"),
    (2, "bob", 17, "CA"),
    (3, None, 45, "UK"),
    (4, "dan", None, "US"),
]


def _sql_literal(v) -> str:
    return "null" if v is None else repr(v)


@pytest.fixture(scope="module")
def people(spark):
    # A VALUES relation stays in the JVM: no Python worker per Spark job, so the many
    # rule evaluations below stay quick.
    values = ", ".join("(" + ", ".join(_sql_literal(v) for v in row) + ")" for row in ROWS)
    return spark.sql(
        f"select cast(id as bigint) id, cast(name as string) name, cast(age as bigint) age, "
        f"cast(country as string) country from values {values} as t(id, name, age, country)"
    )


def outcome_of(df, rule: str) -> dqdl.Outcome:
    [outcome] = dqdl.evaluate(df, f"Rules = [ {rule} ]")
    return outcome


@pytest.mark.parametrize(
    ("rule", "passes"),
    [
        ("RowCount = 4", True),
        ("RowCount > 4", False),
        # DQDL `between` is exclusive on both ends.
        ("RowCount between 3 and 5", True),
        ("RowCount between 4 and 5", False),
        ("RowCount not between 4 and 5", True),
        ("ColumnCount = 4", True),
        ("ColumnCount > 4", False),
        ('ColumnExists "age"', True),
        ('ColumnExists "zip"', False),
        ('IsComplete "id"', True),
        ('IsComplete "name"', False),
        ('Completeness "name" >= 0.75', True),
        ('Completeness "name" > 0.75', False),
        ('IsUnique "id"', True),
        ('IsUnique "country"', False),
        ('IsPrimaryKey "id"', True),
        ('IsPrimaryKey "name"', False),
        ('IsPrimaryKey "country" "id"', True),
        ('DistinctValuesCount "country" = 3', True),
        ('DistinctValuesCount "country" > 3', False),
        # Uniqueness: share of rows whose value occurs exactly once (CA, UK of 4 rows).
        ('Uniqueness "country" = 0.5', True),
        ('Uniqueness "country" > 0.5', False),
        ('ColumnValues "country" in ["US","CA","UK"]', True),
        ('ColumnValues "country" in ["US", "CA"]', False),
        ('ColumnValues "id" between 0 and 5', True),
        ('ColumnValues "id" between 1 and 4', False),
        ('ColumnValues "id" > 0', True),
        ('ColumnValues "id" >= 2', False),
        ('ColumnValues "id" <= 4', True),
        ('ColumnValues "id" < 4', False),
        # NULL rows fail ColumnValues except for != and not in.
        ('ColumnValues "age" > 0', False),
        ('ColumnValues "age" != 99', True),
        ('ColumnValues "age" not in [99, 100]', True),
        ('ColumnValues "age" != 17', False),
        ('ColumnValues "name" in ["ann", "bob", "dan", NULL]', True),
        ('ColumnValues "age" = NULL', False),
        ('ColumnValues "country" matches "[A-Z]{2}"', True),
        ('ColumnValues "name" matches "[a-z]+"', False),
        ('ColumnValues "country" in ["US","CA"] with threshold > 0.7', True),
        ('ColumnValues "country" in ["US","CA"] with threshold > 0.8', False),
        ('RowCount > 1 where "age > 20"', True),
        ('RowCount > 2 where "age > 20"', False),
        ('CustomSql "select count(*) from primary" = 4', True),
        ('CustomSql "select count(*) from primary where age < 18" = 0', False),
        # Row-level CustomSql: the rows it returns pass, the others fail.
        ('CustomSql "select id from primary"', True),
        ('CustomSql "select id from primary where age >= 18"', False),
        ('CustomSql "select id from primary where age >= 18" with threshold >= 0.5', True),
        ('(IsComplete "id") and (IsUnique "id")', True),
        ('(IsComplete "id") and (IsComplete "name")', False),
        ('(IsComplete "name") or (RowCount = 4)', True),
        ('(IsComplete "name") or ((RowCount = 3) and (IsUnique "id"))', False),
    ],
)
def test_rule_outcome(people, rule, passes):
    outcome = outcome_of(people, rule)
    assert outcome.outcome == ("Passed" if passes else "Failed"), outcome
    assert (outcome.failure_reason is None) == passes


@pytest.mark.parametrize(
    ("rule", "text", "metrics", "reason"),
    [
        (
            'IsComplete "name"',
            'IsComplete "name"',
            {"Column.name.Completeness": 0.75},
            "Value: 0.75 does not meet the constraint requirement!",
        ),
        (
            'ColumnValues "id" > 1',
            'ColumnValues "id" > 1',
            {"Column.id.Minimum": 1.0, "Column.id.Maximum": 4.0},
            "Value: 1.0 does not meet the constraint requirement!",
        ),
        (
            'ColumnValues "age" > 1',
            'ColumnValues "age" > 1',
            {"Column.age.Minimum": 17.0, "Column.age.Maximum": 45.0},
            "Value: NULL does not meet the constraint requirement!",
        ),
        ("RowCount  >   0", "RowCount > 0", {"Dataset.*.RowCount": 4.0}, None),
        ("ColumnCount > 0", "ColumnCount > 0", {"Dataset.*.ColumnCount": 4.0}, None),
        (
            'ColumnValues "country"   in  [ "US" , "CA" ]',
            'ColumnValues "country" in ["US","CA"]',
            {"Column.country.ColumnValues.Compliance": 0.75},
            "Value: 0.75 does not meet the constraint requirement!",
        ),
        (
            '(IsComplete "id")  and  (IsUnique "id")',
            '(IsComplete "id") AND (IsUnique "id")',
            {"Column.id.Completeness": 1.0, "Column.id.Uniqueness": 1.0},
            None,
        ),
    ],
)
def test_outcome_text_metrics_and_reason_follow_glue(people, rule, text, metrics, reason):
    outcome = outcome_of(people, rule)
    assert outcome.rule == text
    assert outcome.metrics == metrics
    assert outcome.failure_reason == reason


@pytest.mark.parametrize(
    ("rule", "match"),
    [
        ('Nonsense "age" > 3', "Rule Type: Nonsense is not valid"),
        ('DetectAnomalies "RowCount"', "DetectAnomalies is not reproduced locally"),
    ],
)
def test_unknown_or_unreproduced_rule_type_is_an_error_never_a_silent_pass(people, rule, match):
    with pytest.raises(LakehouseError, match=match):
        dqdl.evaluate(people, f"Rules = [ RowCount > 0, {rule} ]")


@pytest.mark.parametrize(
    ("ruleset", "match"),
    [
        ("Rules = [ RowCount > ]", "expected a number"),
        ('IsComplete "id"', "Rules"),
        ("Rules = [ RowCount between 1 5 ]", "'between' needs 'and'"),
        ("Rules = [ RowCount > avg(last(3)) ]", "dynamic rules"),
        ('Rules = [ ColumnValues "d" > (now() - 3 weeks) ]', "ColumnValues"),
        ('Rules = [ IsComplete "id" ', "expected ',' or ']'"),
    ],
)
def test_malformed_or_unsupported_rulesets_are_clear_errors(people, ruleset, match):
    with pytest.raises(LakehouseError, match=match):
        dqdl.evaluate(people, ruleset)


def test_glue_studio_default_ruleset_passes(people):
    """Glue Studio writes DEFAULT_DATA_QUALITY_RULESET into every visual job."""
    default = """
    Rules = [
        ColumnCount > 0
    ]
"""
    [outcome] = dqdl.evaluate(people, default)
    assert (outcome.rule, outcome.outcome) == ("ColumnCount > 0", "Passed")


def test_comments_metadata_labels_and_analyzers_are_accepted(people):
    ruleset = """
    # checked by the grader
    Metadata = { "Version": "1.0" }
    Rules = [
        RowCount > 0 labels=["team"="stedi"],   # trailing comment
        IsComplete "id"
    ]
    Analyzers = [ Completeness "name" ]
    """
    assert [o.outcome for o in dqdl.evaluate(people, ruleset)] == ["Passed", "Passed"]


def test_missing_column_fails_the_rule_with_a_reason(people):
    outcome = outcome_of(people, 'IsComplete "zip"')
    assert outcome.outcome == "Failed"
    assert "zip" in outcome.failure_reason


def test_row_level_outcomes_mark_each_row(people):
    """Glue adds DataQualityRulesPass/Fail/Skip and DataQualityEvaluationResult per row;
    dataset-level rules (RowCount) are listed as skipped."""
    ruleset = 'Rules = [ IsComplete "name", ColumnValues "age" > 18, RowCount > 0 ]'
    outcomes, rules_df, rows_df = dqdl.evaluate_with_rows(people, ruleset)
    assert [tuple(r)[:3] for r in rules_df.collect()] == [
        ('IsComplete "name"', "Failed", "Value: 0.75 does not meet the constraint requirement!"),
        (
            'ColumnValues "age" > 18',
            "Failed",
            "Value: NULL does not meet the constraint requirement!",
        ),
        ("RowCount > 0", "Passed", None),
    ]
    assert rows_df.columns == [
        "id",
        "name",
        "age",
        "country",
        "DataQualityRulesPass",
        "DataQualityRulesFail",
        "DataQualityRulesSkip",
        "DataQualityEvaluationResult",
    ]
    got = {
        r["id"]: (
            r["DataQualityRulesFail"],
            r["DataQualityRulesSkip"],
            r["DataQualityEvaluationResult"],
        )
        for r in rows_df.collect()
    }
    assert got == {
        1: ([], ["RowCount > 0"], "Passed"),
        2: (['ColumnValues "age" > 18'], ["RowCount > 0"], "Failed"),
        3: (['IsComplete "name"'], ["RowCount > 0"], "Failed"),
        4: (['ColumnValues "age" > 18'], ["RowCount > 0"], "Failed"),
    }


def test_row_level_uniqueness_and_custom_sql(people):
    ruleset = 'Rules = [ IsUnique "country", CustomSql "select id from primary where age >= 18" ]'
    _, _, rows_df = dqdl.evaluate_with_rows(people, ruleset)
    assert rows_df.count() == len(ROWS)
    failed = {r["id"]: sorted(r["DataQualityRulesFail"]) for r in rows_df.collect()}
    unique, sql = 'IsUnique "country"', 'CustomSql "select id from primary where age >= 18"'
    assert failed == {1: [unique], 2: [sql], 3: [], 4: sorted([sql, unique])}
