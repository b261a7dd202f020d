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
StepTrainerLanding_node1690000000011 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/step_trainer/landing/"], "recurse": True},
    transformation_ctx="StepTrainerLanding_node1690000000011",
)

# Script generated for node Customer Landing
CustomerLanding_node1690000000012 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True},
    transformation_ctx="CustomerLanding_node1690000000012",
)

# Script generated for node SQL Query
SqlQuery0 = """
select * from step_trainer s
join customer c on s.serialNumber = c.serialNumber
"""
SQLQuery_node1690000000013 = sparkSqlQuery(
    glueContext,
    query=SqlQuery0,
    mapping={
        "step_trainer": StepTrainerLanding_node1690000000011,
        "customer": CustomerLanding_node1690000000012,
    },
    transformation_ctx="SQLQuery_node1690000000013",
)

# Script generated for node Amazon S3
AmazonS3_node1683000000009 = glueContext.getSink(
    path="s3://corpus-lake/out/g4_sql_star_join_duplicate_names/",
    connection_type="s3",
    updateBehavior="UPDATE_IN_DATABASE",
    partitionKeys=[],
    enableUpdateCatalog=True,
    transformation_ctx="AmazonS3_node1683000000009",
)
AmazonS3_node1683000000009.setCatalogInfo(catalogDatabase="stedi", catalogTableName="step_customer_c3")
AmazonS3_node1683000000009.setFormat("json")
AmazonS3_node1683000000009.writeFrame(SQLQuery_node1690000000013)
job.commit()
