import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsgluedq.transforms import EvaluateDataQuality
from awsglue import DynamicFrame
from awsglue.transforms import SelectFromCollection

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
AccelerometerLanding_node1745000000011 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/accelerometer/landing/"], "recurse": True}, transformation_ctx="AccelerometerLanding_node1745000000011")

# Script generated for node Evaluate Data Quality
EvaluateDataQuality_node1745000000012_ruleset = """
    # Example rules: Completeness "colA" between 0.4 and 0.8, ColumnCount > 10
    Rules = [
        ColumnValues "x" > 0
    ]
"""

EvaluateDataQuality_node1745000000012 = EvaluateDataQuality().process_rows(frame=AccelerometerLanding_node1745000000011, ruleset=EvaluateDataQuality_node1745000000012_ruleset, publishing_options={"dataQualityEvaluationContext": "EvaluateDataQuality_node1745000000012", "enableDataQualityResultsPublishing": True}, additional_options={"dataQualityResultsPublishing.strategy": "BEST_EFFORT", "observations.scope": "ALL", "performanceTuning.caching": "CACHE_NOTHING"})

# Script generated for node rowLevelOutcomes
rowLevelOutcomes_node1745000000013 = SelectFromCollection.apply(dfc=EvaluateDataQuality_node1745000000012, key="rowLevelOutcomes", transformation_ctx="rowLevelOutcomes_node1745000000013")

# Script generated for node Filter
Filter_node1745000000014 = Filter.apply(frame=rowLevelOutcomes_node1745000000013, f=lambda row: (row["DataQualityEvaluationResult"] == "Passed"), transformation_ctx="Filter_node1745000000014")

# Script generated for node Drop Fields
DropFields_node1745000000015 = DropFields.apply(frame=Filter_node1745000000014, paths=["DataQualityRulesPass", "DataQualityRulesFail", "DataQualityRulesSkip", "DataQualityEvaluationResult"], transformation_ctx="DropFields_node1745000000015")

# Script generated for node Amazon S3
AmazonS3_node1745000000009 = glueContext.getSink(path="s3://corpus-lake/out/g5_evaluate_data_quality_row_level/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="AmazonS3_node1745000000009")
AmazonS3_node1745000000009.setCatalogInfo(catalogDatabase="stedi",catalogTableName="accelerometer_positive_c14")
AmazonS3_node1745000000009.setFormat("json")
AmazonS3_node1745000000009.writeFrame(DropFields_node1745000000015)
job.commit()
