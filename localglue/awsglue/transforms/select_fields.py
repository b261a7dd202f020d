from localglue.awsglue.transforms.transform import GlueTransform


class SelectFields(GlueTransform):
    """Keep only the fields named by paths."""

    def __call__(
        self, frame, paths, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0
    ):  # noqa: N803
        return frame.select_fields(paths, transformation_ctx, info, stageThreshold, totalThreshold)
