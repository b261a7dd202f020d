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


# Script generated for node Step Trainer Landing
StepTrainerLanding_node1710000039840 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="step_trainer_landing", transformation_ctx="StepTrainerLanding_node1710000039840")

# Script generated for node Customer Curated
CustomerCurated_node1710000040651 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_curated", transformation_ctx="CustomerCurated_node1710000040651")

# Script generated for node Curated Devices
SqlQuery0 = '''
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject
from step_trainer_landing s
inner join (select distinct serialNumber from customer_curated) c
  on s.serialNumber = c.serialNumber
'''
CuratedDevices_node1710000041462 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_landing":StepTrainerLanding_node1710000039840, "customer_curated":CustomerCurated_node1710000040651}, transformation_ctx = "CuratedDevices_node1710000041462")

# Script generated for node Step Trainer Trusted
StepTrainerTrusted_node1710000042273 = glueContext.getSink(path="s3://p9-stedi-lake/step_trainer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="StepTrainerTrusted_node1710000042273")
StepTrainerTrusted_node1710000042273.setCatalogInfo(catalogDatabase="stedi",catalogTableName="step_trainer_trusted")
StepTrainerTrusted_node1710000042273.setFormat("json")
StepTrainerTrusted_node1710000042273.writeFrame(CuratedDevices_node1710000041462)
job.commit()
