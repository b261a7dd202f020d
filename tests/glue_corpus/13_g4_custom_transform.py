import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrame
from pyspark.sql import functions as SqlFuncs
from awsglue.dynamicframe import DynamicFrameCollection


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


# Script generated for node Custom Transform
def MyTransform(glueContext, dfc) -> DynamicFrameCollection:
    from pyspark.sql import functions as F

    df = dfc.select(list(dfc.keys())[0]).toDF()
    out = df.withColumn("magnitude", F.sqrt(F.col("x") * F.col("x") + F.col("y") * F.col("y")))
    return DynamicFrameCollection(
        {"CustomTransform0": DynamicFrame.fromDF(out, glueContext, "CustomTransform0")},
        glueContext,
    )


args = getResolvedOptions(sys.argv, ["JOB_NAME"])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args["JOB_NAME"], args)

# Script generated for node Accelerometer Landing
AccelerometerLanding_node1690000000081 = glueContext.create_dynamic_frame.from_options(
    format_options={"multiline": False},
    connection_type="s3",
    format="json",
    connection_options={"paths": ["s3://corpus-lake/accelerometer/landing/"], "recurse": True},
    transformation_ctx="AccelerometerLanding_node1690000000081",
)

# Script generated for node Custom Transform
CustomTransform_node1690000000082 = MyTransform(
    glueContext,
    DynamicFrameCollection(
        {"AccelerometerLanding_node1690000000081": AccelerometerLanding_node1690000000081},
        glueContext,
    ),
)

# Script generated for node Select From Collection
SelectFromCollection_node1690000000083 = SelectFromCollection.apply(
    dfc=CustomTransform_node1690000000082,
    key=list(CustomTransform_node1690000000082.keys())[0],
    transformation_ctx="SelectFromCollection_node1690000000083",
)

# Script generated for node Amazon S3
AmazonS3_node1690000000084 = glueContext.write_dynamic_frame.from_options(
    frame=SelectFromCollection_node1690000000083,
    connection_type="s3",
    format="json",
    connection_options={"path": "s3://corpus-lake/out/g4_custom_transform/", "partitionKeys": []},
    transformation_ctx="AmazonS3_node1690000000084",
)

job.commit()
