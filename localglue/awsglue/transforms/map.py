from localglue.awsglue.transforms.transform import GlueTransform


class Map(GlueTransform):
    """Build a new DynamicFrame by applying f to every record (f gets and returns a dict)."""

    def __call__(
        self, frame, f, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0
    ):  # noqa: N803
        return frame.map(
            f,
            transformation_ctx=transformation_ctx,
            info=info,
            stageThreshold=stageThreshold,
            totalThreshold=totalThreshold,
        )
