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
# Script generated for node customer_landing
customer_landing_node1744000000101 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="customer_landing", transformation_ctx="customer_landing_node1744000000101")

# Script generated for node consent_filter
consent_filter_node1744000000202 = Filter.apply(frame=customer_landing_node1744000000101, f=lambda row: (row["sharewithresearchasofdate"] >= 0), transformation_ctx="consent_filter_node1744000000202")

# Script generated for node customer_trusted
EvaluateDataQuality().process_rows(frame=consent_filter_node1744000000202, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1744000000001", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
customer_trusted_node1744000000303 = glueContext.getSink(path="s3://p12-stedi-lake/customer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="customer_trusted_node1744000000303")
customer_trusted_node1744000000303.setCatalogInfo(catalogDatabase="stedi_p12",catalogTableName="customer_trusted")
customer_trusted_node1744000000303.setFormat("json")
customer_trusted_node1744000000303.writeFrame(consent_filter_node1744000000202)
job.commit()
