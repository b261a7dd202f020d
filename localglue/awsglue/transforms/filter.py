from localglue.awsglue.transforms.transform import GlueTransform


class Filter(GlueTransform):
    """Keep the records for which f(record) is true.

    A KeyError/ValueError/TypeError raised by f drops the record (so a record lacking a
    key is dropped); other exceptions make error records."""

    def __call__(
        self, frame, f, transformation_ctx="", info="", stageThreshold=0, totalThreshold=0
    ):  # noqa: N803
        return frame.filter(f, transformation_ctx, info, stageThreshold, totalThreshold)
