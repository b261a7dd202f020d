import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsgluedq.transforms import EvaluateDataQuality

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Default ruleset used by all target nodes with data quality enabled
DEFAULT_DATA_QUALITY_RULESET = """
    Rules = [
        ColumnCount > 0
    ]
"""
# Script generated for node step_trainer_trusted
step_trainer_trusted_node1744000004101 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="step_trainer_trusted", transformation_ctx="step_trainer_trusted_node1744000004101")

# Script generated for node accelerometer_trusted
accelerometer_trusted_node1744000004202 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="accelerometer_trusted", transformation_ctx="accelerometer_trusted_node1744000004202")

# Script generated for node Join
Join_node1744000004303 = Join.apply(frame1=step_trainer_trusted_node1744000004101, frame2=accelerometer_trusted_node1744000004202, keys1=["sensorreadingtime"], keys2=["timestamp"], transformation_ctx="Join_node1744000004303")

# Script generated for node Drop Fields
DropFields_node1744000004404 = DropFields.apply(frame=Join_node1744000004303, paths=["user"], transformation_ctx="DropFields_node1744000004404")

# Script generated for node machine_learning_curated
EvaluateDataQuality().process_rows(frame=DropFields_node1744000004404, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1744000004001", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
machine_learning_curated_node1744000004505 = glueContext.getSink(path="s3://p12-stedi-lake/step_trainer/curated/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="machine_learning_curated_node1744000004505")
machine_learning_curated_node1744000004505.setCatalogInfo(catalogDatabase="stedi_p12",catalogTableName="machine_learning_curated")
machine_learning_curated_node1744000004505.setFormat("json")
machine_learning_curated_node1744000004505.writeFrame(DropFields_node1744000004404)
job.commit()
