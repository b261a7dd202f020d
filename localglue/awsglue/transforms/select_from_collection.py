from localglue.awsglue.transforms.transform import GlueTransform


class SelectFromCollection(GlueTransform):
    """Pick one DynamicFrame out of a DynamicFrameCollection by key."""

    def __call__(self, dfc, key, transformation_ctx=""):
        return dfc.select(key, transformation_ctx)
