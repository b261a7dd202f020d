import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import gs_regex_extract
import gs_split
import gs_array_to_cols
import gs_explode

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Customer Landing
CustomerLanding_node1710000000251 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000251")

# Script generated for node Regex Extractor
RegexExtractor_node1710000000252 = CustomerLanding_node1710000000251.gs_regex_extract(colName="email", regex="^([^@]+)@(.+)$", newCols="mailbox, domain")

# Script generated for node Split String
SplitString_node1710000000253 = RegexExtractor_node1710000000252.gs_split(colName="birthDay", pattern="-", newColName="birth_parts")

# Script generated for node Array To Columns
ArrayToColumns_node1710000000254 = SplitString_node1710000000253.gs_array_to_cols(colName="birth_parts", colList="birth_year, birth_month, birth_day")

# Script generated for node Explode Array Or Map Into Rows
ExplodeArrayOrMapIntoRows_node1710000000255 = ArrayToColumns_node1710000000254.gs_explode(colName="birth_parts", newCol="birth_part")

# Script generated for node Select Fields
SelectFields_node1710000000256 = SelectFields.apply(frame=ExplodeArrayOrMapIntoRows_node1710000000255, paths=["email", "mailbox", "domain", "birth_year", "birth_month", "birth_day", "birth_part"], transformation_ctx="SelectFields_node1710000000256")

# Script generated for node Amazon S3
AmazonS3_node1710000000257 = glueContext.write_dynamic_frame.from_options(frame=SelectFields_node1710000000256, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g4_regex_split_array_to_columns_explode/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000257")

job.commit()
