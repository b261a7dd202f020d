import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsgluedq.transforms import EvaluateDataQuality
from awsglue.dynamicframe import DynamicFrame

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
# Script generated for node customer_trusted
customer_trusted_node1744000002101 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="customer_trusted", transformation_ctx="customer_trusted_node1744000002101")

# Script generated for node accelerometer_trusted
accelerometer_trusted_node1744000002202 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="accelerometer_trusted", transformation_ctx="accelerometer_trusted_node1744000002202")

# Script generated for node Join
Join_node1744000002303 = Join.apply(frame1=customer_trusted_node1744000002101, frame2=accelerometer_trusted_node1744000002202, keys1=["email"], keys2=["user"], transformation_ctx="Join_node1744000002303")

# Script generated for node Drop Fields
DropFields_node1744000002404 = DropFields.apply(frame=Join_node1744000002303, paths=["user", "timestamp", "x", "y", "z"], transformation_ctx="DropFields_node1744000002404")

# Script generated for node Drop Duplicates
DropDuplicates_node1744000002505 =  DynamicFrame.fromDF(DropFields_node1744000002404.toDF().dropDuplicates(), glueContext, "DropDuplicates_node1744000002505")

# Script generated for node customer_curated
EvaluateDataQuality().process_rows(frame=DropDuplicates_node1744000002505, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1744000002001", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
customer_curated_node1744000002606 = glueContext.getSink(path="s3://p12-stedi-lake/customer/curated/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="customer_curated_node1744000002606")
customer_curated_node1744000002606.setCatalogInfo(catalogDatabase="stedi_p12",catalogTableName="customer_curated")
customer_curated_node1744000002606.setFormat("json")
customer_curated_node1744000002606.writeFrame(DropDuplicates_node1744000002505)
job.commit()
