from localglue.awsglue.transforms.transform import GlueTransform


class RenameField(GlueTransform):
    """Rename a field (full paths; back-tick names holding dots)."""

    def __call__(
        self,
        frame,
        old_name,
        new_name,
        transformation_ctx="",
        info="",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        return frame.rename_field(
            old_name, new_name, transformation_ctx, info, stageThreshold, totalThreshold
        )
