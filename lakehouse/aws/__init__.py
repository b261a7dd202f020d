"""The AWS path: the same jobs, DDL and data as the local run, deployed to real Glue with boto3.

One module per concern:
  clients.py   session, endpoint, region; boto3 errors -> one-line LakehouseError
  dryrun.py    --dry-run: print every API call (validated against botocore's model), send none
  rewrite.py   bucket rewriting (stedi-lake-house <-> your bucket) in DAGs and scripts
  jobfile.py   studio_jobs/<profile>/<job>.json <-> the Glue API's Job shape
  iam.py       the job role's trust and least-privilege policy documents
  setup.py     bucket, landing data, Glue database and landing tables (and the role)
  deploy.py    scripts to S3, visual jobs created or updated
  runs.py      start jobs in order, poll with backoff, stop at the first failure
  export.py    Glue jobs back into studio_jobs/ files, byte-for-byte
  teardown.py  delete what setup and deploy created

Credentials come only from boto3's standard chain; nothing here reads or prints them.
"""
