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
args = getResolvedOptions(sys.argv, ['JOB_NAME', 'LAKE'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)


# Script generated for node Customer Trusted
CustomerTrusted_node1710000021187 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": [args['LAKE'] + "/customer/trusted/"], "recurse": True}, transformation_ctx="CustomerTrusted_node1710000021187")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000021998 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": [args['LAKE'] + "/accelerometer/trusted/"], "recurse": True}, transformation_ctx="AccelerometerTrusted_node1710000021998")

# Script generated for node Customers With Readings
SqlQuery0 = '''
select distinct c.*
from customer_trusted c
inner join accelerometer_trusted a on c.email = a.user
'''
CustomersWithReadings_node1710000022809 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_trusted":CustomerTrusted_node1710000021187, "accelerometer_trusted":AccelerometerTrusted_node1710000021998}, transformation_ctx = "CustomersWithReadings_node1710000022809")

# Script generated for node Customer Curated
CustomerCurated_node1710000023620 = glueContext.write_dynamic_frame.from_options(frame=CustomersWithReadings_node1710000022809, connection_type="s3", format="csv", connection_options={"path": args['LAKE'] + "/customer/curated/", "compression": "gzip", "partitionKeys": []}, transformation_ctx="CustomerCurated_node1710000023620")
job.commit()
