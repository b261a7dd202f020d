"""Grade a learner's STEDI project: run their own Glue scripts unchanged in a fresh lake.

A layer of its own, above validation: grading lays landing data, crawls and runs a stranger's
Spark jobs, then checks what they wrote. It orchestrates; the checks it uses live below it.

A wall runs through it. The grader (every module below but sandbox/) never runs a line of
the learner's: their jobs run in a child process it starts, walls off and watches; the
verdict is computed here, from files, after that child has ended. The child's side is
grading/sandbox/, which never imports the verdict; the grader's side never imports
localglue.runner or the sandbox (import-linter contracts in pyproject.toml).

Modules, in the order a grade uses them:
  discover.py   find the Glue scripts (by content) and the Athena DDL in a project folder
  names.py      which STEDI source / rubric table a path, table name or file name means
  plan.py       what each script reads and writes; landing locations; the job order
  setup.py      the learner's AWS account rebuilt: landing files, DDL tables, crawled and
                pre-created tables
  isolation.py  the wall, grader's side: the child's environment and sandbox (namespaces
                where the OS allows), and what the grader checks when it gets the lake back
  messages.py   what crosses the wall: commands to the child, results the grader validates
  execute.py    run the jobs in order in the child: one job at a time (each in a new Spark
                session), time and memory limits, a fresh child after a kill
  sandbox/      the wall, learner's side: enter.py (namespaces, new root, no privileges),
                jobs.py (one Spark session; runs the jobs it is told, reports each result)
  formats.py    what a Glue S3 target wrote (any format and codec), made readable for DuckDB
  count.py      find the eight rubric tables among the outputs; count them with DuckDB
  privacy.py    consent checks on the learner's own outputs
  graph.py      each job's graph, drawn as Glue Studio draws it
  report.py     report.json, report.md, the terminal table and count screenshots
  grade.py      the whole grade, as `python -m lakehouse grade` runs it
"""
