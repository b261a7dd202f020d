from localglue.awsglue.transforms.transform import GlueTransform


class Union(GlueTransform):
    """Union of two or more DynamicFrames by field name; missing fields are absent (null)."""

    def __call__(
        self,
        frame1,
        frame2,
        *more,
        transformation_ctx="",
        info="",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        from localglue.awsglue.dynamicframe import union_frames

        return union_frames([frame1, frame2, *more], frame1.glue_ctx, frame1.name)
