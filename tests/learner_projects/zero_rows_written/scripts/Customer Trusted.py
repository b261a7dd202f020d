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
CustomerLanding_node1710000030919 = glueContext.create_dynamic_frame.from_catalog(database="stedi", table_name="customer_landing", transformation_ctx="CustomerLanding_node1710000030919")

# Script generated for node Consented
SqlQuery0 = '''
select * from customer_landing where sharewithresearchasofdate <> ''
'''
Consented_node1710000031730 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"customer_landing":CustomerLanding_node1710000030919}, transformation_ctx = "Consented_node1710000031730")

# Script generated for node Customer Trusted
CustomerTrusted_node1710000032541 = glueContext.getSink(path="s3://p9-stedi-lake/customer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="CustomerTrusted_node1710000032541")
CustomerTrusted_node1710000032541.setCatalogInfo(catalogDatabase="stedi",catalogTableName="customer_trusted")
CustomerTrusted_node1710000032541.setFormat("json")
CustomerTrusted_node1710000032541.writeFrame(Consented_node1710000031730)
job.commit()
