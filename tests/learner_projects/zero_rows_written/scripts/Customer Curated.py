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
CustomerTrusted_node1710000036596 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_trusted", transformation_ctx="CustomerTrusted_node1710000036596")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000037407 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_trusted", transformation_ctx="AccelerometerTrusted_node1710000037407")

# Script generated for node Customers With Readings
SqlQuery0 = '''
select distinct c.*
from customer_trusted c
inner join accelerometer_trusted a on c.email = a.user
'''
CustomersWithReadings_node1710000038218 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_trusted":CustomerTrusted_node1710000036596, "accelerometer_trusted":AccelerometerTrusted_node1710000037407}, transformation_ctx = "CustomersWithReadings_node1710000038218")

# Script generated for node Customer Curated
CustomerCurated_node1710000039029 = glueContext.getSink(path="s3://p9-stedi-lake/customer/curated/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="CustomerCurated_node1710000039029")
CustomerCurated_node1710000039029.setCatalogInfo(catalogDatabase="stedi",catalogTableName="customer_curated")
CustomerCurated_node1710000039029.setFormat("json")
CustomerCurated_node1710000039029.writeFrame(CustomersWithReadings_node1710000038218)
job.commit()
