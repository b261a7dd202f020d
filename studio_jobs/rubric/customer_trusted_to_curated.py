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

# Script generated for node Purge Customer Curated
def MyTransform(glueContext, dfc) -> DynamicFrameCollection:
    # The S3 target only adds files: empty it first so a re-run replaces the table.
    # retentionPeriod 0 hours: the default (168) keeps every file younger than 7 days.
    glueContext.purge_s3_path("s3://stedi-lake-house/customer/curated/", {"retentionPeriod": 0})
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

# Script generated for node Customer Trusted
CustomerTrusted_node1720002923457 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_trusted", transformation_ctx="CustomerTrusted_node1720002923457")

# Script generated for node Accelerometer Trusted
AccelerometerTrusted_node1720002924268 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="accelerometer_trusted", transformation_ctx="AccelerometerTrusted_node1720002924268")

# Script generated for node Customers With Readings
SqlQuery0 = '''
select distinct c.*
from customer_trusted c
inner join accelerometer_trusted a on c.email = a.user
'''
CustomersWithReadings_node1720002925079 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_trusted":CustomerTrusted_node1720002923457, "accelerometer_trusted":AccelerometerTrusted_node1720002924268}, transformation_ctx = "CustomersWithReadings_node1720002925079")

# Script generated for node Purge Customer Curated
PurgeCustomerCurated_node1720002925890 = MyTransform(glueContext, DynamicFrameCollection({"CustomersWithReadings_node1720002925079": CustomersWithReadings_node1720002925079}, glueContext))

# Script generated for node Select From Collection
SelectFromCollection_node1720002926701 = SelectFromCollection.apply(dfc=PurgeCustomerCurated_node1720002925890, key=list(PurgeCustomerCurated_node1720002925890.keys())[0], transformation_ctx="SelectFromCollection_node1720002926701")

# Script generated for node Customer Curated
EvaluateDataQuality().process_rows(frame=SelectFromCollection_node1720002926701, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1720002928323", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
CustomerCurated_node1720002927512 = glueContext.getSink(path="s3://stedi-lake-house/customer/curated/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="CustomerCurated_node1720002927512")
CustomerCurated_node1720002927512.setCatalogInfo(catalogDatabase="stedi",catalogTableName="customer_curated")
CustomerCurated_node1720002927512.setFormat("glueparquet", compression="snappy")
CustomerCurated_node1720002927512.writeFrame(SelectFromCollection_node1720002926701)
job.commit()