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


# Script generated for node Accelerometer Landing
AccelerometerLanding_node1710000017943 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": [args['LAKE'] + "/accelerometer/landing/"], "recurse": True}, transformation_ctx="AccelerometerLanding_node1710000017943")

# Script generated for node Customer Trusted
CustomerTrusted_node1710000018754 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": [args['LAKE'] + "/customer/trusted/"], "recurse": True}, transformation_ctx="CustomerTrusted_node1710000018754")

# Script generated for node Join Customer
SqlQuery0 = '''
select a.user, a.timestamp, a.x, a.y, a.z
from accelerometer_landing a
inner join customer_trusted c on a.user = c.email
'''
JoinCustomer_node1710000019565 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"accelerometer_landing":AccelerometerLanding_node1710000017943, "customer_trusted":CustomerTrusted_node1710000018754}, transformation_ctx = "JoinCustomer_node1710000019565")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000020376 = glueContext.write_dynamic_frame.from_options(frame=JoinCustomer_node1710000019565, connection_type="s3", format="json", connection_options={"path": args['LAKE'] + "/accelerometer/trusted/", "compression": "bzip2", "partitionKeys": []}, transformation_ctx="AccelerometerTrusted_node1710000020376")
job.commit()
