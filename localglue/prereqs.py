"""Fail early, with the fix, when the machine lacks Python 3.11 or Java 17.

`make` runs it with the system interpreter before the virtualenv exists
(`python -m localglue.prereqs`), so it uses the standard library only; the Spark
session builder calls `require_java()` so a missing JVM is one clear line, not a
Py4J stack trace.
"""

import os
import re
import shutil
import subprocess
import sys

JAVA_HINT = (
    "Java 17 is required by PySpark 3.5 (as on AWS Glue 5). Install it with\n"
    "  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n"
    "  macOS:         brew install openjdk@17\n"
    "then make sure `java -version` reports 17, or set JAVA_HOME to it."
)


def java_major(java: str) -> int | None:
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 else major


def java_problem() -> str | None:
    """None when a Java 17+ runtime is on PATH (or JAVA_HOME), else what to do."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    major = java_major(java) if java and os.path.exists(java) else None
    if major is None or major < 17:
        found = f"found Java {major}" if major else "no `java` on PATH"
        return f"{found}. {JAVA_HINT}"
    return None


def main() -> int:
    if sys.version_info[:2] != (3, 11):
        print(
            f"Python 3.11 is required (AWS Glue 5 runs 3.11); this is {sys.version.split()[0]}.\n"
            "Run `make PYTHON=python3.11 ...` with a 3.11 interpreter.",
            file=sys.stderr,
        )
        return 1
    problem = java_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
