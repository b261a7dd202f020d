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
StepTrainerLanding_node1720449323457 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://stedi-lake-house/step_trainer/landing/"], "recurse": True}, transformation_ctx="StepTrainerLanding_node1720449323457")

# Script generated for node Customer Landing
CustomerLanding_node1720449324268 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://stedi-lake-house/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1720449324268")

# Script generated for node Customer Curated
CustomerCurated_node1720449325079 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_curated", transformation_ctx="CustomerCurated_node1720449325079")

# Script generated for node Owned Readings After Consent
SqlQuery0 = '''
with device_owner as (
  -- a device is attributed only when every customer record carrying it has the same email
  select serialNumber, max(email) as email
  from customer_landing
  group by serialNumber
  having count(distinct email) = 1 and count(email) = count(*)
),
consent as (
  select email, max(shareWithResearchAsOfDate) as consent_from
  from customer_curated
  group by email
)
select s.sensorReadingTime, s.serialNumber, s.distanceFromObject
from step_trainer_landing s
inner join device_owner d on s.serialNumber = d.serialNumber
inner join consent c on d.email = c.email
where s.sensorReadingTime >= c.consent_from
'''
OwnedReadingsAfterConsent_node1720449325890 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"step_trainer_landing":StepTrainerLanding_node1720449323457, "customer_landing":CustomerLanding_node1720449324268, "customer_curated":CustomerCurated_node1720449325079}, transformation_ctx = "OwnedReadingsAfterConsent_node1720449325890")

# Script generated for node Purge Step Trainer Trusted
PurgeStepTrainerTrusted_node1720449326701 = MyTransform(glueContext, DynamicFrameCollection({"OwnedReadingsAfterConsent_node1720449325890": OwnedReadingsAfterConsent_node1720449325890}, glueContext))

# Script generated for node Select From Collection
SelectFromCollection_node1720449327512 = SelectFromCollection.apply(dfc=PurgeStepTrainerTrusted_node1720449326701, key=list(PurgeStepTrainerTrusted_node1720449326701.keys())[0], transformation_ctx="SelectFromCollection_node1720449327512")

# Script generated for node Step Trainer Trusted
EvaluateDataQuality().process_rows(frame=SelectFromCollection_node1720449327512, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1720449329134", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
StepTrainerTrusted_node1720449328323 = glueContext.getSink(path="s3://stedi-lake-house/step_trainer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="StepTrainerTrusted_node1720449328323")
StepTrainerTrusted_node1720449328323.setCatalogInfo(catalogDatabase="stedi",catalogTableName="step_trainer_trusted")
StepTrainerTrusted_node1720449328323.setFormat("glueparquet", compression="snappy")
StepTrainerTrusted_node1720449328323.writeFrame(SelectFromCollection_node1720449327512)
job.commit()