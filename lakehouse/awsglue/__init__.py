"""Local AWS Glue runtime: `from awsglue import DynamicFrame` (via lakehouse.shim)."""

from lakehouse.awsglue.dynamicframe import DynamicFrame, DynamicFrameCollection

__all__ = ["DynamicFrame", "DynamicFrameCollection"]
