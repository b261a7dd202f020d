import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import json
import os
import time
from localglue.lake import current
args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

# What to try, next to this script (a grader's test writes its own paths there).
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "targets.json")) as f:
    TARGETS = json.load(f)


def probe(what, attempt):
    try:
        result = attempt()
    except Exception as exc:
        result = "refused: %s: %s" % (type(exc).__name__, exc)
    print("PROBE " + json.dumps({"job": args['JOB_NAME'], "what": what, "result": result}), flush=True)

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
print("PROBE " + json.dumps({"job": args['JOB_NAME'], "what": "fork a daemon", "result": "forked"}), flush=True)
job.commit()
