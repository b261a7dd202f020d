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

# the crawler named this table after the trainer/landing folder
steps = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="trainer_landing").toDF()
curated = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="customer_curated").toDF()

serials = curated.select("serialnumber").distinct()
trusted_df = steps.join(serials, "serialnumber", "leftsemi")
trusted = DynamicFrame.fromDF(trusted_df, glue_context, "trusted")

glue_context.write_dynamic_frame.from_options(
    frame=trusted,
    connection_type="s3",
    connection_options={"path": "s3://p3-stedi-bucket/step_trainer/trusted/"},
    format="parquet",
)
job.commit()
