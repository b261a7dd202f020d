import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrame

args = getResolvedOptions(sys.argv, ["JOB_NAME"])
glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

customers = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="customer_trusted").toDF()
readings = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="accelerometer_trusted").toDF()

users = readings.select("user").distinct()
curated_df = customers.join(users, customers["email"] == users["user"], "inner").drop("user").dropDuplicates()
curated = DynamicFrame.fromDF(curated_df, glue_context, "curated")

glue_context.write_dynamic_frame.from_options(
    frame=curated,
    connection_type="s3",
    connection_options={"path": "s3://p3-stedi-bucket/customer/curated/"},
    format="parquet",
)
job.commit()
