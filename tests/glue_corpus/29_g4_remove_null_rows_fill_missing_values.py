import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrame
from awsglueml.transforms import FillMissingValues
import gs_null_rows

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
CustomerLanding_node1710000000291 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000291")

# Script generated for node SQL Query
SqlQuery0 = '''
select case when shareWithResearchAsOfDate is not null then email end as email, shareWithFriendsAsOfDate as friends from myDataSource
'''
SQLQuery_node1710000000292 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"myDataSource":CustomerLanding_node1710000000291}, transformation_ctx = "SQLQuery_node1710000000292")

# Script generated for node Remove Null Rows
RemoveNullRows_node1710000000293 = SQLQuery_node1710000000292.gs_null_rows()

# Script generated for node Fill Missing Values
FillMissingValues_node1710000000294 = FillMissingValues.apply(frame=RemoveNullRows_node1710000000293, missing_values_column="friends", transformation_ctx="FillMissingValues_node1710000000294")

# Script generated for node Amazon S3
AmazonS3_node1710000000295 = glueContext.write_dynamic_frame.from_options(frame=FillMissingValues_node1710000000294, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g4_remove_null_rows_fill_missing_values/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000295")

job.commit()
