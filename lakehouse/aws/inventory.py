"""What setup and deploy created, recorded in the bucket, so teardown deletes that and no more.

s3://BUCKET/_lakehouse/created.json grows with each setup and deploy: the bucket (if setup
made it), the database (if setup made it), the tables setup made and the tables the deployed
jobs create, the objects setup and deploy uploaded, the jobs deploy created, and the key
prefixes the deployed jobs write (their targets, --TempDir, Spark event logs) and `aws run`
writes (athena-results/). What is not recorded (another user's object or table, a database
or bucket that existed before setup) is left where it is, and teardown says so.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from lakehouse.aws.clients import Aws, error_code

KEY = "_lakehouse/created.json"
ATHENA_RESULTS = "athena-results/"  # `aws run --bucket` validation output


@dataclass
class Inventory:
    bucket: bool = False
    databases: list[str] = field(default_factory=list)
    tables: dict[str, list[str]] = field(default_factory=dict)  # database -> table names
    objects: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)

    def add_table(self, database: str, name: str) -> None:
        names = self.tables.setdefault(database, [])
        if name not in names:
            names.append(name)

    def add(self, kind: str, *values: str) -> None:
        items = getattr(self, kind)
        items.extend(v for v in values if v not in items)

    def owns_object(self, key: str) -> bool:
        return key == KEY or key in self.objects or key.startswith(tuple(self.prefixes))

    def empty(self) -> bool:
        return self == Inventory()


def load(aws: Aws, bucket: str) -> Inventory:
    """The bucket's record, or an empty one (no record, no bucket, or a dry run)."""
    try:
        body = aws.client("s3").get_object(Bucket=bucket, Key=KEY)["Body"].read()
    except Exception as exc:
        if error_code(exc) in ("NoSuchKey", "NoSuchBucket", "404") or aws.dry_run:
            return Inventory()
        raise
    if aws.dry_run or not body:  # a dry run's reads find nothing
        return Inventory()
    doc = json.loads(body)
    return Inventory(**{k: v for k, v in doc.items() if k in Inventory.__dataclass_fields__})


def save(aws: Aws, bucket: str, inventory: Inventory) -> None:
    aws.client("s3").put_object(
        Bucket=bucket,
        Key=KEY,
        Body=(json.dumps(asdict(inventory), indent=1, sort_keys=True) + "\n").encode(),
        ContentType="application/json",
    )


def record(aws: Aws, bucket: str, **added) -> Inventory:
    """Add to the bucket's record: bucket_created=True, databases/objects/prefixes/jobs=[...],
    tables={database: [...]}."""
    inventory = load(aws, bucket)
    created = bool(added.pop("bucket_created", False))
    inventory.bucket = inventory.bucket or created
    for database, names in added.pop("tables", {}).items():
        for name in names:
            inventory.add_table(database, name)
    for kind, values in added.items():
        inventory.add(kind, *values)
    save(aws, bucket, inventory)
    return inventory
