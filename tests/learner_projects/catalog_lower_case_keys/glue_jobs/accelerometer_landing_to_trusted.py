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
# Script generated for node accelerometer_landing
accelerometer_landing_node1744000001101 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="accelerometer_landing", transformation_ctx="accelerometer_landing_node1744000001101")

# Script generated for node customer_trusted
customer_trusted_node1744000001202 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="customer_trusted", transformation_ctx="customer_trusted_node1744000001202")

# Script generated for node Join
Join_node1744000001303 = Join.apply(frame1=accelerometer_landing_node1744000001101, frame2=customer_trusted_node1744000001202, keys1=["user"], keys2=["email"], transformation_ctx="Join_node1744000001303")

# Script generated for node Drop Fields
DropFields_node1744000001404 = DropFields.apply(frame=Join_node1744000001303, paths=["customername", "email", "phone", "birthday", "serialnumber", "registrationdate", "lastupdatedate", "sharewithresearchasofdate", "sharewithpublicasofdate", "sharewithfriendsasofdate"], transformation_ctx="DropFields_node1744000001404")

# Script generated for node accelerometer_trusted
EvaluateDataQuality().process_rows(frame=DropFields_node1744000001404, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1744000001001", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
accelerometer_trusted_node1744000001505 = glueContext.getSink(path="s3://p12-stedi-lake/accelerometer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="accelerometer_trusted_node1744000001505")
accelerometer_trusted_node1744000001505.setCatalogInfo(catalogDatabase="stedi_p12",catalogTableName="accelerometer_trusted")
accelerometer_trusted_node1744000001505.setFormat("json")
accelerometer_trusted_node1744000001505.writeFrame(DropFields_node1744000001404)
job.commit()
