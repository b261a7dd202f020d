import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrame
import gs_sequence_id
import gs_uuid
import gs_repartition

def sparkSqlQuery(glueContext, query, mapping, transformation_ctx) -> DynamicFrame:
    for alias, frame in mapping.items():
        frame.toDF().createOrReplaceTempView(alias)
    result = spark.sql(query)
    return DynamicFrame.fromDF(result, glueContext, transformation_ctx)

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Customer Landing
CustomerLanding_node1710000000281 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000281")

# Script generated for node Identifier
Identifier_node1710000000282 = CustomerLanding_node1710000000281.gs_sequence_id(colName="id")

# Script generated for node UUID
UUID_node1710000000283 = Identifier_node1710000000282.gs_uuid()

# Script generated for node Autobalance Processing
AutobalanceProcessing_node1710000000284 = UUID_node1710000000283.gs_repartition(numPartitionsStr="3")

# Script generated for node SQL Query
SqlQuery0 = '''
select count(*) as n, count(distinct id) as ids, count(distinct uuid) as uuids, min(length(uuid)) as len from myDataSource
'''
SQLQuery_node1710000000285 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"myDataSource":AutobalanceProcessing_node1710000000284}, transformation_ctx = "SQLQuery_node1710000000285")

# Script generated for node Amazon S3
AmazonS3_node1710000000286 = glueContext.write_dynamic_frame.from_options(frame=SQLQuery_node1710000000285, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g4_identifier_uuid_autobalance/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000286")

job.commit()
