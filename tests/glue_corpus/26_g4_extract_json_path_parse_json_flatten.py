import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrame
import gs_extract_json_path
import gs_parse_json
import gs_flatten

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
CustomerLanding_node1710000000261 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000261")

# Script generated for node SQL Query
SqlQuery0 = '''
select email, to_json(named_struct('serial', serialNumber, 'dates', named_struct('reg', registrationDate, 'upd', lastUpdateDate))) as doc from myDataSource
'''
SQLQuery_node1710000000262 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"myDataSource":CustomerLanding_node1710000000261}, transformation_ctx = "SQLQuery_node1710000000262")

# Script generated for node Extract JSON Path
ExtractJSONPath_node1710000000263 = SQLQuery_node1710000000262.gs_extract_json_path(colName="doc", paths="serial, $.dates.reg", newCols="serial_text, reg_text")

# Script generated for node Parse JSON Column
ParseJSONColumn_node1710000000264 = ExtractJSONPath_node1710000000263.gs_parse_json(colName="doc")

# Script generated for node Flatten
Flatten_node1710000000265 = ParseJSONColumn_node1710000000264.gs_flatten(maxLevels=0, separator="_")

# Script generated for node Amazon S3
AmazonS3_node1710000000266 = glueContext.write_dynamic_frame.from_options(frame=Flatten_node1710000000265, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g4_extract_json_path_parse_json_flatten/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000266")

job.commit()
