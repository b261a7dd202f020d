import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import os
import time
from localglue.lake import current
args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

from probing import TARGETS, probe

# A helper that outlives the job: it keeps a heartbeat in the lake and, every beat, tries to
# leave a mark outside it.
heartbeat = os.path.join(str(current().root), "heartbeat.txt")
if os.fork() == 0:
    os.setsid()
    while True:
        with open(heartbeat, "w") as f:
            f.write(str(time.time()))
        for path in TARGETS["write"]:
            try:
                with open(path + ".daemon", "w") as f:
                    f.write("left by a daemon\n")
            except OSError:
                pass
        time.sleep(0.2)
time.sleep(1)
probe("fork a daemon", lambda: "forked")
job.commit()
