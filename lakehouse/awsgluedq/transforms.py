"""`awsgluedq.transforms.EvaluateDataQuality`: Glue Data Quality evaluated locally.

Both call styles Glue Studio has generated:
- `EvaluateDataQuality().process_rows(frame=, ruleset=, publishing_options=, additional_options=)`
  returns a DynamicFrameCollection with "ruleOutcomes", "rowLevelOutcomes" and "originalData";
- `EvaluateDataQuality.apply(frame=, ruleset=, publishing_options=)` returns the rule outcomes.
Rules are evaluated by lakehouse.dqdl on the frame's DataFrame. A failing rule does not fail
the job (as in Glue); Studio's "fail job" option is an `assert` in the script itself.
"""

from __future__ import annotations

from lakehouse import dqdl, events
from lakehouse.awsglue.dynamicframe import DynamicFrame, DynamicFrameCollection


class EvaluateDataQuality:
    DATA_QUALITY_RULE_OUTCOMES_KEY = "ruleOutcomes"
    DATA_QUALITY_ROW_LEVEL_OUTCOMES_KEY = "rowLevelOutcomes"
    DATA_QUALITY_ORIGINAL_DATA_KEY = "originalData"

    def _evaluate(self, frame: DynamicFrame, ruleset: str, publishing_options: dict | None):
        df = frame.toDF()
        outcomes, rules_df, rows_df = dqdl.evaluate_with_rows(df, ruleset)
        context = (publishing_options or {}).get("dataQualityEvaluationContext", frame.name)
        events.emit(
            "data_quality",
            context=context,
            outcomes=[
                {
                    "Rule": o.rule,
                    "Outcome": o.outcome,
                    "FailureReason": o.failure_reason,
                    "EvaluatedMetrics": o.metrics,
                }
                for o in outcomes
            ],
        )
        return rules_df, rows_df

    def process_rows(
        self,
        frame: DynamicFrame,
        ruleset: str,
        publishing_options: dict | None = None,
        additional_options: dict | None = None,
    ) -> DynamicFrameCollection:
        rules_df, rows_df = self._evaluate(frame, ruleset, publishing_options)
        ctx = frame.glue_ctx
        return DynamicFrameCollection(
            {
                self.DATA_QUALITY_RULE_OUTCOMES_KEY: DynamicFrame.fromDF(
                    rules_df, ctx, self.DATA_QUALITY_RULE_OUTCOMES_KEY
                ),
                self.DATA_QUALITY_ROW_LEVEL_OUTCOMES_KEY: DynamicFrame.fromDF(
                    rows_df, ctx, self.DATA_QUALITY_ROW_LEVEL_OUTCOMES_KEY
                ),
                self.DATA_QUALITY_ORIGINAL_DATA_KEY: frame,
            },
            ctx,
        )

    @classmethod
    def apply(
        cls,
        frame: DynamicFrame,
        ruleset: str,
        publishing_options: dict | None = None,
        additional_options: dict | None = None,
        **_ignored,
    ) -> DynamicFrame:
        rules_df, _ = cls()._evaluate(frame, ruleset, publishing_options)
        return DynamicFrame.fromDF(rules_df, frame.glue_ctx, cls.DATA_QUALITY_RULE_OUTCOMES_KEY)

    def __call__(self, frame, ruleset, publishing_options=None, additional_options=None, **kw):
        return self.apply(frame, ruleset, publishing_options, additional_options, **kw)

    @classmethod
    def name(cls) -> str:
        return cls.__name__

    @classmethod
    def describe(cls) -> dict:
        return {
            "name": cls.__name__,
            "args": ["frame", "ruleset", "publishing_options", "additional_options"],
            "returns": "DynamicFrameCollection (process_rows) or DynamicFrame (apply)",
        }
