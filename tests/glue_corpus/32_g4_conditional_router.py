import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.dynamicframe import DynamicFrameCollection
from awsglue import DynamicFrame
import concurrent.futures
import re
import gs_derived

class GroupFilter:
      def __init__(self, name, filters):
        self.name = name
        self.filters = filters

def apply_group_filter(source_DyF, group):
    return(Filter.apply(frame = source_DyF, f = group.filters))

def threadedRoute(glue_ctx, source_DyF, group_filters) -> DynamicFrameCollection:
    dynamic_frames = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as executor:
        future_to_filter = {executor.submit(apply_group_filter, source_DyF, gf): gf for gf in group_filters}
        for future in concurrent.futures.as_completed(future_to_filter):
            gf = future_to_filter[future]
            if future.exception() is not None:
                print('%r generated an exception: %s' % (gf, future.exception()))
            else:
                dynamic_frames[gf.name] = future.result()
    return DynamicFrameCollection(dynamic_frames, glue_ctx)

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
CustomerLanding_node1710000000321 = glueContext.create_dynamic_frame.from_options(format_options={"multiline": False}, connection_type="s3", format="json", connection_options={"paths": ["s3://corpus-lake/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1710000000321")

# Script generated for node Conditional Router
ConditionalRouter_node1710000000322 = threadedRoute(glueContext,
  source_DyF = CustomerLanding_node1710000000321,
  group_filters = [GroupFilter(name = "consented", filters = lambda row: (row["shareWithResearchAsOfDate"] > 0)), GroupFilter(name = "serial_zero", filters = lambda row: (bool(re.match("sn-0", row["serialNumber"])))), GroupFilter(name = "default_group", filters = lambda row: (not(row["shareWithResearchAsOfDate"] > 0 or bool(re.match("sn-0", row["serialNumber"])))))])

# Script generated for node consented
consented_node1710000000323 = SelectFromCollection.apply(dfc=ConditionalRouter_node1710000000322, key="consented", transformation_ctx="consented_node1710000000323")

# Script generated for node serial_zero
serial_zero_node1710000000324 = SelectFromCollection.apply(dfc=ConditionalRouter_node1710000000322, key="serial_zero", transformation_ctx="serial_zero_node1710000000324")

# Script generated for node default_group
default_group_node1710000000325 = SelectFromCollection.apply(dfc=ConditionalRouter_node1710000000322, key="default_group", transformation_ctx="default_group_node1710000000325")

# Script generated for node Label consented
Labelconsented_node1710000000326 = SelectFields.apply(frame=consented_node1710000000323, paths=["email"], transformation_ctx="Labelconsented_node1710000000326").gs_derived(colName="route", expr="'consented'")

# Script generated for node Label serial_zero
Labelserial_zero_node1710000000327 = SelectFields.apply(frame=serial_zero_node1710000000324, paths=["email"], transformation_ctx="Labelserial_zero_node1710000000327").gs_derived(colName="route", expr="'serial_zero'")

# Script generated for node Label default_group
Labeldefault_group_node1710000000328 = SelectFields.apply(frame=default_group_node1710000000325, paths=["email"], transformation_ctx="Labeldefault_group_node1710000000328").gs_derived(colName="route", expr="'default_group'")

# Script generated for node Union
Union_node1710000000329 = sparkUnion(glueContext, unionType = "ALL", mapping = {"source1": Labelconsented_node1710000000326, "source2": Labelserial_zero_node1710000000327}, transformation_ctx = "Union_node1710000000329")

# Script generated for node Union Routes
UnionRoutes_node1710000000330 = sparkUnion(glueContext, unionType = "ALL", mapping = {"source1": Union_node1710000000329, "source2": Labeldefault_group_node1710000000328}, transformation_ctx = "UnionRoutes_node1710000000330")

# Script generated for node Amazon S3
AmazonS3_node1710000000331 = glueContext.write_dynamic_frame.from_options(frame=UnionRoutes_node1710000000330, connection_type="s3", format="json", connection_options={"path": "s3://corpus-lake/out/g4_conditional_router/", "partitionKeys": []}, transformation_ctx="AmazonS3_node1710000000331")

job.commit()
