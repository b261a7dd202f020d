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
CustomerLanding_node1700000000101 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://stedi-lakehouse-p1/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1700000000101")

# Script generated for node SQL Query
SqlQuery0 = '''
select * from customer_landing where shareWithResearchAsOfDate is not null
'''
SqlQuery_node1700000000912 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_landing":CustomerLanding_node1700000000101}, transformation_ctx = "SqlQuery_node1700000000912")

# Script generated for node Customer Trusted
CustomerTrusted_node1700000001723 = glueContext.getSink(path="s3://stedi-lakehouse-p1/customer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="CustomerTrusted_node1700000001723")
CustomerTrusted_node1700000001723.setCatalogInfo(catalogDatabase="stedi",catalogTableName="customer_trusted")
CustomerTrusted_node1700000001723.setFormat("json")
CustomerTrusted_node1700000001723.writeFrame(SqlQuery_node1700000000912)
job.commit()
