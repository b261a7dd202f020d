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


# Script generated for node Step Trainer Trusted
StepTrainerTrusted_node1700000027675 = glueContext.create_dynamic_frame.from_catalog(database="stedi-lake-db", table_name="step_trainer_trusted", transformation_ctx="StepTrainerTrusted_node1700000027675")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1700000028486 = glueContext.create_dynamic_frame.from_catalog(database="stedi-lake-db", table_name="accelerometer_trusted", transformation_ctx="AccelerometerTrusted_node1700000028486")

# Script generated for node SQL Query
SqlQuery0 = '''
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject, a.user, a.timestamp, a.x, a.y, a.z
from step_trainer_trusted s
inner join accelerometer_trusted a on s.sensorReadingTime = a.timestamp
'''
SqlQuery_node1700000029297 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_trusted":StepTrainerTrusted_node1700000027675, "accelerometer_trusted":AccelerometerTrusted_node1700000028486}, transformation_ctx = "SqlQuery_node1700000029297")

# Script generated for node Machine Learning Curated
MachineLearningCurated_node1700000030108 = glueContext.write_dynamic_frame.from_catalog(frame=SqlQuery_node1700000029297, database="stedi-lake-db", table_name="machine_learning_curated", transformation_ctx="MachineLearningCurated_node1700000030108")
job.commit()
