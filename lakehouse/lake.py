"""The local lake: where `s3://bucket/key` lives on disk, and which lake is current.

Layout under the lake root:
  <root>/<bucket>/<key>        data, mirroring S3 (s3://stedi-lake-house/customer/landing/)
  <root>/_catalog/             the local Glue Data Catalog (see catalog.py)
  <root>/_bookmarks/           job bookmark state (see bookmarks.py)
  <root>/_quarantine/          rejected landing records with file, line and reason
  <root>/_runs/                run lock and run records
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from pathlib import Path

DEFAULT_BUCKET = "stedi-lake-house"
S3_SCHEMES = ("s3://", "s3a://", "s3n://")

_current: contextvars.ContextVar[Lake | None] = contextvars.ContextVar("lake", default=None)


def resolve_root(cli_value: str | os.PathLike | None = None) -> Path:
    """--lake DIR, else $STEDI_LAKE, else ./lake."""
    value = cli_value or os.environ.get("STEDI_LAKE") or "lake"
    return Path(value).expanduser().resolve()


class Lake:
    def __init__(self, root: str | os.PathLike | None = None):
        self.root = resolve_root(root)

    def __repr__(self) -> str:
        return f"Lake({str(self.root)!r})"

    @property
    def catalog_dir(self) -> Path:
        return self.root / "_catalog"

    @property
    def bookmarks_dir(self) -> Path:
        return self.root / "_bookmarks"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "_quarantine"

    @property
    def runs_dir(self) -> Path:
        return self.root / "_runs"

    def local_path(self, uri: str) -> str:
        """Map s3://BUCKET/KEY to <root>/BUCKET/KEY; file:// and plain paths pass through."""
        for scheme in S3_SCHEMES:
            if uri.startswith(scheme):
                return str(self.root / uri[len(scheme) :])
        if uri.startswith("file://"):
            return uri[len("file://") :]
        return uri

    def s3_uri(self, local: str | os.PathLike) -> str:
        """Inverse of local_path, for paths inside the lake."""
        rel = Path(local).resolve().relative_to(self.root)
        return "s3://" + rel.as_posix()

    def exists(self) -> bool:
        return self.root.is_dir()


def current() -> Lake:
    """The lake of the running job (set by the runner), else the default lake."""
    lake = _current.get()
    return lake if lake is not None else Lake()


@contextlib.contextmanager
def using(lake: Lake):
    token = _current.set(lake)
    try:
        yield lake
    finally:
        _current.reset(token)
