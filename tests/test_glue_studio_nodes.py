"""Code that Glue Studio generates for its visual nodes runs unchanged on this runtime.

The snippets below are the shapes Glue Studio emits (script header, sparkSqlQuery helper,
Drop Null Fields helper walking `frame.schema()` with awsglue.gluetypes, CustomCode
nodes taking a DynamicFrameCollection, S3 sources and a catalog-updating sink).
"""

from __future__ import annotations

import json
import textwrap

import pytest

BUCKET = "stedi-lake-house"

SCRIPT = textwrap.dedent(
    '''
    import sys
    from awsglue.transforms import *
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.gluetypes import *
    from awsglue.dynamicframe import DynamicFrameCollection
    from awsglue import DynamicFrame

    def _find_null_fields(ctx, schema, path, output, nullStringSet, nullIntegerSet, frame):
        if isinstance(schema, StructType):
            for field in schema:
                new_path = path + "." if path != "" else path
                output = _find_null_fields(ctx, field.dataType, new_path + field.name, output, nullStringSet, nullIntegerSet, frame)
        elif isinstance(schema, ArrayType):
            if isinstance(schema.elementType, StructType):
                output = _find_null_fields(ctx, schema.elementType, path, output, nullStringSet, nullIntegerSet, frame)
        elif isinstance(schema, NullType):
            output.append(path)
        else:
            x, distinct_set = frame.toDF(), set()
            for i in x.select(path).distinct().collect():
                distinct_ = i[path.split('.')[-1]]
                if isinstance(distinct_, list):
                    distinct_set |= set([item.strip() if isinstance(item, str) else item for item in distinct_])
                elif isinstance(distinct_, str) :
                    distinct_set.add(distinct_.strip())
                else:
                    distinct_set.add(distinct_)
            if isinstance(schema, StringType):
                if distinct_set.issubset(nullStringSet):
                    output.append(path)
            elif isinstance(schema, IntegerType) or isinstance(schema, LongType) or isinstance(schema, DoubleType):
                if distinct_set.issubset(nullIntegerSet):
                    output.append(path)
        return output

    def drop_nulls(glueContext, frame, nullStringSet, nullIntegerSet, transformation_ctx) -> DynamicFrame:
        nullColumns = _find_null_fields(frame.glue_ctx, frame.schema(), "", [], nullStringSet, nullIntegerSet, frame)
        return DropFields.apply(frame=frame, paths=nullColumns, transformation_ctx=transformation_ctx)

    # Script generated for node Purge
    def MyTransform(glueContext, dfc) -> DynamicFrameCollection:
        glueContext.purge_s3_path("s3://stedi-lake-house/customer/trusted/", {"retentionPeriod": 0})
        return dfc
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
    CustomerLanding_node1 = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://stedi-lake-house/customer/landing/"], "recurse": True}, transformation_ctx="CustomerLanding_node1")

    # Script generated for node Drop Null Fields
    DropNullFields_node2 = drop_nulls(glueContext, frame=CustomerLanding_node1, nullStringSet={"", "null"}, nullIntegerSet={-1}, transformation_ctx="DropNullFields_node2")

    # Script generated for node Privacy Filter
    PrivacyFilter_node3 = Filter.apply(frame=DropNullFields_node2, f=lambda row: (row["shareWithResearchAsOfDate"] > 0), transformation_ctx="PrivacyFilter_node3")

    # Script generated for node Share With Research
    SqlQuery0 = """
    select * from myDataSource
    """
    ShareWithResearch_node4 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"myDataSource":PrivacyFilter_node3}, transformation_ctx = "ShareWithResearch_node4")

    # Script generated for node Purge
    Purge_node5 = MyTransform(glueContext, DynamicFrameCollection({"ShareWithResearch_node4": ShareWithResearch_node4}, glueContext))

    # Script generated for node Select From Collection
    SelectFromCollection_node6 = SelectFromCollection.apply(dfc=Purge_node5, key=list(Purge_node5.keys())[0], transformation_ctx="SelectFromCollection_node6")

    # Script generated for node Customer Trusted
    CustomerTrusted_node7 = glueContext.getSink(path="s3://stedi-lake-house/customer/trusted/", connection_type="s3", updateBehavior="UPDATE_IN_DATABASE", partitionKeys=[], enableUpdateCatalog=True, transformation_ctx="CustomerTrusted_node7")
    CustomerTrusted_node7.setCatalogInfo(catalogDatabase="stedi",catalogTableName="customer_trusted")
    CustomerTrusted_node7.setFormat("glueparquet", compression="snappy")
    CustomerTrusted_node7.writeFrame(SelectFromCollection_node6)
    job.commit()
    '''
)

CUSTOMERS = [
    {
        "email": "a@x",
        "shareWithResearchAsOfDate": 1655564376361,
        "blank": "",
        "phone": "8015551212",
    },
    {"email": "b@x", "shareWithResearchAsOfDate": None, "blank": "null", "phone": "8015551212"},
    {"email": "c@x", "blank": "", "phone": "8015551212"},
    {
        "email": "d@x",
        "shareWithResearchAsOfDate": 1655564376362,
        "blank": " ",
        "phone": "8015551212",
    },
]


@pytest.fixture
def studio_run(spark, lake, tmp_path):
    from localglue.catalog import Catalog
    from localglue.runner import run_script

    Catalog(lake).ensure_database("stedi")  # sinks create tables, not databases
    landing = lake.root / BUCKET / "customer" / "landing"
    landing.mkdir(parents=True)
    (landing / "customer-1.json").write_text("".join(json.dumps(c) + "\n" for c in CUSTOMERS))
    script = tmp_path / "customer_landing_to_trusted.py"
    script.write_text(SCRIPT)

    def run():
        return run_script(script, ["--JOB_NAME", "customer_landing_to_trusted"], lake, spark)

    return run


def test_a_generated_studio_script_runs_unchanged_and_updates_the_catalog(studio_run, lake):
    from localglue.catalog import Catalog, table_columns

    result = studio_run()
    assert result.ok, result.traceback
    assert result.rows_written == {"stedi.customer_trusted": 2}
    columns = [
        name for name, _ in table_columns(Catalog(lake).get_table("stedi", "customer_trusted"))
    ]
    # Drop Null Fields removed the all-"null"/"" field; the Filter dropped null and missing consent.
    assert columns == ["email", "sharewithresearchasofdate", "phone"]


def test_rerunning_the_script_with_its_purge_node_does_not_duplicate_rows(studio_run, spark, lake):
    assert studio_run().ok
    again = studio_run()
    assert again.ok, again.traceback
    local = lake.local_path(f"s3://{BUCKET}/customer/trusted/")
    assert spark.read.parquet(local).count() == 2
