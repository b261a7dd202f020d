import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue import DynamicFrame

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


# Script generated for node Customer Landing
CustomerLanding_node1700000015510 = glueContext.create_dynamic_frame.from_catalog(database="stedi-lake-db", table_name="customer_landing", transformation_ctx="CustomerLanding_node1700000015510")

# Script generated for node SQL Query
SqlQuery0 = '''
select * from customer_landing where shareWithResearchAsOfDate is not null
'''
SqlQuery_node1700000016321 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_landing":CustomerLanding_node1700000015510}, transformation_ctx = "SqlQuery_node1700000016321")

# Script generated for node Customer Trusted
CustomerTrusted_node1700000017132 = glueContext.write_dynamic_frame.from_catalog(frame=SqlQuery_node1700000016321, database="stedi-lake-db", table_name="customer_trusted", transformation_ctx="CustomerTrusted_node1700000017132")
job.commit()
