from localglue.awsglue.transforms.transform import GlueTransform


class Join(GlueTransform):
    """Equality join of two DynamicFrames (inner); both key columns are kept.

    A frame2 field whose name frame1 already has comes out as `.name`."""

    def __call__(
        self,
        frame1,
        frame2,
        keys1,
        keys2,
        transformation_ctx="",
        info="",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        return frame1.join(
            keys1, keys2, frame2, transformation_ctx, info, stageThreshold, totalThreshold
        )
