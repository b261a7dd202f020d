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

# Script generated for node Accelerometer Landing
AccelerometerLanding_node1690000000061 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/accelerometer/landing/"], "recurse": True},
    transformation_ctx="AccelerometerLanding_node1690000000061",
)

# Script generated for node Aggregate
Aggregate_node1690000000062 = sparkAggregate(
    glueContext,
    parentFrame=AccelerometerLanding_node1690000000061,
    groups=["user"],
    aggs=[["x", "avg"], ["y", "max"]],
    transformation_ctx="Aggregate_node1690000000062",
)

# Script generated for node Amazon S3
AmazonS3_node1690000000063 = glueContext.write_dynamic_frame.from_options(
    frame=Aggregate_node1690000000062,
    connection_type="s3",
    format="csv",
    connection_options={"path": "s3://corpus-lake/out/g4_aggregate_csv/", "partitionKeys": []},
    transformation_ctx="AmazonS3_node1690000000063",
)

job.commit()
