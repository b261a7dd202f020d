import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import json
import os
import socket
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


def connect(host, port):
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"hello from a learner's job\n")
        return "connected"


for host, port in TARGETS["connect"]:
    probe("connect %s:%s" % (host, port), lambda: connect(host, port))
probe("resolve amazonaws.com", lambda: socket.gethostbyname("sts.amazonaws.com"))
job.commit()
