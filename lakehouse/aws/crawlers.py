"""`aws setup --crawlers`: one Glue crawler per landing folder, as the STEDI project describes.

Each crawler (`stedi-<source>-landing`) crawls s3://<bucket>/<source>/landing/ into the
database with the job role; creating them again updates them. They are started, waited for
(READY), and the tables they made are reported, with the crawler that last updated each
(the UPDATED_BY_CRAWLER table parameter). Locally, `python -m lakehouse crawl` builds the
TableInput a JSON crawler gives (localglue/crawler.py).

Note: moto stores crawlers and walks their state (RUNNING -> READY) but does not crawl, so
against moto no table is made by a crawler; the tests say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lakehouse.aws.clients import Aws, error_code
from localglue.errors import LakehouseError

LANDING_SOURCES = ("customer", "accelerometer", "step_trainer")
POLL_SECONDS = 10.0


def crawler_name(source: str) -> str:
    return f"stedi-{source.replace('_', '-')}-landing"


@dataclass
class CrawlReport:
    crawlers: dict[str, str] = field(default_factory=dict)  # name -> created|updated
    states: dict[str, str] = field(default_factory=dict)  # name -> last crawl status
    tables: dict[str, str] = field(default_factory=dict)  # table -> crawler that made it


def crawler_input(bucket: str, database: str, role_arn: str, source: str) -> dict:
    """The CreateCrawler request for one landing folder (botocore CreateCrawlerRequest)."""
    return {
        "Name": crawler_name(source),
        "Role": role_arn,
        "DatabaseName": database,
        "Description": f"STEDI {source} landing zone (python -m lakehouse aws setup --crawlers)",
        "Targets": {"S3Targets": [{"Path": f"s3://{bucket}/{source}/landing/"}]},
        "SchemaChangePolicy": {
            "UpdateBehavior": "UPDATE_IN_DATABASE",
            "DeleteBehavior": "DEPRECATE_IN_DATABASE",
        },
        "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_EVERYTHING"},
    }


def ensure_crawlers(aws: Aws, bucket: str, database: str, role_arn: str) -> dict[str, str]:
    glue = aws.client("glue")
    done = {}
    for source in LANDING_SOURCES:
        request = crawler_input(bucket, database, role_arn, source)
        try:
            glue.create_crawler(**request)
            done[request["Name"]] = "created"
        except Exception as exc:
            if error_code(exc) != "AlreadyExistsException":
                raise
            glue.update_crawler(**request)
            done[request["Name"]] = "updated"
    return done


def start_and_wait(
    aws: Aws,
    names: list[str],
    timeout: float = 900,
    sleep: Callable[[float], None] = time.sleep,
    poll: float | None = None,
) -> dict[str, str]:
    """Start every crawler (one already running is waited for), then wait until all are READY."""
    poll = POLL_SECONDS if poll is None else poll
    glue = aws.client("glue")
    for name in names:
        try:
            glue.start_crawler(Name=name)
        except Exception as exc:
            if error_code(exc) != "CrawlerRunningException":
                raise
    waited, pending, states = 0.0, list(names), {}
    while pending:
        for name in list(pending):
            crawler = glue.get_crawler(Name=name)["Crawler"]
            if crawler.get("State") == "READY":
                states[name] = (crawler.get("LastCrawl") or {}).get("Status", "UNKNOWN")
                pending.remove(name)
        if pending:
            if waited >= timeout:
                raise LakehouseError(
                    f"crawlers {', '.join(pending)} still running after {timeout:.0f} s; "
                    "see CloudWatch /aws-glue/crawlers"
                )
            sleep(poll)
            waited += poll
    return states


def crawled_tables(aws: Aws, database: str, names: list[str]) -> dict[str, str]:
    """Tables in the database that one of these crawlers last updated."""
    glue = aws.client("glue")
    out = {}
    for page in glue.get_paginator("get_tables").paginate(DatabaseName=database):
        for table in page["TableList"]:
            by = (table.get("Parameters") or {}).get("UPDATED_BY_CRAWLER")
            if by in names:
                out[table["Name"]] = by
    return out


def run_crawlers(aws: Aws, bucket: str, database: str, role_arn: str, **wait) -> CrawlReport:
    report = CrawlReport()
    report.crawlers = ensure_crawlers(aws, bucket, database, role_arn)
    names = list(report.crawlers)
    report.states = start_and_wait(aws, names, **wait)
    # CrawlState: SUCCEEDED, FAILED, CANCELLED, ERROR (moto reports COMPLETED for a success).
    failed = {n: s for n, s in report.states.items() if s in ("FAILED", "CANCELLED", "ERROR")}
    if failed:
        raise LakehouseError(
            "crawlers did not succeed: "
            + ", ".join(f"{n} {s}" for n, s in failed.items())
            + "; see CloudWatch /aws-glue/crawlers"
        )
    report.tables = crawled_tables(aws, database, names)
    return report
