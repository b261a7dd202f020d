import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrame
from pyspark.sql import functions as SqlFuncs


def sparkSqlQuery(glueContext, query, mapping, transformation_ctx) -> DynamicFrame:
    for alias, frame in mapping.items():
        frame.toDF().createOrReplaceTempView(alias)
    result = spark.sql(query)
    return DynamicFrame.fromDF(result, glueContext, transformation_ctx)


def sparkAggregate(
    glueContext, parentFrame, groups, aggs, transformation_ctx
) -> DynamicFrame:
    aggsFuncs = []
    for column, func in aggs:
        aggsFuncs.append(getattr(SqlFuncs, func)(column))
    result = (
        parentFrame.toDF().groupBy(*groups).agg(*aggsFuncs)
        if len(groups) > 0
        else parentFrame.toDF().agg(*aggsFuncs)
    )
    return DynamicFrame.fromDF(result, glueContext, transformation_ctx)


args = getResolvedOptions(sys.argv, ["JOB_NAME"])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args["JOB_NAME"], args)

# Script generated for node Step Trainer Landing
StepTrainerLanding_node1690000000041 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/step_trainer/landing/"], "recurse": True},
    transformation_ctx="StepTrainerLanding_node1690000000041",
)

# Script generated for node Drop Duplicates
DropDuplicates_node1690000000042 = DynamicFrame.fromDF(
    StepTrainerLanding_node1690000000041.toDF().dropDuplicates(),
    glueContext,
    "DropDuplicates_node1690000000042",
)

# Script generated for node Amazon S3
AmazonS3_node1683000000009 = glueContext.getSink(
    path="s3://corpus-lake/out/g4_drop_duplicates_json_gzip/",
    connection_type="s3",
    updateBehavior="UPDATE_IN_DATABASE",
    partitionKeys=[],
    compression="gzip",
    enableUpdateCatalog=True,
    transformation_ctx="AmazonS3_node1683000000009",
)
AmazonS3_node1683000000009.setCatalogInfo(catalogDatabase="stedi", catalogTableName="step_trainer_c9")
AmazonS3_node1683000000009.setFormat("json")
AmazonS3_node1683000000009.writeFrame(DropDuplicates_node1690000000042)
job.commit()
