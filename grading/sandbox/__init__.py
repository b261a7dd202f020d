"""The learner's side of the wall: the code that runs in the child process the grader starts.

Everything here runs where the learner's scripts run, so nothing here decides a verdict: it
never imports the grader's side (grade, execute, count, privacy, report, isolation; an
import-linter contract keeps it so). What it tells the grader is a report the grader
validates and does not believe (grading/messages.py).

  enter.py   first process in the grade's namespaces: loopback up, a new root of bind mounts
             (the lake and a temp folder the only writable places), privileges dropped; then
             it runs the job runner and stays as the namespace's reaper
  jobs.py    the job runner: one Spark session; runs the jobs the grader names, one at a
             time, and reports each one's status, one-line error and script line
"""
