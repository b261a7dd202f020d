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


# Script generated for node Accelerometer Landing
AccelerometerLanding_node1710000048761 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://p10-lakehouse/accelerometer/landing/"], "recurse": True}, transformation_ctx="AccelerometerLanding_node1710000048761")

# Script generated for node Customer Trusted
CustomerTrusted_node1710000049572 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://p10-lakehouse/customer/trusted/"], "recurse": True}, transformation_ctx="CustomerTrusted_node1710000049572")

# Script generated for node Join Customer
SqlQuery0 = '''
select a.user, a.timestamp, a.x, a.y, a.z
from accelerometer_landing a
inner join customer_trusted c on a.user = c.email
'''
JoinCustomer_node1710000050383 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"accelerometer_landing":AccelerometerLanding_node1710000048761, "customer_trusted":CustomerTrusted_node1710000049572}, transformation_ctx = "JoinCustomer_node1710000050383")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000051194 = glueContext.write_dynamic_frame.from_options(frame=JoinCustomer_node1710000050383, connection_type="s3", format="json", connection_options={"path": "s3://p10-lakehouse/accelerometer/trusted/", "partitionKeys": []}, transformation_ctx="AccelerometerTrusted_node1710000051194")
job.commit()
