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
CustomerTrusted_node1710000005778 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://${{ secrets.BUCKET }}/customer/trusted/"], "recurse": True}, transformation_ctx="CustomerTrusted_node1710000005778")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000006589 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://${{ secrets.BUCKET }}/accelerometer/trusted/"], "recurse": True}, transformation_ctx="AccelerometerTrusted_node1710000006589")

# Script generated for node Customers With Readings
SqlQuery0 = '''
select distinct c.*
from customer_trusted c
inner join accelerometer_trusted a on c.email = a.user
'''
CustomersWithReadings_node1710000007400 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_trusted":CustomerTrusted_node1710000005778, "accelerometer_trusted":AccelerometerTrusted_node1710000006589}, transformation_ctx = "CustomersWithReadings_node1710000007400")

# Script generated for node Customer Curated
CustomerCurated_node1710000008211 = glueContext.write_dynamic_frame.from_options(frame=CustomersWithReadings_node1710000007400, connection_type="s3", format="json", connection_options={"path": "s3://${{ secrets.BUCKET }}/customer/curated/", "compression": "snappy", "partitionKeys": []}, transformation_ctx="CustomerCurated_node1710000008211")
job.commit()
