import sys
import re
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

# Script generated for node Customer Landing
CustomerLanding_node1690000000101 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True},
    transformation_ctx="CustomerLanding_node1690000000101",
)

# Script generated for node Filter
Filter_node1690000000102 = Filter.apply(
    frame=CustomerLanding_node1690000000101,
    f=lambda row: (bool(re.match("^[a-e]", row["email"]))),
    transformation_ctx="Filter_node1690000000102",
)

# Script generated for node Amazon S3
AmazonS3_node1690000000103 = glueContext.write_dynamic_frame.from_options(
    frame=Filter_node1690000000102,
    connection_type="s3",
    format="json",
    connection_options={"path": "s3://corpus-lake/out/g4_filter_regex/", "partitionKeys": []},
    transformation_ctx="AmazonS3_node1690000000103",
)

job.commit()
