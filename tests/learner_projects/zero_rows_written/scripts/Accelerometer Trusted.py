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
AccelerometerLanding_node1710000033352 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_landing", transformation_ctx="AccelerometerLanding_node1710000033352")

# Script generated for node Customer Trusted
CustomerTrusted_node1710000034163 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_trusted", transformation_ctx="CustomerTrusted_node1710000034163")

# Script generated for node Join Customer
SqlQuery0 = '''
select a.user, a.timestamp, a.x, a.y, a.z
from accelerometer_landing a
inner join customer_trusted c on a.user = c.email
'''
JoinCustomer_node1710000034974 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"accelerometer_landing":AccelerometerLanding_node1710000033352, "customer_trusted":CustomerTrusted_node1710000034163}, transformation_ctx = "JoinCustomer_node1710000034974")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000035785 = glueContext.getSink(path="s3://p9-stedi-lake/accelerometer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="AccelerometerTrusted_node1710000035785")
AccelerometerTrusted_node1710000035785.setCatalogInfo(catalogDatabase="stedi",catalogTableName="accelerometer_trusted")
AccelerometerTrusted_node1710000035785.setFormat("json")
AccelerometerTrusted_node1710000035785.writeFrame(JoinCustomer_node1710000034974)
job.commit()
