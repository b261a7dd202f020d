"""Point s3:// URIs at another bucket, in a DAG (any JSON value) or in a script's text.

Only whole bucket names right after `s3://` change: `s3://stedi-lake-house/x` -> `s3://B/x`,
never `s3://stedi-lake-house-old/` nor a table or database that happens to share the name.
The same function maps deploys forward and exports back, so a round trip is exact.
"""

from __future__ import annotations

import re

from stedi.tables import DEFAULT_BUCKET

_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def check_bucket(name: str) -> str:
    if not _BUCKET_RE.match(name or "") or ".." in name:
        raise_bucket(name)
    return name


def raise_bucket(name: str):
    from localglue.errors import LakehouseError

    raise LakehouseError(
        f"{name!r} is not a valid S3 bucket name: use 3-63 lowercase letters, digits, "
        "dots or hyphens, starting and ending with a letter or digit"
    )


def _pattern(old: str) -> re.Pattern:
    return re.compile(r"(s3[an]?://)" + re.escape(old) + r"(?![a-z0-9.-])")


def rewrite_text(text: str, new: str, old: str = DEFAULT_BUCKET) -> str:
    if new == old:
        return text
    return _pattern(old).sub(lambda m: m.group(1) + new, text)


def rewrite_value(value, new: str, old: str = DEFAULT_BUCKET):
    """A copy of a JSON value with every string's s3://OLD rewritten (keys left alone)."""
    if isinstance(value, str):
        return rewrite_text(value, new, old)
    if isinstance(value, dict):
        return {k: rewrite_value(v, new, old) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite_value(v, new, old) for v in value]
    return value


def bucket_of(uri: str) -> str | None:
    m = re.match(r"s3[an]?://([^/]+)", uri or "")
    return m.group(1) if m else None
