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
StepTrainerTrusted_node1710000043084 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="step_trainer_trusted", transformation_ctx="StepTrainerTrusted_node1710000043084")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000043895 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_trusted", transformation_ctx="AccelerometerTrusted_node1710000043895")

# Script generated for node Readings At Same Time
SqlQuery0 = '''
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject, a.user, a.timestamp, a.x, a.y, a.z
from step_trainer_trusted s
inner join accelerometer_trusted a on s.sensorReadingTime = a.timestamp
'''
ReadingsAtSameTime_node1710000044706 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_trusted":StepTrainerTrusted_node1710000043084, "accelerometer_trusted":AccelerometerTrusted_node1710000043895}, transformation_ctx = "ReadingsAtSameTime_node1710000044706")

# Script generated for node Machine Learning Curated
MachineLearningCurated_node1710000045517 = glueContext.getSink(path="s3://p9-stedi-lake/ml/curated/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="MachineLearningCurated_node1710000045517")
MachineLearningCurated_node1710000045517.setCatalogInfo(catalogDatabase="stedi",catalogTableName="machine_learning_curated")
MachineLearningCurated_node1710000045517.setFormat("json")
MachineLearningCurated_node1710000045517.writeFrame(ReadingsAtSameTime_node1710000044706)
job.commit()
