"""ResolveChoice: Glue's transform over the choice resolution in localglue/awsglue/choice.py."""

from __future__ import annotations

from localglue.awsglue.choice import resolve
from localglue.awsglue.transforms.transform import GlueTransform


class ResolveChoice(GlueTransform):
    """Resolve choice types: specs=[(path, action)] or choice=action for every choice field."""

    def __call__(
        self,
        frame,
        specs=None,
        choice="",
        database=None,
        table_name=None,
        transformation_ctx="",
        info="",
        stageThreshold=0,
        totalThreshold=0,
        catalog_id=None,
    ):  # noqa: N803
        return resolve(frame, specs, choice, database, table_name)
