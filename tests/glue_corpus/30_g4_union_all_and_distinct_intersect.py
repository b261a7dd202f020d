import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue import DynamicFrame
import gs_derived

def sparkUnion(glueContext, unionType, mapping, transformation_ctx) -> DynamicFrame:
    for alias, frame in mapping.items():
        frame.toDF().createOrReplaceTempView(alias)
    result = spark.sql("(select * from source1) UNION " + unionType + " (select * from source2)")
    return DynamicFrame.fromDF(result, glueContext, transformation_ctx)

args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# Script generated for node Customer Landing
CustomerLanding_node1710000000301 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000301")

# Script generated for node Select Fields
SelectFields_node1710000000302 = SelectFields.apply(frame=CustomerLanding_node1710000000301, paths=["email", "serialNumber"], transformation_ctx="SelectFields_node1710000000302")

# Script generated for node Filter
Filter_node1710000000303 = Filter.apply(frame=SelectFields_node1710000000302, f=lambda row: (row["serialNumber"] == "sn-0" or row["serialNumber"] == "sn-1"), transformation_ctx="Filter_node1710000000303")

# Script generated for node Union
Union_node1710000000304 = sparkUnion(glueContext, unionType = "ALL", mapping = {"source1": SelectFields_node1710000000302, "source2": Filter_node1710000000303}, transformation_ctx = "Union_node1710000000304")

# Script generated for node Union Distinct
UnionDistinct_node1710000000305 = sparkUnion(glueContext, unionType = "DISTINCT", mapping = {"source1": SelectFields_node1710000000302, "source2": Filter_node1710000000303}, transformation_ctx = "UnionDistinct_node1710000000305")

# Script generated for node Intersect
Intersect_node1710000000306 = DynamicFrame.fromDF(SelectFields_node1710000000302.toDF().intersect(Filter_node1710000000303.toDF()), glueContext, "Intersect_node1710000000306")

# Script generated for node Mode All
ModeAll_node1710000000307 = Union_node1710000000304.gs_derived(colName="mode", expr="'all'")

# Script generated for node Mode Distinct
ModeDistinct_node1710000000308 = UnionDistinct_node1710000000305.gs_derived(colName="mode", expr="'distinct'")

# Script generated for node Mode Intersect
ModeIntersect_node1710000000309 = Intersect_node1710000000306.gs_derived(colName="mode", expr="'intersect'")

# Script generated for node Union Modes
UnionModes_node1710000000310 = sparkUnion(glueContext, unionType = "ALL", mapping = {"source1": ModeAll_node1710000000307, "source2": ModeDistinct_node1710000000308}, transformation_ctx = "UnionModes_node1710000000310")

# Script generated for node Union All Modes
UnionAllModes_node1710000000311 = sparkUnion(glueContext, unionType = "ALL", mapping = {"source1": UnionModes_node1710000000310, "source2": ModeIntersect_node1710000000309}, transformation_ctx = "UnionAllModes_node1710000000311")

# Script generated for node Amazon S3
AmazonS3_node1710000000312 = glueContext.write_dynamic_frame.from_options(frame=UnionAllModes_node1710000000311, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g4_union_all_and_distinct_intersect/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000312")

job.commit()
