"""What the hostile jobs beside it try, and how they say what came of it: one PROBE line in
their log each. targets.json, beside it, names the grader's files, servers and modules (a
grader's test writes its own paths there)."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "targets.json")) as f:
    TARGETS = json.load(f)


def probe(what, attempt):
    try:
        result = attempt()
    except Exception as exc:
        result = "refused: %s: %s" % (type(exc).__name__, exc)
    print("PROBE " + json.dumps({"what": what, "result": result}), flush=True)
