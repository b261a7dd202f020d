"""DQDL (Glue Data Quality Definition Language): parse a ruleset, evaluate it on a DataFrame.

Follows the DQDL reference and AWS's grammar (awslabs/dqdl, DataQualityDefinitionLanguage.g4):
- a document is `Rules = [ rule, rule, ... ]` (Metadata/DataSources/Analyzers sections are
  parsed and ignored; `#` starts a comment);
- `(A) and (B)`, `(A) or (B)` compose rules ('and' binds tighter, as in the grammar);
- numeric `between a and b` is EXCLUSIVE (a < x < b), `not between` is its complement;
- `with threshold <cond>` applies the condition to the fraction of passing rows;
- `where "<sql>"` evaluates the rule on the rows that match the filter;
- ColumnValues: NULL rows fail every condition except `!=` and `not in`.
Outcomes mirror Glue: Rule (the rule's canonical text), Outcome (Passed/Failed),
FailureReason ("Value: X does not meet the constraint requirement!"), EvaluatedMetrics
(e.g. Column.<c>.Completeness, Dataset.*.RowCount), plus a per-row pass expression for
rules that return row-level results.

Rule types other than SUPPORTED raise a LakehouseError naming the rule: a rule this runtime
cannot evaluate must never pass silently.

parser.py parses the text into model.py's rules; evaluate.py evaluates them on a DataFrame.
"""

from localglue.dqdl.evaluate import (
    Evaluation,
    evaluate,
    evaluate_with_rows,
    outcomes_frame,
    row_level_frame,
)
from localglue.dqdl.model import SUPPORTED, Composite, Condition, DQDLError, Keyword, Outcome, Rule
from localglue.dqdl.parser import parse

__all__ = [
    "SUPPORTED",
    "Composite",
    "Condition",
    "DQDLError",
    "Evaluation",
    "Keyword",
    "Outcome",
    "Rule",
    "evaluate",
    "evaluate_with_rows",
    "outcomes_frame",
    "parse",
    "row_level_frame",
]
