"""The local lake: where `s3://bucket/key` lives on disk, and which lake is current.

Layout under the lake root:
  <root>/<bucket>/<key>        data, mirroring S3 (s3://my-bucket/customer/landing/)
  <root>/_catalog/             the local Glue Data Catalog (see catalog.py)
  <root>/_bookmarks/           job bookmark state (see bookmarks.py)
  <root>/_quarantine/          rejected landing records with file, line and reason
  <root>/_runs/                run lock and run records
  <root>/_staging/             a running job's uncommitted writes and its commit journal
                               (see transaction.py)

The root is a local path or a file:// URI (`--lake file:///abs/lake`). Other Hadoop
file systems (s3a:// through hadoop-aws, hdfs://) are not shipped: the runtime moves
files with local renames, which those stores do not offer.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from localglue.errors import LakehouseError

S3_SCHEMES = ("s3://", "s3a://", "s3n://")

_current: contextvars.ContextVar[Lake | None] = contextvars.ContextVar("lake", default=None)


def resolve_root(cli_value: str | os.PathLike | None = None) -> Path:
    """--lake DIR (a path or a file:// URI), else $STEDI_LAKE, else ./lake."""
    value = os.fspath(cli_value or os.environ.get("STEDI_LAKE") or "lake")
    scheme = urlparse(value).scheme.lower() if "://" in value else ""
    if scheme == "file":
        parsed = urlparse(value)
        if parsed.netloc not in ("", "localhost"):
            raise LakehouseError(
                f"lake URI {value} names host {parsed.netloc!r}; a file:// lake is local: "
                "use file:///absolute/path"
            )
        value = unquote(parsed.path)
    elif scheme:
        raise LakehouseError(
            f"lake URI {value}: {scheme}:// lakes are not supported (s3a:// through "
            "hadoop-aws is not shipped); pass a local folder or a file:/// URI"
        )
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

    @property
    def staging_dir(self) -> Path:
        return self.root / "_staging"

    @property
    def uri(self) -> str:
        """The root as a file:// URI (what Hadoop and Spark call it)."""
        return self.root.as_uri()

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
