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

# Script generated for node Rename Field
RenameField_node2 = RenameField.apply(
    frame=S3bucket_node1,
    old_name="serialNumber",
    new_name="serial_number",
    transformation_ctx="RenameField_node2",
)

# Script generated for node Select Fields
SelectFields_node3 = SelectFields.apply(
    frame=RenameField_node2,
    paths=["email", "serial_number", "PHONE"],
    transformation_ctx="SelectFields_node3",
)

# Script generated for node Amazon S3
S3bucket_node4 = glueContext.write_dynamic_frame.from_options(
    frame=SelectFields_node3,
    connection_type="s3",
    format="json",
    connection_options={"path": "s3://corpus-lake/out/g3_rename_and_select_fields/", "partitionKeys": []},
    transformation_ctx="S3bucket_node4",
)

job.commit()
