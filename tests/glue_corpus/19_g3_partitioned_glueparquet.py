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

# Script generated for node Step Trainer Landing
S3bucket_node1 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/step_trainer/landing/"], "recurse": True},
    transformation_ctx="S3bucket_node1",
)

# Script generated for node Amazon S3
AmazonS3_node2 = glueContext.getSink(
    path="s3://corpus-lake/out/g3_partitioned_glueparquet/",
    connection_type="s3",
    updateBehavior="UPDATE_IN_DATABASE",
    partitionKeys=["serialNumber"],
    enableUpdateCatalog=True,
    transformation_ctx="AmazonS3_node2",
)
AmazonS3_node2.setCatalogInfo(catalogDatabase="stedi", catalogTableName="step_partitioned_c19")
AmazonS3_node2.setFormat("glueparquet")
AmazonS3_node2.writeFrame(S3bucket_node1)
job.commit()
