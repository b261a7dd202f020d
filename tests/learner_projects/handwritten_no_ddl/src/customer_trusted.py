import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

BUCKET = "s3://p3-stedi-bucket"


def main():
    args = getResolvedOptions(sys.argv, ["JOB_NAME"])
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    # Landing table made by a crawler on AWS (no DDL committed)
    customers = glue_context.create_dynamic_frame.from_catalog(
        database="stedidb", table_name="customer_landing"
    )
    # Keep only customers who agreed to share their data for research
    trusted = Filter.apply(
        frame=customers, f=lambda row: row["shareWithResearchAsOfDate"] is not None
    )
    glue_context.write_dynamic_frame.from_options(
        frame=trusted,
        connection_type="s3",
        connection_options={"path": f"{BUCKET}/customer/trusted/"},
        format="json",
    )
    job.commit()


main()
