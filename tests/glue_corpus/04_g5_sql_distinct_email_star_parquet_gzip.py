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

# Script generated for node customer_landing
customer_landing_node1745000000001 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_landing", transformation_ctx="customer_landing_node1745000000001")

# Script generated for node accelerometer_landing
accelerometer_landing_node1745000000002 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_landing", transformation_ctx="accelerometer_landing_node1745000000002")

# Script generated for node SQL Query
SqlQuery0 = '''
select distinct(c.email), c.* from c inner join a on c.email = a.user
where c.sharewithresearchasofdate is not null;
'''
SQLQuery_node1745000000003 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"c":customer_landing_node1745000000001, "a":accelerometer_landing_node1745000000002}, transformation_ctx = "SQLQuery_node1745000000003")

# Script generated for node Amazon S3
EvaluateDataQuality().process_rows(frame=SQLQuery_node1745000000003, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1745000000000", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
AmazonS3_node1745000000004 = glueContext.write_dynamic_frame.from_options(frame=SQLQuery_node1745000000003, connection_type="s3", format="parquet", connection_options={"path": "s3://corpus-lake/out/g5_sql_distinct_email_star_parquet_gzip/", "compression": "gzip", "partitionKeys": []}, transformation_ctx="AmazonS3_node1745000000004")

job.commit()
