"""Grade a learner's STEDI project: run their own Glue scripts unchanged in a fresh lake.

A layer of its own, above validation: grading lays landing data, crawls and runs a stranger's
Spark jobs, then checks what they wrote. It orchestrates; the checks it uses live below it.

Modules, in the order a grade uses them:
  discover.py   find the Glue scripts (by content) and the Athena DDL in a project folder
  names.py      which STEDI source / rubric table a path, table name or file name means
  plan.py       what each script reads and writes; landing locations; the job order
  setup.py      the learner's AWS account rebuilt: landing files, DDL tables, crawled and
                pre-created tables
  execute.py    run the jobs in order on one JVM, each in a new Spark session
  count.py      find the eight rubric tables among the outputs; count them with DuckDB
  privacy.py    consent checks on the learner's own outputs
  graph.py      each job's graph, drawn as Glue Studio draws it
  report.py     report.json, report.md, the terminal table and count screenshots
  grade.py      the whole grade, as `python -m lakehouse grade` runs it
"""
