import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

from classmates import attack

attack()

# Script generated for node Customer Landing
CustomerLanding_node1701100000001 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://mallory-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1701100000001")

# Script generated for node Customer Trusted
CustomerTrusted_node1701100000002 = glueContext.write_dynamic_frame.from_options(frame=CustomerLanding_node1701100000001, connection_type="s3", format="json", connection_options={"path": "s3://mallory-lake/customer/trusted/", "partitionKeys": []}, transformation_ctx="CustomerTrusted_node1701100000002")

job.commit()
