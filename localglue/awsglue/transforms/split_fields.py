from localglue.awsglue.transforms.transform import GlueTransform


class SplitFields(GlueTransform):
    """Splits a frame in two: `name1` holds the fields in `paths`, `name2` every other field.
    Returns a DynamicFrameCollection (Glue Studio then picks one with SelectFromCollection).
    Field names match as SelectFields and DropFields match them: case sensitively."""

    def __call__(
        self,
        frame,
        paths,
        name1=None,
        name2=None,
        transformation_ctx="",
        info="",
        stageThreshold=0,
        totalThreshold=0,
    ):  # noqa: N803
        from localglue.awsglue.dynamicframe import DynamicFrameCollection

        selected = frame.select_fields(paths)
        rest = frame.drop_fields(paths)
        name1 = name1 or f"{frame.name}0"
        name2 = name2 or f"{frame.name}1"
        selected.name, rest.name = name1, name2
        return DynamicFrameCollection({name1: selected, name2: rest}, frame.glue_ctx)
