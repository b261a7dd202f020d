"""The local lake: where `s3://bucket/key` lives on disk, and which lake is current.

Layout under the lake root:
  <root>/<bucket>/<key>        data, mirroring S3 (s3://my-bucket/customer/landing/)
  <root>/_catalog/             the local Glue Data Catalog (see catalog.py)
  <root>/_bookmarks/           job bookmark state (see bookmarks.py)
  <root>/_quarantine/          rejected landing records with file, line and reason
  <root>/_runs/                run lock and run records
  <root>/_staging/             a running job's uncommitted writes and its commit journal
                               (see transaction.py)
  <root>/_buckets.json         bucket stand-ins: {"name a script writes": "bucket it maps to"},
                               for a bucket written as a placeholder (`${{ secrets.BUCKET }}`,
                               `<your-bucket>`) that no S3 bucket could be named
  <root>/_logs/                failed jobs' logs (see job_errors.py)
  <root>/_dataset.json         which dataset landing holds (stedi.ingest)

A job names data only: the first folder under the root is a bucket, for s3://, file:// and
plain paths alike, so no job path reaches the lake's own folders (all named `_...`).

The root is a local path or a file:// URI (`--lake file:///abs/lake`). Other Hadoop
file systems (s3a:// through hadoop-aws, hdfs://) are not shipped: the runtime moves
files with local renames, which those stores do not offer.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from localglue.errors import LakehouseError

S3_SCHEMES = ("s3://", "s3a://", "s3n://")
# Looser than S3's rules (tests use one-letter buckets) but never a lake folder such as
# _catalog, never a dot name, never a path.
BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,62}")
BUCKETS_FILE = "_buckets.json"
# The lake's own folders and files (see the module docstring): never a bucket, never a job path.
BOOKKEEPING = ("_catalog", "_bookmarks", "_quarantine", "_runs", "_staging", "_logs")
# Glue Data Catalog database and table names as local file names: letters, digits, _ and -.
CATALOG_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,254}")


class OutsideLakeError(LakehouseError):
    """A path a job names would resolve outside the lake root (or is not a lake path)."""


def check_catalog_name(kind: str, name: str) -> str:
    """A database or table name that is safe as one path component, else a clear error."""
    if not isinstance(name, str) or not CATALOG_NAME.fullmatch(name):
        raise LakehouseError(
            f"{kind} name {name!r} is not valid: use letters, digits, '_' and '-' "
            "(at most 255 characters)"
        )
    return name


def check_file_name(kind: str, name: str) -> str:
    """A name used as one file name in a lake folder (a job name): no separator, no dot name."""
    if not name or name.startswith(".") or any(c in name for c in "/\\\0"):
        raise LakehouseError(f"{kind} {name!r} is not valid here: no '/', '\\' or leading '.'")
    return name


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
        self.stand_ins = self._read_stand_ins()

    def _read_stand_ins(self) -> dict[str, str]:
        import json

        path = self.root / BUCKETS_FILE
        if not path.is_file():
            return {}
        try:
            found = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise LakehouseError(f"{path} is not a JSON object of bucket stand-ins: {exc}") from exc
        return {str(k): self._check_stand_in(v) for k, v in dict(found).items()}

    @staticmethod
    def _check_stand_in(bucket) -> str:
        if not isinstance(bucket, str) or not BUCKET.fullmatch(bucket) or ".." in bucket:
            raise LakehouseError(f"bucket stand-in {bucket!r} is not a valid bucket name")
        return bucket

    def set_stand_ins(self, stand_ins: dict[str, str]) -> None:
        """Map placeholder bucket names to real ones, for this lake and every later Lake of it."""
        import json

        self.stand_ins = {k: self._check_stand_in(v) for k, v in stand_ins.items()}
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / BUCKETS_FILE).write_text(json.dumps(self.stand_ins, indent=2) + "\n")

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
        """Map s3://BUCKET/KEY to <root>/BUCKET/KEY, and check that it stays in the lake.

        Every reader, sink, purge, crawl, catalog location and bookmark goes through here.
        s3://, s3a:// and s3n:// need a bucket and a relative key without `..`; file:// URIs
        and plain paths must resolve (symbolic links followed) inside the lake root. All of
        them must land in a bucket: never the root itself, never its own folders (_catalog,
        _staging, ...). Anything else raises OutsideLakeError naming the path: nothing outside
        the lake's buckets is read, written or deleted. Listings call it again for each file
        they return (check_file), so a symbolic link is judged where it points when it is used.
        """
        text = os.fspath(uri)
        if "\0" in text:
            raise OutsideLakeError(f"path {text!r} contains a NUL byte")
        scheme = next((s for s in S3_SCHEMES if text.lower().startswith(s)), None)
        if scheme is not None:
            bucket, _, key = text[len(scheme) :].partition("/")
            bucket = self.stand_ins.get(bucket, bucket)
            if not bucket:
                raise OutsideLakeError(f"path {text}: empty bucket name; write s3://BUCKET/KEY")
            if not BUCKET.fullmatch(bucket) or ".." in bucket:
                raise OutsideLakeError(f"path {text}: {bucket!r} is not a valid bucket name")
            if key.startswith("/"):
                raise OutsideLakeError(
                    f"path {text}: absolute key; write s3://{bucket}/KEY without a leading '/'"
                )
            parts = key.split("/")
            if ".." in parts:
                raise OutsideLakeError(f"path {text}: '..' is not allowed in a lake path")
            candidate = self.root.joinpath(bucket, *[p for p in parts if p not in ("", ".")])
        else:
            if text.lower().startswith("file://"):
                host, slash, rest = text[len("file://") :].partition("/")
                if host not in ("", "localhost"):
                    raise OutsideLakeError(f"path {text}: a file:// URI names no host")
                text_path = unquote(slash + rest)
            else:
                text_path = text
            if ".." in Path(text_path).parts:
                raise OutsideLakeError(f"path {text}: '..' is not allowed in a lake path")
            candidate = Path(os.path.abspath(text_path))
        real = Path(os.path.realpath(candidate))
        if real != self.root and self.root not in real.parents:
            raise OutsideLakeError(
                f"path {text} resolves to {real}, outside the lake {self.root}; "
                "jobs may only name paths inside the lake"
            )
        inside = real.relative_to(self.root).parts
        if not inside:
            raise OutsideLakeError(
                f"path {text} is the lake root {self.root} itself; name a bucket in it "
                "(s3://BUCKET/KEY)"
            )
        if not BUCKET.fullmatch(inside[0]):
            raise OutsideLakeError(
                f"path {text} resolves to {real}, in the lake's own {inside[0]!r}, not in a "
                f"bucket; jobs may not read or write {', '.join(BOOKKEEPING)}"
            )
        return str(candidate)

    def check_file(self, path: str | os.PathLike) -> str:
        """A listed file, judged at use: where it points now must be in one of the buckets."""
        return self.local_path(os.fspath(path))

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
