import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue import DynamicFrame

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Customer Landing
CustomerLanding_node1710000000311 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000311")

# Script generated for node Spigot
Spigot_node1710000000312 = Spigot.apply(frame=CustomerLanding_node1710000000311, path="s3://corpus-lake/spigot/g5_limit_spigot_split_fields/", options={"topk": 3}, transformation_ctx="Spigot_node1710000000312")

# Script generated for node Split Fields
SplitFields_node1710000000313 = SplitFields.apply(frame=Spigot_node1710000000312, paths=["email", "serialNumber"], name1="SplitFields_node1710000000313_picked", name2="SplitFields_node1710000000313_rest", transformation_ctx="SplitFields_node1710000000313")

# Script generated for node Picked
Picked_node1710000000314 = SelectFromCollection.apply(dfc=SplitFields_node1710000000313, key=list(SplitFields_node1710000000313.keys())[0], transformation_ctx="Picked_node1710000000314")

# Script generated for node Limit
Limit_node1710000000315 = DynamicFrame.fromDF(Picked_node1710000000314.toDF().limit(4), glueContext, "Limit_node1710000000315")

# Script generated for node Amazon S3
AmazonS3_node1710000000316 = glueContext.write_dynamic_frame.from_options(frame=Limit_node1710000000315, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g5_limit_spigot_split_fields/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000316")

job.commit()
