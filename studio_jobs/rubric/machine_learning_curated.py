import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrameCollection
from awsgluedq.transforms import EvaluateDataQuality
from awsglue.dynamicframe import DynamicFrame
from awsglue import DynamicFrame

# Script generated for node Purge Machine Learning Curated
def MyTransform(glueContext, dfc) -> DynamicFrameCollection:
    # The S3 target only adds files: empty it first so a re-run replaces the table.
    # retentionPeriod 0 hours: the default (168) keeps every file younger than 7 days.
    glueContext.purge_s3_path("s3://stedi-lake-house/step_trainer/curated/", {"retentionPeriod": 0})
    return dfc
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

# Default ruleset used by all target nodes with data quality enabled
DEFAULT_DATA_QUALITY_RULESET = """
    Rules = [
        ColumnCount > 0
    ]
"""

# Script generated for node Step Trainer Trusted
StepTrainerTrusted_node1720175723457 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="step_trainer_trusted", transformation_ctx="StepTrainerTrusted_node1720175723457")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1720175724268 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_trusted", transformation_ctx="AccelerometerTrusted_node1720175724268")

# Script generated for node Join On Reading Time
SqlQuery0 = '''
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject,
       a.user, a.timestamp, a.x, a.y, a.z
from step_trainer_trusted s
inner join accelerometer_trusted a on s.sensorReadingTime = a.timestamp
'''
JoinOnReadingTime_node1720175725079 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_trusted":StepTrainerTrusted_node1720175723457, "accelerometer_trusted":AccelerometerTrusted_node1720175724268}, transformation_ctx = "JoinOnReadingTime_node1720175725079")

# Script generated for node Purge Machine Learning Curated
PurgeMachineLearningCurated_node1720175725890 = MyTransform(glueContext, DynamicFrameCollection({"JoinOnReadingTime_node1720175725079": JoinOnReadingTime_node1720175725079}, glueContext))

# Script generated for node Select From Collection
SelectFromCollection_node1720175726701 = SelectFromCollection.apply(dfc=PurgeMachineLearningCurated_node1720175725890, key=list(PurgeMachineLearningCurated_node1720175725890.keys())[0], transformation_ctx="SelectFromCollection_node1720175726701")

# Script generated for node Machine Learning Curated
EvaluateDataQuality().process_rows(frame=SelectFromCollection_node1720175726701, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1720175728323", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
MachineLearningCurated_node1720175727512 = glueContext.getSink(path="s3://stedi-lake-house/step_trainer/curated/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="MachineLearningCurated_node1720175727512")
MachineLearningCurated_node1720175727512.setCatalogInfo(catalogDatabase="stedi",catalogTableName="machine_learning_curated")
MachineLearningCurated_node1720175727512.setFormat("glueparquet", compression="snappy")
MachineLearningCurated_node1720175727512.writeFrame(SelectFromCollection_node1720175726701)
job.commit()