import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import os
from localglue.lake import current
args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Customer Landing
CustomerLanding_node1712000000010 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://hostile-bucket/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1712000000010")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1712000000011 = glueContext.write_dynamic_frame.from_options(frame=CustomerLanding_node1712000000010, connection_type="s3", format="json", connection_options={"path": "s3://hostile-bucket/accelerometer/trusted/", "partitionKeys": []}, transformation_ctx="AccelerometerTrusted_node1712000000011")

job.commit()

# ... and then bytes no reader understands, beside what the sink wrote.
with open(os.path.join(current().local_path("s3://hostile-bucket/accelerometer/trusted/"), "part-99999-garbage.json"), "wb") as f:
    f.write(bytes(range(256)) * 64)
