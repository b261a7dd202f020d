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

# Script generated for node Purge Customer Trusted
def MyTransform(glueContext, dfc) -> DynamicFrameCollection:
    # The S3 target only adds files: empty it first so a re-run replaces the table.
    # retentionPeriod 0 hours: the default (168) keeps every file younger than 7 days.
    glueContext.purge_s3_path("s3://stedi-lake-house/customer/trusted/", {"retentionPeriod": 0})
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

# Script generated for node Customer Landing
CustomerLanding_node1719830123457 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://stedi-lake-house/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1719830123457")

# Script generated for node Share With Research
SqlQuery0 = '''
select * from customer_landing
where shareWithResearchAsOfDate is not null
'''
ShareWithResearch_node1719830124268 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_landing":CustomerLanding_node1719830123457}, transformation_ctx = "ShareWithResearch_node1719830124268")

# Script generated for node Purge Customer Trusted
PurgeCustomerTrusted_node1719830125079 = MyTransform(glueContext, DynamicFrameCollection({"ShareWithResearch_node1719830124268": ShareWithResearch_node1719830124268}, glueContext))

# Script generated for node Select From Collection
SelectFromCollection_node1719830125890 = SelectFromCollection.apply(dfc=PurgeCustomerTrusted_node1719830125079, key=list(PurgeCustomerTrusted_node1719830125079.keys())[0], transformation_ctx="SelectFromCollection_node1719830125890")

# Script generated for node Customer Trusted
EvaluateDataQuality().process_rows(frame=SelectFromCollection_node1719830125890, ruleset=DEFAULT_DATA_QUALITY_RULESET, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1719830127512", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL"})
CustomerTrusted_node1719830126701 = glueContext.getSink(path="s3://stedi-lake-house/customer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="CustomerTrusted_node1719830126701")
CustomerTrusted_node1719830126701.setCatalogInfo(catalogDatabase="stedi",catalogTableName="customer_trusted")
CustomerTrusted_node1719830126701.setFormat("glueparquet", compression="snappy")
CustomerTrusted_node1719830126701.writeFrame(SelectFromCollection_node1719830125890)
job.commit()