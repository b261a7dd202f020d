from localglue.awsglue.transforms.transform import GlueTransform


class Spigot(GlueTransform):
    """Writes a sample of the frame as JSON under `path` (options: `topk`, default 100 records;
    `prob`, the chance each record is picked) and passes the frame on unchanged."""

    def __call__(
        self,
        frame,
        path,
        options=None,
        transformation_ctx="",
        info="",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        return frame.spigot(path, options or {}, transformation_ctx=transformation_ctx)
