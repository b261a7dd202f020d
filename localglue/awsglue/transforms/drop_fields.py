from localglue.awsglue.transforms.transform import GlueTransform


class DropFields(GlueTransform):
    """Drop fields by path; back-tick names holding dots ("`.serialNumber`")."""

    def __call__(
        self, frame, paths, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0
    ):  # noqa: N803
        return frame.drop_fields(paths, transformation_ctx, info, stageThreshold, totalThreshold)
