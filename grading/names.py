"""What a learner's names mean: which STEDI source, zone and rubric table.

Learners name things every way (`customer/trusted/`, `customer_trusted/`, `step_trusted`,
`trainer_landing`, `Step Trainer Trusted to ML Curated.py`); these rules read the words,
taking sources, zones and table names from the one table contract (stedi/tables.py).
"""

from __future__ import annotations

import re

from stedi.tables import MACHINE_LEARNING_CURATED, TABLES, ZONES

# Words that name a source, most specific first (a step trainer reading mentions no customer).
SOURCE_WORDS = (("step_trainer", ("step", "trainer")), ("accelerometer", ("accel",)),
                ("customer", ("customer",)))  # fmt: skip
# Columns that only one landing source has (DDL columns identify a landing table).
SOURCE_COLUMNS = (
    ("step_trainer", {"distancefromobject"}),
    ("accelerometer", {"x", "y", "z"}),
    ("customer", {"customername", "email"}),
)
ML_WORDS = ("machine_learning", "machinelearning", "ml")


def words(text: str) -> list[str]:
    """Lower-case words of a name or path: `Step Trainer-Trusted.py` -> step, trainer, trusted."""
    text = re.sub(r"([a-z])([A-Z])", r"\1_\2", text)
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def source_of(text: str, columns: list[str] | None = None) -> str | None:
    joined = "_".join(words(text))
    for source, stems in SOURCE_WORDS:
        if any(stem in joined for stem in stems):
            return source
    lowered = {c.lower() for c in columns or []}
    for source, marks in SOURCE_COLUMNS:
        if marks <= lowered:
            return source
    return None


def zone_of(text: str) -> str | None:
    """The last zone word: `customer_landing_to_trusted` -> trusted; also at the end of a
    word run together (`steptrainertrusted`, one bucket per source)."""
    stems = [w.rstrip("0123456789").removesuffix("s") for w in words(text)]
    found = [z for w in stems for z in ZONES if w.endswith(z)]
    return found[-1] if found else None


def is_ml(text: str) -> bool:
    joined = "_".join(words(text))
    return any(w in joined.split("_") for w in ML_WORDS) or "machine_learning" in joined


def rubric_table(text: str) -> str | None:
    """The rubric table a name means, or None: `step_trusted` -> step_trainer_trusted."""
    if not text:
        return None
    if is_ml(text):
        return MACHINE_LEARNING_CURATED.name
    source, zone = source_of(text), zone_of(text)
    for table in TABLES:
        if (table.source, table.zone) == (source, zone):
            return table.name
    return None


# A bucket no S3 bucket could be named (`${{ secrets.BUCKET }}`, `<your-bucket>`,
# `YOUR_BUCKET`), or one that says it is a placeholder (`your-bucket-name`).
PLACEHOLDER = re.compile(r"[${}<>\s]|^your|-your(-|$)|(^|-)bucket-name(-|$)", re.IGNORECASE)
CONSTANT = re.compile(r"[A-Z0-9_]*[A-Z][A-Z0-9_]*")  # YOUR_BUCKET, S3_BUCKET


def is_placeholder(bucket_name: str) -> bool:
    if CONSTANT.fullmatch(bucket_name):
        return True
    return PLACEHOLDER.search(bucket_name.replace("_", "-")) is not None


# The name a Glue S3 sink gives a JSON or CSV file: `run-<epoch ms>-part-r-00000`, no extension.
RUN_FILE = re.compile(r"run-(\d{13})-part-r-\d+(\.\w+)?")


def run_file_stamp(uri: str) -> int | None:
    """The epoch-ms stamp of the Glue run that wrote the one file `uri` names, or None."""
    found = RUN_FILE.fullmatch(uri.rstrip("/").rsplit("/", 1)[-1])
    return int(found.group(1)) if found else None


def folder(uri: str) -> str:
    """s3a://B/k (or s3://B/k/file.json, s3://B/k/run-<ms>-part-r-00000) -> s3://B/k/: the
    folder a location names."""
    uri = re.sub(r"^s3[an]?://", "s3://", uri.strip())
    last = uri.rstrip("/").rsplit("/", 1)[-1]
    if ("." in last or run_file_stamp(uri)) and not uri.endswith("/") and uri.count("/") > 3:
        uri = uri.rsplit("/", 1)[0]  # a file: its folder
    return uri if uri.endswith("/") else uri + "/"


def bucket(uri: str) -> str:
    return folder(uri)[len("s3://") :].split("/", 1)[0]


def location_name(uri: str) -> str:
    """The words of a location that name its table: the key (`customer/trusted`), with the
    bucket in front when the key names no source (`s3://tam-customers/trusted/`: one bucket
    per source, the zone in the key)."""
    key = folder(uri)[len("s3://") :].split("/", 1)[-1]
    return key if source_of(key) or is_ml(key) else f"{bucket(uri)}/{key}"


def related(a: str, b: str) -> bool:
    """Whether two locations overlap: one is the other or inside it."""
    a, b = folder(a), folder(b)
    return a.startswith(b) or b.startswith(a)


def name_matches(table: str, location: str) -> int:
    """How well a table name matches a location: 2 exact, 1 all words present, 0 not."""
    key = folder(location)[len("s3://") :].rstrip("/").split("/")[1:]
    if not key:
        return 0
    tail = words("_".join(key[-2:]))
    name = words(table)
    if name in (tail, words(key[-1])):
        return 2
    return 1 if set(name) <= set(tail) else 0
