"""`aws export`: a Glue job (edited in Glue Studio, say) back into studio_jobs/<profile>/.

GetJob -> the committed file format (camelCase, definition fields only, role and
account-specific values dropped, bucket mapped back to stedi-lake-house, the committed file's
key order) and the script downloaded beside it. An unchanged job exports byte-for-byte, so
`git diff` shows exactly what was changed in the console.
"""

from __future__ import annotations

import contextlib
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from lakehouse.aws.clients import Aws
from lakehouse.aws.jobfile import api_to_file, dumps
from lakehouse.aws.rewrite import bucket_of, rewrite_text, rewrite_value
from localglue.errors import LakehouseError
from stedi.tables import DEFAULT_BUCKET


@dataclass
class FileChange:
    path: Path
    status: str  # new | changed | unchanged
    added: int = 0
    removed: int = 0

    def line(self) -> str:
        if self.status == "changed":
            return f"{self.path}  changed  +{self.added} -{self.removed}"
        return f"{self.path}  {self.status}"


def write_if_changed(path: Path, text: str) -> FileChange:
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if old == text:
        return FileChange(path, "unchanged")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    if old is None:
        return FileChange(path, "new", added=text.count("\n"))
    diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), lineterm="", n=0))
    added = sum(1 for d in diff if d.startswith("+") and not d.startswith("+++"))
    removed = sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
    return FileChange(path, "changed", added, removed)


def export_job(aws: Aws, name: str, to_dir: Path, bucket: str | None = None) -> list[FileChange]:
    job = aws.client("glue").get_job(JobName=name)["Job"]
    location = (job.get("Command") or {}).get("ScriptLocation", "")
    script_bucket = bucket_of(location)
    if not script_bucket:
        raise LakehouseError(f"Glue job {name} has no s3:// script location ({location!r})")
    lake_bucket = bucket or script_bucket
    json_path, py_path = Path(to_dir) / f"{name}.json", Path(to_dir) / f"{name}.py"
    template = json.loads(json_path.read_text()) if json_path.is_file() else None
    doc = api_to_file(rewrite_value(job, DEFAULT_BUCKET, old=lake_bucket), template)
    body = aws.client("s3").get_object(Bucket=script_bucket, Key=location.split("/", 3)[3])
    script = rewrite_text(body["Body"].read().decode("utf-8"), DEFAULT_BUCKET, old=lake_bucket)
    return [write_if_changed(json_path, dumps(doc)), write_if_changed(py_path, script)]


def export(aws: Aws, names: list[str], to_dir: Path, bucket: str | None = None):
    if aws.dry_run:
        for name in names:
            # The dry run's GetJob finds nothing: it only shows the call.
            with contextlib.suppress(Exception):
                aws.client("glue").get_job(JobName=name)
            aws.echo(f"[dry-run] would download the script and write {to_dir}/{name}.json, .py")
        return []
    changes = []
    for name in names:
        changes += export_job(aws, name, to_dir, bucket)
    return changes
