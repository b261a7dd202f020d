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
# Script generated for node step_trainer_landing
step_trainer_landing_node1744000003101 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="step_trainer_landing", transformation_ctx="step_trainer_landing_node1744000003101")

# Script generated for node customer_curated
customer_curated_node1744000003202 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p12", table_name="customer_curated", transformation_ctx="customer_curated_node1744000003202")

# Script generated for node Renamed keys for Join
RenamedkeysforJoin_node1744000003303 = ApplyMapping.apply(frame=customer_curated_node1744000003202, mappings=[("serialnumber", "string", "right_serialnumber", "string")], transformation_ctx="RenamedkeysforJoin_node1744000003303")

# Script generated for node Join
Join_node1744000003404 = Join.apply(frame1=step_trainer_landing_node1744000003101, frame2=RenamedkeysforJoin_node1744000003303, keys1=["serialnumber"], keys2=["right_serialnumber"], transformation_ctx="Join_node1744000003404")

# Script generated for node Drop Fields
DropFields_node1744000003505 = DropFields.apply(frame=Join_node1744000003404, paths=["right_serialnumber"], transformation_ctx="DropFields_node1744000003505")

# Script generated for node step_trainer_trusted
EvaluateDataQuality().process_rows(frame=DropFields_node1744000003505, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1744000003001", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
step_trainer_trusted_node1744000003606 = glueContext.getSink(path="s3://p12-stedi-lake/step_trainer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="step_trainer_trusted_node1744000003606")
step_trainer_trusted_node1744000003606.setCatalogInfo(catalogDatabase="stedi_p12",catalogTableName="step_trainer_trusted")
step_trainer_trusted_node1744000003606.setFormat("json")
step_trainer_trusted_node1744000003606.writeFrame(DropFields_node1744000003505)
job.commit()
