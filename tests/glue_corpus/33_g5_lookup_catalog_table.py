import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import gs_lookup

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Accelerometer Landing
AccelerometerLanding_node1710000000331 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/accelerometer/landing/"], "recurse": True}, transformation_ctx="AccelerometerLanding_node1710000000331")

# Script generated for node Lookup
Lookup_node1710000000332 = AccelerometerLanding_node1710000000331.gs_lookup(lookupTable="stedi.customer_landing", matchColumns="user=email", lookupColumns="serialnumber")

# Script generated for node Select Fields
SelectFields_node1710000000333 = SelectFields.apply(frame=Lookup_node1710000000332, paths=["user", "timestamp", "serialnumber"], transformation_ctx="SelectFields_node1710000000333")

# Script generated for node Amazon S3
AmazonS3_node1710000000334 = glueContext.write_dynamic_frame.from_options(frame=SelectFields_node1710000000333, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g5_lookup_catalog_table/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000334")

job.commit()
