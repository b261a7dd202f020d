"""`awsgluedq.transforms.EvaluateDataQuality`: Glue Data Quality evaluated locally.

Both call styles Glue Studio has generated:
- `EvaluateDataQuality().process_rows(frame=, ruleset=, publishing_options=, additional_options=)`
  returns a DynamicFrameCollection with "ruleOutcomes", "rowLevelOutcomes" and "originalData";
- `EvaluateDataQuality.apply(frame=, ruleset=, publishing_options=)` returns the rule outcomes.
`additional_data_sources={"alias": frame}` names the reference datasets of ReferentialIntegrity,
DatasetMatch, AggregateMatch, RowCountMatch, SchemaMatch and CustomSql (Glue Studio: the other
inputs of a multi-input Evaluate Data Quality node).

Rules are evaluated by localglue.dqdl on the frame's DataFrame. A failing rule does not fail
the job (as in Glue); Studio's "fail job" option is an `assert` in the script itself. Inside
a job (after job.init) the evaluation's metrics are kept per evaluation context in the job's
lake (`_dq/<context>/`), as Glue keeps a ruleset's statistics, for dynamic rules such as
`RowCount > avg(last(3))` in later runs.
"""

from __future__ import annotations

from localglue import bookmarks, dqdl, events
from localglue.awsglue.dynamicframe import DynamicFrame, DynamicFrameCollection

DEFAULT_CONTEXT = "default_context"  # Glue's default dataQualityEvaluationContext


def _dataframe(frame):
    return frame.toDF() if isinstance(frame, DynamicFrame) else frame


class EvaluateDataQuality:
    DATA_QUALITY_RULE_OUTCOMES_KEY = "ruleOutcomes"
    DATA_QUALITY_ROW_LEVEL_OUTCOMES_KEY = "rowLevelOutcomes"
    DATA_QUALITY_ORIGINAL_DATA_KEY = "originalData"

    def _evaluate(
        self,
        frame: DynamicFrame,
        ruleset: str,
        publishing_options: dict | None,
        additional_options: dict | None,
        additional_data_sources: dict | None,
    ):
        context = (publishing_options or {}).get("dataQualityEvaluationContext", DEFAULT_CONTEXT)
        run = bookmarks.current_run()
        history = dqdl.History.in_lake(run.lake.root, context) if run is not None else None
        sources = {alias: _dataframe(f) for alias, f in (additional_data_sources or {}).items()}
        evaluation = dqdl.Evaluation(
            frame.toDF(), ruleset, sources=sources, history=history, options=additional_options
        )
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
                for o in evaluation.outcomes
            ],
        )
        return evaluation

    def process_rows(
        self,
        frame: DynamicFrame,
        ruleset: str,
        publishing_options: dict | None = None,
        additional_options: dict | None = None,
        additional_data_sources: dict | None = None,
    ) -> DynamicFrameCollection:
        evaluation = self._evaluate(
            frame, ruleset, publishing_options, additional_options, additional_data_sources
        )
        ctx = frame.glue_ctx

        def frames() -> dict[str, DynamicFrame]:
            return {
                self.DATA_QUALITY_RULE_OUTCOMES_KEY: DynamicFrame.fromDF(
                    evaluation.rules_frame(), ctx, self.DATA_QUALITY_RULE_OUTCOMES_KEY
                ),
                self.DATA_QUALITY_ROW_LEVEL_OUTCOMES_KEY: DynamicFrame.fromDF(
                    evaluation.rows_frame(), ctx, self.DATA_QUALITY_ROW_LEVEL_OUTCOMES_KEY
                ),
                self.DATA_QUALITY_ORIGINAL_DATA_KEY: frame,
            }

        return _OutcomeCollection(frames, ctx)

    @classmethod
    def apply(
        cls,
        frame: DynamicFrame,
        ruleset: str,
        publishing_options: dict | None = None,
        additional_options: dict | None = None,
        additional_data_sources: dict | None = None,
        **_ignored,
    ) -> DynamicFrame:
        evaluation = cls()._evaluate(
            frame, ruleset, publishing_options, additional_options, additional_data_sources
        )
        rules_df = evaluation.rules_frame()
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
            "args": [
                "frame",
                "ruleset",
                "publishing_options",
                "additional_options",
                "additional_data_sources",
            ],
            "returns": "DynamicFrameCollection (process_rows) or DynamicFrame (apply)",
        }


class _OutcomeCollection(DynamicFrameCollection):
    """process_rows' result: its frames are built on first use (the outcomes already exist)."""

    def __init__(self, build, glue_ctx):
        self._glue_ctx = glue_ctx
        self._build = build
        self._frames: dict[str, DynamicFrame] | None = None

    @property
    def _df_dict(self) -> dict[str, DynamicFrame]:
        if self._frames is None:
            self._frames = self._build()
        return self._frames
