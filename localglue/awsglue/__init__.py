"""Local AWS Glue runtime: `from awsglue import DynamicFrame` (via localglue.shim)."""

from localglue.awsglue.dynamicframe import DynamicFrame, DynamicFrameCollection

__all__ = ["DynamicFrame", "DynamicFrameCollection"]
