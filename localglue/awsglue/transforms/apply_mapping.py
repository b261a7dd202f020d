from localglue.awsglue.transforms.transform import GlueTransform


class ApplyMapping(GlueTransform):
    """Return ONLY the mapped fields, renamed and cast: mappings of
    (source path, source type, target path, target type)."""

    def __call__(
        self,
        frame,
        mappings,
        case_sensitive=False,
        transformation_ctx="",
        info="",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        return frame.apply_mapping(
            mappings, case_sensitive, transformation_ctx, info, stageThreshold, totalThreshold
        )
