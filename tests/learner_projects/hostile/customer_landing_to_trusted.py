import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue import DynamicFrame

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
CustomerLanding_node1712000000001 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://hostile-bucket/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1712000000001")

# Script generated for node Everyone
SqlQuery0 = '''
select * from customer_landing
'''
Everyone_node1712000000002 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_landing":CustomerLanding_node1712000000001}, transformation_ctx = "Everyone_node1712000000002")

# Script generated for node Customer Trusted
CustomerTrusted_node1712000000003 = glueContext.write_dynamic_frame.from_options(frame=Everyone_node1712000000002, connection_type="s3", format="json", connection_options={"path": "s3://hostile-bucket/customer/trusted/", "partitionKeys": []}, transformation_ctx="CustomerTrusted_node1712000000003")

job.commit()
