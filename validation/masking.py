"""Mask personal data in what validation prints and writes, unless the user opts in (--show-rows).

Reports are pasted into submissions and Data Docs are shared, so a failing check shows the
SHAPE of the offending row, never the person: an email becomes `a***@test.com` (enough to tell
test data from real), any other identifier (name, phone, birthday, serial number, user) a short
keyed hash (the same value gives the same hash within a run, so duplicates stay visible), and
an email address anywhere else in a string is masked too.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from stedi.tables import IDENTIFIER_COLUMNS

EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_KEY = secrets.token_bytes(16)  # per process: hashes cannot be looked up across runs


def mask_emails(text: str) -> str:
    return EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def hashed(value) -> str:
    digest = hashlib.blake2b(str(value).encode(), key=_KEY, digest_size=5).hexdigest()
    return f"hash:{digest}"


def mask_identifier(value):
    if value is None:
        return None
    text = str(value)
    return mask_emails(text) if EMAIL.fullmatch(text) else hashed(text)


def mask(value, column: str | None = None):
    """`value` with every identifier masked: dict keys name their columns (any case)."""
    if isinstance(value, dict):
        return {k: mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(v, column) for v in value]
    if column is not None and column.lower().lstrip(".") in IDENTIFIER_COLUMNS:
        return mask_identifier(value)
    if isinstance(value, str):
        return mask_emails(value)
    return value


def mask_failures(tables: list[dict]) -> None:
    """Mask the samples and observed values of every failure of a report's tables, in place."""
    for table in tables:
        for failure in table["failures"]:
            failure["sample"] = mask(failure["sample"])
            failure["observed"] = mask(failure["observed"])
