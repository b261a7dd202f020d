import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsgluedq.transforms import EvaluateDataQuality
from awsglue import DynamicFrame

def sparkSqlQuery(glueContext, query, mapping, transformation_ctx) -> DynamicFrame:
    for alias, frame in mapping.items():
        frame.toDF().createOrReplaceTempView(alias)
    result = spark.sql(query)
    return DynamicFrame.fromDF(result, glueContext, transformation_ctx)
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

# Script generated for node Step Trainer Landing
StepTrainerLanding_node1745000000031 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/step_trainer/landing/"], "recurse": True}, transformation_ctx="StepTrainerLanding_node1745000000031")

# Script generated for node SQL Query
SqlQuery0 = '''
select serialNumber, max(distanceFromObject) as maxDistance from myDataSource group by serialNumber
'''
SQLQuery_node1745000000032 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"myDataSource":StepTrainerLanding_node1745000000031}, transformation_ctx = "SQLQuery_node1745000000032")

# Script generated for node Amazon S3
EvaluateDataQuality().process_rows(frame=SQLQuery_node1745000000032, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1745000000000", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
AmazonS3_node1745000000009 = glueContext.getSink(path="s3://corpus-lake/out/g5_s3_sql_json_bzip2/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], compression="bzip2", enableUpdateCatalog=True, transformation_ctx="AmazonS3_node1745000000009")
AmazonS3_node1745000000009.setCatalogInfo(catalogDatabase="stedi",catalogTableName="step_max_c16")
AmazonS3_node1745000000009.setFormat("json")
AmazonS3_node1745000000009.writeFrame(SQLQuery_node1745000000032)
job.commit()
