import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrame
import gs_pivot
import gs_unpivot

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

# Script generated for node Step Trainer Landing
StepTrainerLanding_node1710000000271 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/step_trainer/landing/"], "recurse": True}, transformation_ctx="StepTrainerLanding_node1710000000271")

# Script generated for node SQL Query
SqlQuery0 = '''
select serialNumber, case when distanceFromObject > 210 then 'far' else 'near' end as band, distanceFromObject from myDataSource
'''
SQLQuery_node1710000000272 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"myDataSource":StepTrainerLanding_node1710000000271}, transformation_ctx = "SQLQuery_node1710000000272")

# Script generated for node Pivot Rows Into Columns
PivotRowsIntoColumns_node1710000000273 = SQLQuery_node1710000000272.gs_pivot(aggCol="distanceFromObject", aggFunction="max", colList=["band"])

# Script generated for node Unpivot Columns To Rows
UnpivotColumnsToRows_node1710000000274 = PivotRowsIntoColumns_node1710000000273.gs_unpivot(colList="far, near", unpivotColName="band", unpivotColValue="max_distance")

# Script generated for node Amazon S3
AmazonS3_node1710000000275 = glueContext.write_dynamic_frame.from_options(frame=UnpivotColumnsToRows_node1710000000274, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g5_pivot_and_unpivot/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000275")

job.commit()
