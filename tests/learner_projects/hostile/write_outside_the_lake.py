import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import os
from localglue.lake import current
args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

from probing import TARGETS, probe


def write(path):
    with open(path, "w") as f:
        f.write("written by a learner's job\n")
    return "written"


for path in TARGETS["write"]:
    probe("write " + path, lambda: write(path))

# Leave things in the lake that would make a reader of the outputs read elsewhere, or hang.
trusted = current().local_path("s3://hostile-bucket/customer/trusted/")
probe("plant a link to the grader's secrets", lambda: os.symlink(TARGETS["read"][0], os.path.join(trusted, "part-99998-link.json")) or "planted")
probe("plant a FIFO", lambda: os.mkfifo(os.path.join(trusted, "part-99999-fifo.json")) or "planted")
job.commit()
