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

# Script generated for node accelerometer_landing
accelerometer_landing_node1745000000021 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_landing", transformation_ctx="accelerometer_landing_node1745000000021")

# Script generated for node customer_landing
customer_landing_node1745000000022 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_landing", transformation_ctx="customer_landing_node1745000000022")

# Script generated for node SQL Query
SqlQuery0 = '''
SELECT a.user, a.timestamp, a.x, a.y, a.z
FROM a
WHERE EXISTS (
    SELECT 1 FROM c
    WHERE lower(trim(c.email)) = lower(trim(a.user))
      AND c.sharewithresearchasofdate IS NOT NULL
      AND c.sharewithresearchasofdate <> 0
)
'''
SQLQuery_node1745000000023 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"a":accelerometer_landing_node1745000000021, "c":customer_landing_node1745000000022}, transformation_ctx = "SQLQuery_node1745000000023")

# Script generated for node Amazon S3
EvaluateDataQuality().process_rows(frame=SQLQuery_node1745000000023, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1745000000000", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
AmazonS3_node1745000000009 = glueContext.getSink(path="s3://corpus-lake/out/g5_catalog_sql_exists_glueparquet/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="AmazonS3_node1745000000009")
AmazonS3_node1745000000009.setCatalogInfo(catalogDatabase="stedi",catalogTableName="accelerometer_trusted_c15")
AmazonS3_node1745000000009.setFormat("glueparquet", compression="snappy")
AmazonS3_node1745000000009.writeFrame(SQLQuery_node1745000000023)
job.commit()
