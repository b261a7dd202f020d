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
AccelerometerLanding_node1700000033352 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://p4-raw-zone/raw/accelerometer_landing/"], "recurse": True}, transformation_ctx="AccelerometerLanding_node1700000033352")

# Script generated for node Customer Trusted
CustomerTrusted_node1700000034163 = glueContext.create_dynamic_frame.from_catalog(database="stedi_p4", table_name="customer_trusted", transformation_ctx="CustomerTrusted_node1700000034163")

# Script generated for node SQL Query
SqlQuery0 = '''
select a.user, a.timestamp, a.x, a.y, a.z
from accelerometer_landing a
inner join customer_trusted c on a.user = c.email
'''
SqlQuery_node1700000034974 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"accelerometer_landing":AccelerometerLanding_node1700000033352, "customer_trusted":CustomerTrusted_node1700000034163}, transformation_ctx = "SqlQuery_node1700000034974")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1700000035785 = glueContext.getSink(path="s3://p4-lakehouse/trusted/accelerometer/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="AccelerometerTrusted_node1700000035785")
AccelerometerTrusted_node1700000035785.setCatalogInfo(catalogDatabase="stedi_p4",catalogTableName="accelerometer_trusted")
AccelerometerTrusted_node1700000035785.setFormat("glueparquet", compression="snappy")
AccelerometerTrusted_node1700000035785.writeFrame(SqlQuery_node1700000034974)
job.commit()
