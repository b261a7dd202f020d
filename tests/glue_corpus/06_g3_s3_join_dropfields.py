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

# Script generated for node Accelerometer Landing
AccelerometerLanding_node1 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/accelerometer/landing/"], "recurse": True},
    transformation_ctx="AccelerometerLanding_node1",
)

# Script generated for node Customer Landing
CustomerLanding_node2 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True},
    transformation_ctx="CustomerLanding_node2",
)

# Script generated for node Customer Privacy Filter
CustomerPrivacyFilter_node3 = Join.apply(
    frame1=AccelerometerLanding_node1,
    frame2=CustomerLanding_node2,
    keys1=["user"],
    keys2=["email"],
    transformation_ctx="CustomerPrivacyFilter_node3",
)

# Script generated for node Drop Fields
DropFields_node4 = DropFields.apply(
    frame=CustomerPrivacyFilter_node3,
    paths=["customerName", "email", "phone", "birthDay", "serialNumber", "registrationDate", "lastUpdateDate", "shareWithResearchAsOfDate", "shareWithPublicAsOfDate", "shareWithFriendsAsOfDate"],
    transformation_ctx="DropFields_node4",
)

# Script generated for node Amazon S3
AccelerometerTrusted_node5 = glueContext.write_dynamic_frame.from_options(
    frame=DropFields_node4,
    connection_type="s3",
    format="json",
    connection_options={"path": "s3://corpus-lake/out/g3_s3_join_dropfields/", "partitionKeys": []},
    transformation_ctx="AccelerometerTrusted_node5",
)

job.commit()
