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

steps = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="step_trainer_trusted").toDF()
readings = glue_context.create_dynamic_frame.from_catalog(database="stedidb", table_name="accelerometer_trusted").toDF()

ml_df = steps.join(readings, steps["sensorreadingtime"] == readings["timestamp"], "inner")
ml = DynamicFrame.fromDF(ml_df, glue_context, "ml")

# table created in Athena beforehand (DDL not committed)
glue_context.write_dynamic_frame.from_catalog(frame=ml, database="stedidb", table_name="machine_learning_curated")
job.commit()
