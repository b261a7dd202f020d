import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
import os
import socket
args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)

from probing import TARGETS, probe


def connect(host, port):
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"hello from a learner's job\n")
        return "connected"


for host, port in TARGETS["connect"]:
    probe("connect %s:%s" % (host, port), lambda: connect(host, port))
probe("resolve amazonaws.com", lambda: socket.gethostbyname("sts.amazonaws.com"))
job.commit()
