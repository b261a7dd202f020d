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

# Script generated for node Customer Landing
CustomerLanding_node1745000000041 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1745000000041")

# Script generated for node Select Fields
SelectFields_node1745000000042 = SelectFields.apply(frame=CustomerLanding_node1745000000041, paths=["email", "serialNumber", "registrationDate"], transformation_ctx="SelectFields_node1745000000042")

# Script generated for node Amazon S3
AmazonS3_node1745000000043 = glueContext.write_dynamic_frame.from_options(frame=SelectFields_node1745000000042, connection_type="s3", format="csv", connection_options={"path": "s3://corpus-lake/out/g5_csv_target_gzip/", "compression": "gzip", "partitionKeys": []}, transformation_ctx="AmazonS3_node1745000000043")

job.commit()
