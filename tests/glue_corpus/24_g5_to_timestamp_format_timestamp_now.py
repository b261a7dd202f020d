import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import gs_to_timestamp
import gs_format_timestamp
import gs_now

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Accelerometer Landing
AccelerometerLanding_node1710000000241 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/accelerometer/landing/"], "recurse": True}, transformation_ctx="AccelerometerLanding_node1710000000241")

# Script generated for node To Timestamp
ToTimestamp_node1710000000242 = AccelerometerLanding_node1710000000241.gs_to_timestamp(colName="timestamp", colType="milliseconds", newColName="read_at")

# Script generated for node Format Timestamp
FormatTimestamp_node1710000000243 = ToTimestamp_node1710000000242.gs_format_timestamp(colName="read_at", dateFormat="%d/%m/%Y %H:%M:%S", newColName="read_at_text")

# Script generated for node Add Current Timestamp
AddCurrentTimestamp_node1710000000244 = FormatTimestamp_node1710000000243.gs_now(colName="loaded", dateFormat="yyyyMMdd")

# Script generated for node Select Fields
SelectFields_node1710000000245 = SelectFields.apply(frame=AddCurrentTimestamp_node1710000000244, paths=["user", "timestamp", "read_at_text", "loaded"], transformation_ctx="SelectFields_node1710000000245")

# Script generated for node Amazon S3
AmazonS3_node1710000000246 = glueContext.write_dynamic_frame.from_options(frame=SelectFields_node1710000000245, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g5_to_timestamp_format_timestamp_now/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000246")

job.commit()
