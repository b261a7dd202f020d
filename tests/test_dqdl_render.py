"""`python -m validation.dqdl`: the GX suites rendered as DQDL, pinned by golden files.

Regenerate the goldens after a deliberate suite change with
`python -m validation.dqdl --profile rubric --out tests/golden/dqdl` (and --profile strict).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stedi.tables import PROFILES, TABLE_NAMES
from validation import dqdl

GOLDEN = Path(__file__).parent / "golden" / "dqdl"
CASES = [(t, p, dqdl.golden_name(t, p)) for t in TABLE_NAMES for p in PROFILES]


@pytest.mark.parametrize(
    ("table", "profile", "golden"), CASES, ids=[f"{t}-{p}" for t, p, _ in CASES]
)
def test_rendered_ruleset_matches_its_golden_file(table, profile, golden):
    text, _ = dqdl.render(table, profile)
    assert text == (GOLDEN / golden).read_text()


def test_every_golden_file_belongs_to_a_table_and_profile():
    assert sorted(p.name for p in GOLDEN.glob("*.dqdl")) == sorted({c[2] for c in CASES})


@pytest.mark.parametrize(
    ("expectation", "rules"),
    [
        pytest.param(
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "x", "min_value": -10, "max_value": 10},
            },
            [
                'ColumnValues "x" >= -10 where "x is not null"',
                'ColumnValues "x" <= 10 where "x is not null"',
            ],
            id="between-is-two-inclusive-rules-because-dqdl-between-is-exclusive",
        ),
        pytest.param(
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "x", "min_value": 0, "strict_min": True},
            },
            ['ColumnValues "x" > 0 where "x is not null"'],
            id="strict-min-is-greater-than",
        ),
        pytest.param(
            {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
            ["RowCount >= 1"],
            id="row-count",
        ),
        pytest.param(
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "email"}},
            ['IsComplete "email"'],
            id="not-null-is-iscomplete",
        ),
        pytest.param(
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": "email", "mostly": 0.9},
            },
            ['Completeness "email" >= 0.9'],
            id="mostly-not-null-is-completeness",
        ),
        pytest.param(
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "email"}},
            ['IsUnique "email"'],
            id="unique",
        ),
        pytest.param(
            {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["a", "b"]}},
            ['IsPrimaryKey "a" "b"'],
            id="compound-unique-is-primary-key",
        ),
        pytest.param(
            {
                "type": "expect_table_columns_to_match_set",
                "kwargs": {"column_set": ["a", "b"], "exact_match": True},
            },
            ['ColumnExists "a"', 'ColumnExists "b"', "ColumnCount = 2"],
            id="exact-column-set",
        ),
        pytest.param(
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "s", "value_set": ["a", "b"]},
            },
            ['ColumnValues "s" in ["a","b"]'],
            id="in-set",
        ),
        pytest.param(
            {
                "type": "unexpected_rows_expectation",
                "kwargs": {"unexpected_rows_query": 'SELECT * FROM {batch} WHERE "user" = \'a"b\''},
            },
            [
                'CustomSql "SELECT COUNT(*) FROM (SELECT * FROM primary WHERE `user` = \'a"b\') unexpected_rows" = 0'
            ],
            id="custom-sql-quotes-identifiers-for-spark-and-keeps-literals",
        ),
    ],
)
def test_each_gx_expectation_maps_to_its_dqdl_rule(expectation, rules):
    assert dqdl.rules_for(expectation) == rules


@pytest.mark.parametrize(
    "expectation",
    [
        {"type": "expect_column_kl_divergence_to_be_less_than", "kwargs": {"column": "x"}},
        {
            "type": "unexpected_rows_expectation",
            "kwargs": {
                "unexpected_rows_query": "SELECT * FROM information_schema.columns WHERE (SELECT 1 FROM {batch}) = 1"
            },
        },
    ],
    ids=["no-dqdl-rule-type", "information-schema-query"],
)
def test_an_expectation_without_dqdl_form_is_listed_not_dropped(expectation):
    with pytest.raises(dqdl.NoDQDLForm):
        dqdl.rules_for(expectation)


def test_the_strict_ml_ruleset_lists_its_check_without_dqdl_form(capsys):
    assert dqdl.main(["--table", "machine_learning_curated", "--profile", "strict"]) == 0
    out, err = capsys.readouterr()
    assert "privacy.no_identifier_columns has no DQDL form" in err
    assert "#   privacy.no_identifier_columns:" in out
    assert " between " not in out  # exclusive in DQDL: never emitted
