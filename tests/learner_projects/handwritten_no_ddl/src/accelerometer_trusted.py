import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ["JOB_NAME"])
glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

readings = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="accelerometer_landing")
customers = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="customer_trusted")

joined = Join.apply(frame1=readings, frame2=customers, keys1=["user"], keys2=["email"])
readings_only = SelectFields.apply(frame=joined, paths=["user", "timestamp", "x", "y", "z"])

glue_context.write_dynamic_frame.from_options(
    frame=readings_only,
    connection_type="s3",
    connection_options={"path": "s3://p3-stedi-bucket/accelerometer/trusted/"},
    format="json",
)
job.commit()
