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


# Script generated for node Step Trainer Landing
StepTrainerLanding_node1710000024431 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": [args['LAKE'] + "/step_trainer/landing/"], "recurse": True}, transformation_ctx="StepTrainerLanding_node1710000024431")

# Script generated for node Customer Curated
CustomerCurated_node1710000025242 = glueContext.create_dynamic_frame.from_options(format_options={"quoteChar": "\"", "withHeader": True, "separator": ","}, connection_type="s3", format="csv", connection_options={"paths": [args['LAKE'] + "/customer/curated/"], "recurse": True}, transformation_ctx="CustomerCurated_node1710000025242")

# Script generated for node Curated Devices
SqlQuery0 = '''
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject
from step_trainer_landing s
inner join (select distinct serialNumber from customer_curated) c
  on s.serialNumber = c.serialNumber
'''
CuratedDevices_node1710000026053 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_landing":StepTrainerLanding_node1710000024431, "customer_curated":CustomerCurated_node1710000025242}, transformation_ctx = "CuratedDevices_node1710000026053")

# Script generated for node Step Trainer Trusted
StepTrainerTrusted_node1710000026864 = glueContext.write_dynamic_frame.from_catalog(frame=CuratedDevices_node1710000026053, database="stedi_p8", table_name="step_trainer_trusted", transformation_ctx="StepTrainerTrusted_node1710000026864")
job.commit()
