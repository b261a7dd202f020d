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


# Script generated for node Customer Trusted
CustomerTrusted_node1700000021187 = glueContext.create_dynamic_frame.from_catalog(database="stedi-lake-db", table_name="customer_trusted", transformation_ctx="CustomerTrusted_node1700000021187")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1700000021998 = glueContext.create_dynamic_frame.from_catalog(database="stedi-lake-db", table_name="accelerometer_trusted", transformation_ctx="AccelerometerTrusted_node1700000021998")

# Script generated for node SQL Query
SqlQuery0 = '''
select distinct c.*
from customer_trusted c
inner join accelerometer_trusted a on c.email = a.user
'''
SqlQuery_node1700000022809 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_trusted":CustomerTrusted_node1700000021187, "accelerometer_trusted":AccelerometerTrusted_node1700000021998}, transformation_ctx = "SqlQuery_node1700000022809")

# Script generated for node Customer Curated
CustomerCurated_node1700000023620 = glueContext.write_dynamic_frame.from_catalog(frame=SqlQuery_node1700000022809, database="stedi-lake-db", table_name="customer_curated", transformation_ctx="CustomerCurated_node1700000023620")
job.commit()
