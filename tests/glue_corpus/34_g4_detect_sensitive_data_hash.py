import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglueml.transforms import EntityDetector
from pyspark.sql.types import StringType
from awsglue.dynamicframe import DynamicFrame
from pyspark.sql.functions import *
import hashlib

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Customer Landing
CustomerLanding_node1710000000341 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000341")

# Script generated for node Detect Sensitive Data
entity_detector = EntityDetector()
classified_map = entity_detector.classify_columns(CustomerLanding_node1710000000341, ["EMAIL", "PHONE_NUMBER"], 1.0, 0.1, "HIGH")

def pii_column_hash(original_cell_value):
    return hashlib.sha256(str(original_cell_value).encode()).hexdigest()

pii_column_hash_udf = udf(pii_column_hash, StringType())

def hashDf(df, keys):
    if not keys:
        return df
    df_to_hash = df.toDF()
    for key in keys:
        df_to_hash = df_to_hash.withColumn(key, pii_column_hash_udf(key))
    return DynamicFrame.fromDF(df_to_hash, glueContext, "updated_hashed_df")

DetectSensitiveData_node1710000000342 = hashDf(CustomerLanding_node1710000000341, list(classified_map.keys()))

# Script generated for node Select Fields
SelectFields_node1710000000343 = SelectFields.apply(frame=DetectSensitiveData_node1710000000342, paths=["email", "phone", "serialNumber"], transformation_ctx="SelectFields_node1710000000343")

# Script generated for node Amazon S3
AmazonS3_node1710000000344 = glueContext.write_dynamic_frame.from_options(frame=SelectFields_node1710000000343, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g4_detect_sensitive_data_hash/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000344")

job.commit()
