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

# Script generated for node Purge Step Trainer Trusted
def MyTransform(glueContext, dfc) -> DynamicFrameCollection:
    # The S3 target only adds files: empty it first so a re-run replaces the table.
    # retentionPeriod 0 hours: the default (168) keeps every file younger than 7 days.
    glueContext.purge_s3_path("s3://stedi-lake-house/step_trainer/trusted/", {"retentionPeriod": 0})
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

# Script generated for node Step Trainer Landing
StepTrainerLanding_node1720089323457 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://stedi-lake-house/step_trainer/landing/"], "recurse": True}, transformation_ctx="StepTrainerLanding_node1720089323457")

# Script generated for node Customer Curated
CustomerCurated_node1720089324268 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_curated", transformation_ctx="CustomerCurated_node1720089324268")

# Script generated for node Join Customer Curated
SqlQuery0 = '''
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject
from step_trainer_landing s
inner join (select distinct serialNumber from customer_curated) c
  on s.serialNumber = c.serialNumber
'''
JoinCustomerCurated_node1720089325079 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_landing":StepTrainerLanding_node1720089323457, "customer_curated":CustomerCurated_node1720089324268}, transformation_ctx = "JoinCustomerCurated_node1720089325079")

# Script generated for node Purge Step Trainer Trusted
PurgeStepTrainerTrusted_node1720089325890 = MyTransform(glueContext, DynamicFrameCollection({"JoinCustomerCurated_node1720089325079": JoinCustomerCurated_node1720089325079}, glueContext))

# Script generated for node Select From Collection
SelectFromCollection_node1720089326701 = SelectFromCollection.apply(dfc=PurgeStepTrainerTrusted_node1720089325890, key=list(PurgeStepTrainerTrusted_node1720089325890.keys())[0], transformation_ctx="SelectFromCollection_node1720089326701")

# Script generated for node Step Trainer Trusted
EvaluateDataQuality().process_rows(frame=SelectFromCollection_node1720089326701, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1720089328323", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
StepTrainerTrusted_node1720089327512 = glueContext.getSink(path="s3://stedi-lake-house/step_trainer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="StepTrainerTrusted_node1720089327512")
StepTrainerTrusted_node1720089327512.setCatalogInfo(catalogDatabase="stedi",catalogTableName="step_trainer_trusted")
StepTrainerTrusted_node1720089327512.setFormat("glueparquet", compression="snappy")
StepTrainerTrusted_node1720089327512.writeFrame(SelectFromCollection_node1720089326701)
job.commit()