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
StepTrainerTrusted_node1720535723457 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="step_trainer_trusted", transformation_ctx="StepTrainerTrusted_node1720535723457")

# Script generated for node Customer Curated
CustomerCurated_node1720535724268 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_curated", transformation_ctx="CustomerCurated_node1720535724268")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1720535725079 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_trusted", transformation_ctx="AccelerometerTrusted_node1720535725079")

# Script generated for node Same Customer Same Time
SqlQuery0 = '''
with device_owner as (
  select serialNumber, max(email) as email
  from customer_curated
  group by serialNumber
  having count(distinct email) = 1
)
select s.sensorReadingTime, s.distanceFromObject, a.timestamp, a.x, a.y, a.z
from step_trainer_trusted s
inner join device_owner d on s.serialNumber = d.serialNumber
inner join accelerometer_trusted a
  on a.user = d.email and a.timestamp = s.sensorReadingTime
'''
SameCustomerSameTime_node1720535725890 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_trusted":StepTrainerTrusted_node1720535723457, "customer_curated":CustomerCurated_node1720535724268, "accelerometer_trusted":AccelerometerTrusted_node1720535725079}, transformation_ctx = "SameCustomerSameTime_node1720535725890")

# Script generated for node Purge Machine Learning Curated
PurgeMachineLearningCurated_node1720535726701 = MyTransform(glueContext, DynamicFrameCollection({"SameCustomerSameTime_node1720535725890": SameCustomerSameTime_node1720535725890}, glueContext))

# Script generated for node Select From Collection
SelectFromCollection_node1720535727512 = SelectFromCollection.apply(dfc=PurgeMachineLearningCurated_node1720535726701, key=list(PurgeMachineLearningCurated_node1720535726701.keys())[0], transformation_ctx="SelectFromCollection_node1720535727512")

# Script generated for node Machine Learning Curated
EvaluateDataQuality().process_rows(frame=SelectFromCollection_node1720535727512, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1720535729134", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
MachineLearningCurated_node1720535728323 = glueContext.getSink(path="s3://stedi-lake-house/step_trainer/curated/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="MachineLearningCurated_node1720535728323")
MachineLearningCurated_node1720535728323.setCatalogInfo(catalogDatabase="stedi",catalogTableName="machine_learning_curated")
MachineLearningCurated_node1720535728323.setFormat("glueparquet", compression="snappy")
MachineLearningCurated_node1720535728323.writeFrame(SelectFromCollection_node1720535727512)
job.commit()