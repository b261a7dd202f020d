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


# Script generated for node Step Trainer Trusted
StepTrainerTrusted_node1710000027675 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": [args['LAKE'] + "/step_trainer/trusted/"], "recurse": True}, transformation_ctx="StepTrainerTrusted_node1710000027675")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1710000028486 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": [args['LAKE'] + "/accelerometer/trusted/"], "recurse": True}, transformation_ctx="AccelerometerTrusted_node1710000028486")

# Script generated for node Readings At Same Time
SqlQuery0 = '''
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject, a.user, a.timestamp, a.x, a.y, a.z
from step_trainer_trusted s
inner join accelerometer_trusted a on s.sensorReadingTime = a.timestamp
'''
ReadingsAtSameTime_node1710000029297 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_trusted":StepTrainerTrusted_node1710000027675, "accelerometer_trusted":AccelerometerTrusted_node1710000028486}, transformation_ctx = "ReadingsAtSameTime_node1710000029297")

# Script generated for node Machine Learning Curated
MachineLearningCurated_node1710000030108 = glueContext.write_dynamic_frame.from_options(frame=ReadingsAtSameTime_node1710000029297, connection_type="s3", format="glueparquet", connection_options={"path": args['LAKE'] + "/ml/curated/", "partitionKeys": []}, format_options={"compression": "zstd"}, transformation_ctx="MachineLearningCurated_node1710000030108")
job.commit()
