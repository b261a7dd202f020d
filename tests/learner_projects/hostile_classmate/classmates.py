"""What the job beside it tries against the other submissions of its class, and how it says
what came of it: one PROBE line in its log each. targets.json, beside it, names the other
submissions' folders and reports, the class's summary and the grader's files (a grader's test
writes its own paths there: the strongest attacker knows them all)."""

import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "targets.json")) as f:
    TARGETS = json.load(f)


def probe(what, attempt):
    try:
        result = attempt()
    except Exception as exc:
        result = "refused: %s: %s" % (type(exc).__name__, exc)
    print("PROBE " + json.dumps({"what": what, "result": result}), flush=True)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return "written"


def forge_report(folder):
    """Another submission's report, rewritten to a pass."""
    return write(os.path.join(folder, "report.json"), json.dumps({"status": "passed"}))


def attack():
    for folder in TARGETS["classmates"]:
        probe("plant a file in " + folder, lambda: write(os.path.join(folder, "planted.py"), "x = 1\n"))
        probe("empty " + folder, lambda: shutil.rmtree(folder) or "removed")
    for folder in TARGETS["reports"]:
        probe("forge the report in " + folder, lambda: forge_report(folder))
    for path in TARGETS["overwrite"]:
        probe("overwrite " + path, lambda: write(path, "<h1>everyone passed</h1>"))
    for path in TARGETS["read"]:
        probe("read " + path, lambda: open(path).read())
