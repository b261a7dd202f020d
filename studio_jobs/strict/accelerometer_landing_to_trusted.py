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

# Script generated for node Purge Accelerometer Trusted
def MyTransform(glueContext, dfc) -> DynamicFrameCollection:
    # The S3 target only adds files: empty it first so a re-run replaces the table.
    # retentionPeriod 0 hours: the default (168) keeps every file younger than 7 days.
    glueContext.purge_s3_path("s3://stedi-lake-house/accelerometer/trusted/", {"retentionPeriod": 0})
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

# Script generated for node Accelerometer Landing
AccelerometerLanding_node1720276523457 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://stedi-lake-house/accelerometer/landing/"], "recurse": True}, transformation_ctx="AccelerometerLanding_node1720276523457")

# Script generated for node Customer Trusted
CustomerTrusted_node1720276524268 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_trusted", transformation_ctx="CustomerTrusted_node1720276524268")

# Script generated for node Readings After Consent
SqlQuery0 = '''
select a.user, a.timestamp, a.x, a.y, a.z
from accelerometer_landing a
inner join (
  select email, max(shareWithResearchAsOfDate) as consent_from
  from customer_trusted
  group by email
) c on a.user = c.email
where a.timestamp >= c.consent_from
'''
ReadingsAfterConsent_node1720276525079 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"accelerometer_landing":AccelerometerLanding_node1720276523457, "customer_trusted":CustomerTrusted_node1720276524268}, transformation_ctx = "ReadingsAfterConsent_node1720276525079")

# Script generated for node Purge Accelerometer Trusted
PurgeAccelerometerTrusted_node1720276525890 = MyTransform(glueContext, DynamicFrameCollection({"ReadingsAfterConsent_node1720276525079": ReadingsAfterConsent_node1720276525079}, glueContext))

# Script generated for node Select From Collection
SelectFromCollection_node1720276526701 = SelectFromCollection.apply(dfc=PurgeAccelerometerTrusted_node1720276525890, key=list(PurgeAccelerometerTrusted_node1720276525890.keys())[0], transformation_ctx="SelectFromCollection_node1720276526701")

# Script generated for node Accelerometer Trusted
EvaluateDataQuality().process_rows(frame=SelectFromCollection_node1720276526701, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1720276528323", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
AccelerometerTrusted_node1720276527512 = glueContext.getSink(path="s3://stedi-lake-house/accelerometer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="AccelerometerTrusted_node1720276527512")
AccelerometerTrusted_node1720276527512.setCatalogInfo(catalogDatabase="stedi",catalogTableName="accelerometer_trusted")
AccelerometerTrusted_node1720276527512.setFormat("glueparquet", compression="snappy")
AccelerometerTrusted_node1720276527512.writeFrame(SelectFromCollection_node1720276526701)
job.commit()