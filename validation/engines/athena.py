"""The Athena engine: the same checks on the Glue Data Catalog in AWS, through pyathena.

Settings (option, else environment):
  database         --athena-database  / ATHENA_DATABASE          (required, e.g. stedi)
  region           --region           / AWS_REGION, AWS_DEFAULT_REGION (required)
  output location  --athena-output    / ATHENA_OUTPUT_LOCATION   (s3://bucket/prefix/)
  workgroup        --athena-workgroup / ATHENA_WORKGROUP         (one of these two is required)
  endpoint         --endpoint-url     / AWS_ENDPOINT_URL         (optional: moto, LocalStack)

Row counts and sample rows go through pyathena's DB-API; GX goes through pyathena's
SQLAlchemy dialect (awsathena+rest://). The table list comes from the Glue catalog, which
is where Athena resolves table names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from localglue.errors import LakehouseError
from validation.engines.base import Engine


@dataclass
class AthenaSettings:
    database: str
    region: str
    output_location: str | None = None
    workgroup: str | None = None
    endpoint_url: str | None = None

    @classmethod
    def resolve(
        cls, database=None, region=None, output_location=None, workgroup=None, endpoint_url=None
    ):
        env = os.environ.get
        values = {
            "database": database or env("ATHENA_DATABASE"),
            "region": region or env("AWS_REGION") or env("AWS_DEFAULT_REGION"),
            "output_location": output_location or env("ATHENA_OUTPUT_LOCATION"),
            "workgroup": workgroup or env("ATHENA_WORKGROUP"),
            "endpoint_url": endpoint_url or env("AWS_ENDPOINT_URL"),
        }
        missing = []
        if not values["database"]:
            missing.append("database (--athena-database or ATHENA_DATABASE)")
        if not values["region"]:
            missing.append("region (--region or AWS_REGION)")
        if not values["output_location"] and not values["workgroup"]:
            missing.append(
                "query result location (--athena-output or ATHENA_OUTPUT_LOCATION, or a "
                "workgroup that has one: --athena-workgroup or ATHENA_WORKGROUP)"
            )
        if missing:
            raise LakehouseError("Athena settings missing: " + "; ".join(missing))
        return cls(**values)

    def connect_args(self) -> dict:
        args = {"schema_name": self.database, "region_name": self.region}
        if self.output_location:
            args["s3_staging_dir"] = self.output_location
        if self.workgroup:
            args["work_group"] = self.workgroup
        if self.endpoint_url:
            args["endpoint_url"] = self.endpoint_url
        return args

    def sqlalchemy_url(self) -> str:
        """awsathena+rest://@athena.<region>.amazonaws.com:443/<database>?s3_staging_dir=...

        Credentials stay with boto3's usual chain (env, profile, role): none in the URL.
        """
        query = []
        if self.output_location:
            query.append(f"s3_staging_dir={quote_plus(self.output_location)}")
        if self.workgroup:
            query.append(f"work_group={quote_plus(self.workgroup)}")
        if self.endpoint_url:
            query.append(f"endpoint_url={quote_plus(self.endpoint_url)}")
        tail = ("?" + "&".join(query)) if query else ""
        return f"awsathena+rest://@athena.{self.region}.amazonaws.com:443/{self.database}{tail}"


class AthenaEngine(Engine):
    name = "athena"

    def __init__(self, settings: AthenaSettings):
        self.settings = settings
        self._conn = None

    @classmethod
    def from_options(cls, **options) -> AthenaEngine:
        return cls(AthenaSettings.resolve(**{k: v for k, v in options.items() if v}))

    def describe(self) -> str:
        return f"Glue catalog database {self.settings.database} ({self.settings.region})"

    def connection(self):
        if self._conn is None:
            import pyathena

            self._conn = pyathena.connect(**self.settings.connect_args())
        return self._conn

    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        cursor = self.connection().cursor()
        try:
            cursor.execute(sql)
        except Exception as exc:
            raise LakehouseError(f"Athena query failed: {str(exc).splitlines()[0]}") from exc
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, [tuple(r) for r in cursor.fetchall()]

    def tables(self) -> list[str]:
        import boto3

        kwargs = {"region_name": self.settings.region}
        if self.settings.endpoint_url:
            kwargs["endpoint_url"] = self.settings.endpoint_url
        glue = boto3.client("glue", **kwargs)
        names = []
        try:
            for page in glue.get_paginator("get_tables").paginate(
                DatabaseName=self.settings.database
            ):
                names += [t["Name"] for t in page["TableList"]]
        except glue.exceptions.EntityNotFoundException as exc:
            raise LakehouseError(
                f"Glue database {self.settings.database!r} not found in {self.settings.region}; "
                "deploy with `python -m lakehouse aws` or set ATHENA_DATABASE"
            ) from exc
        return names

    def gx_connection_string(self) -> str:
        return self.settings.sqlalchemy_url()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
