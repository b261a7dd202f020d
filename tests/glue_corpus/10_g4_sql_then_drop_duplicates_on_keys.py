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

# Script generated for node Customer Landing
CustomerLanding_node1690000000051 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True},
    transformation_ctx="CustomerLanding_node1690000000051",
)

# Script generated for node SQL Query
SqlQuery0 = """
select email, serialNumber from myDataSource
"""
SQLQuery_node1690000000052 = sparkSqlQuery(
    glueContext,
    query=SqlQuery0,
    mapping={"myDataSource": CustomerLanding_node1690000000051},
    transformation_ctx="SQLQuery_node1690000000052",
)

# Script generated for node Drop Duplicates
DropDuplicates_node1690000000053 = DynamicFrame.fromDF(
    SQLQuery_node1690000000052.toDF().dropDuplicates(["email"]),
    glueContext,
    "DropDuplicates_node1690000000053",
)

# Script generated for node Amazon S3
AmazonS3_node1690000000054 = glueContext.write_dynamic_frame.from_options(
    frame=DropDuplicates_node1690000000053,
    connection_type="s3",
    format="json",
    connection_options={"path": "s3://corpus-lake/out/g4_sql_then_drop_duplicates_on_keys/", "partitionKeys": []},
    transformation_ctx="AmazonS3_node1690000000054",
)

job.commit()
