import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import gs_derived
import gs_concat

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Customer Landing
CustomerLanding_node1710000000231 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000231")

# Script generated for node Derived Column
DerivedColumn_node1710000000232 = CustomerLanding_node1710000000231.gs_derived(colName="consented", expr="shareWithResearchAsOfDate IS NOT NULL AND shareWithResearchAsOfDate > 0")

# Script generated for node Concatenate Columns
ConcatenateColumns_node1710000000233 = DerivedColumn_node1710000000232.gs_concat(colName="label", colList=["customerName", "serialNumber", "phone"], spacer=" / ")

# Script generated for node Select Fields
SelectFields_node1710000000234 = SelectFields.apply(frame=ConcatenateColumns_node1710000000233, paths=["email", "consented", "label"], transformation_ctx="SelectFields_node1710000000234")

# Script generated for node Amazon S3
AmazonS3_node1710000000235 = glueContext.write_dynamic_frame.from_options(frame=SelectFields_node1710000000234, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g5_derived_column_and_concatenate/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000235")

job.commit()
