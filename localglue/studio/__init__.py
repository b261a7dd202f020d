"""Glue Studio's managed transforms: the `gs_*` modules a visual job imports.

Glue Studio ships each managed transform to the job as a Python file of its own
(`--extra-py-files s3://aws-glue-studio-transforms-…/gs_common.py,…/gs_derived.py`), and the
generated script says `import gs_derived`. Importing the module attaches a method of that
name to DynamicFrame and DataFrame (`frame.gs_derived(colName=…, expr=…)`). Here each
`gs_<name>.py` beside this file is one such module; `localglue.shim` serves them under their
top-level names while a script runs, and detaches the methods afterwards.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

# Every transform module a script can import, by the name Glue Studio writes.
TRANSFORMS = tuple(sorted(p.stem for p in HERE.glob("gs_*.py") if p.stem != "gs_common"))


def module_file(name: str) -> Path:
    return HERE / f"{name}.py"
