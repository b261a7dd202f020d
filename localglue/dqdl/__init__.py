"""DQDL (Glue Data Quality Definition Language): parse a ruleset, evaluate it on a DataFrame.

Follows the DQDL reference and AWS's grammar (awslabs/dqdl, DataQualityDefinitionLanguage.g4):
- a document is `Rules = [ rule, rule, ... ]`, optionally after Metadata/DataSources (parsed,
  ignored), string variables (`name = "..."`, used as `$name`) and DefaultLabels; an
  Analyzers section is parsed and checked, and computes nothing locally (`#` starts a comment);
- `(A) and (B)`, `(A) or (B)` compose rules ('and' binds tighter, as in the grammar), each
  rule decided on the whole dataset, or row by row with compositeRuleEvaluation.method ROW;
- numeric `between a and b` is EXCLUSIVE (a < x < b), `not between` is its complement;
- `with threshold <cond>` applies the condition to the fraction of passing rows;
- `where "<sql>"` evaluates the rule on the rows that match the filter;
- ColumnValues: NULL rows fail every condition except `!=` and `not in`;
- dynamic rules (`> avg(last(3))`) read the metrics of earlier runs from the lake (history.py).
Outcomes mirror Glue: Rule (the rule's canonical text), Outcome (Passed/Failed),
FailureReason ("Value: X does not meet the constraint requirement!"), EvaluatedMetrics
(e.g. Column.<c>.Completeness, Dataset.*.RowCount), plus a per-row pass expression for
rules that return row-level results.

Rule types Glue has but this runtime does not reproduce (model.RULE_TYPES: not_reproduced)
raise a DQDLError naming the rule before anything is evaluated: a rule this runtime cannot
evaluate must never pass silently.

model.py holds the rules, parser.py reads the text, engine.py evaluates with the rule types
registered by dataset_rules.py, column_rules.py, value_rules.py, reference_rules.py and
file_rules.py; values.py decides conditions; history.py keeps the metrics of earlier runs;
evaluate.py builds Glue's result frames.
"""

from localglue.dqdl.evaluate import (
    Evaluation,
    evaluate,
    evaluate_with_rows,
    outcomes_frame,
    row_level_frame,
)
from localglue.dqdl.history import History
from localglue.dqdl.model import (
    REPRODUCED,
    RULE_TYPES,
    Composite,
    Condition,
    DQDLError,
    Keyword,
    Outcome,
    Rule,
)
from localglue.dqdl.parser import parse

__all__ = [
    "REPRODUCED",
    "RULE_TYPES",
    "Composite",
    "Condition",
    "DQDLError",
    "Evaluation",
    "History",
    "Keyword",
    "Outcome",
    "Rule",
    "evaluate",
    "evaluate_with_rows",
    "outcomes_frame",
    "parse",
    "row_level_frame",
]
