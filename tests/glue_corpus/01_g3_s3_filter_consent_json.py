import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ["JOB_NAME"])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args["JOB_NAME"], args)

# Script generated for node Customer Landing
S3bucket_node1 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True},
    transformation_ctx="S3bucket_node1",
)

# Script generated for node ApplyMapping
Filter_node1659000000001 = Filter.apply(
    frame=S3bucket_node1,
    f=lambda row: (row["shareWithResearchAsOfDate"] is not None),
    transformation_ctx="Filter_node1659000000001",
)

# Script generated for node Amazon S3
S3bucket_node3 = glueContext.write_dynamic_frame.from_options(
    frame=Filter_node1659000000001,
    connection_type="s3",
    format="json",
    connection_options={"path": "s3://corpus-lake/out/g3_s3_filter_consent_json/", "partitionKeys": []},
    transformation_ctx="S3bucket_node3",
)

job.commit()
