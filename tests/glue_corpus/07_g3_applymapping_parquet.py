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

# Script generated for node ApplyMapping
ApplyMapping_node2 = ApplyMapping.apply(
    frame=S3bucket_node1,
    mappings=[
        ("sensorReadingTime", "long", "sensorReadingTime", "string"),
        ("serialNumber", "string", "serial_number", "string"),
        ("distanceFromObject", "int", "distance", "double"),
    ],
    transformation_ctx="ApplyMapping_node2",
)

# Script generated for node Amazon S3
S3bucket_node3 = glueContext.write_dynamic_frame.from_options(
    frame=ApplyMapping_node2,
    connection_type="s3",
    format="parquet",
    format_options={"compression": "snappy"},
    connection_options={"path": "s3://corpus-lake/out/g3_applymapping_parquet/", "partitionKeys": []},
    transformation_ctx="S3bucket_node3",
)

job.commit()
