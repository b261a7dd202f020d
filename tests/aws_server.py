"""A moto SERVER on loopback for the AWS tests, plus the Glue calls moto 5.2 lacks.

moto is a fake of the AWS *APIs*: it stores buckets, objects, catalog entries, jobs and roles,
but it runs no Glue job and no SQL. A job run only walks STARTING -> RUNNING -> SUCCEEDED as
it is polled (moto's state manager decides how fast); it never executes the script.

moto 5.2.5 drops CreateJob's JobMode and has no UpdateJob or UpdateCrawler at all. ThreadedMotoServer runs in
this process, so `fill_moto_glue_gaps()` adds both to moto's Glue backend, following the Glue
API reference: UpdateJob "replaces the whole definition" (fields a JobUpdate leaves out go
back to their defaults), and GetJob returns JobMode as it was set. Nothing else is patched.
"""

from __future__ import annotations

import functools
import json
import logging
import urllib.request

from moto.core.responses import ActionResult
from moto.glue.models import FakeJob
from moto.glue.responses import GlueResponse
from moto.server import ThreadedMotoServer

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def fill_moto_glue_gaps() -> None:
    if getattr(GlueResponse, "_stedi_filled", False):
        return
    create_job = GlueResponse.create_job
    as_dict = FakeJob.as_dict

    def create_job_keeping_mode(self):
        result = create_job(self)
        self.glue_backend.jobs[self._get_param("Name")].job_mode = self._get_param("JobMode")
        return result

    def update_job(self):
        name = self._get_param("JobName")
        update = self._get_param("JobUpdate") or {}
        old = self.glue_backend.get_job(name)  # EntityNotFoundException like Glue
        self.glue_backend.create_job(
            name=name,
            role=update.get("Role"),
            command=update.get("Command"),
            description=update.get("Description"),
            log_uri=update.get("LogUri"),
            execution_property=update.get("ExecutionProperty"),
            default_arguments=update.get("DefaultArguments"),
            non_overridable_arguments=update.get("NonOverridableArguments"),
            connections=update.get("Connections"),
            max_retries=update.get("MaxRetries"),
            allocated_capacity=update.get("AllocatedCapacity"),
            timeout=update.get("Timeout"),
            max_capacity=update.get("MaxCapacity"),
            security_configuration=update.get("SecurityConfiguration"),
            tags=self.glue_backend.get_tags(old.arn),
            notification_property=update.get("NotificationProperty"),
            glue_version=update.get("GlueVersion"),
            number_of_workers=update.get("NumberOfWorkers"),
            worker_type=update.get("WorkerType"),
            code_gen_configuration_nodes=update.get("CodeGenConfigurationNodes"),
            execution_class=update.get("ExecutionClass"),
            source_control_details=update.get("SourceControlDetails"),
        )
        new = self.glue_backend.jobs[name]
        new.created_on, new.job_runs = old.created_on, old.job_runs
        new.job_mode = update.get("JobMode")
        return ActionResult({"JobName": name})

    def as_dict_with_mode(self):
        doc = as_dict(self)
        if getattr(self, "job_mode", None):
            doc["JobMode"] = self.job_mode
        return doc

    def update_crawler(self):
        """UpdateCrawler (moto lacks it): the given fields replace the stored ones."""
        name = self._get_param("Name")
        crawler = self.glue_backend.get_crawler(name)  # EntityNotFoundException like Glue
        fields = {
            "Role": "role",
            "DatabaseName": "database_name",
            "Description": "description",
            "Targets": "targets",
            "SchemaChangePolicy": "schema_change_policy",
            "RecrawlPolicy": "recrawl_policy",
            "TablePrefix": "table_prefix",
            "Configuration": "configuration",
        }
        for param, attr in fields.items():
            value = self._get_param(param)
            if value is not None:
                setattr(crawler, attr, value)
        return ActionResult({})

    GlueResponse.create_job = create_job_keeping_mode
    GlueResponse.update_job = update_job
    GlueResponse.update_crawler = update_crawler
    FakeJob.as_dict = as_dict_with_mode
    GlueResponse._stedi_filled = True


@functools.cache
def endpoint() -> str:
    """Start the server once per test process (port 0: the OS picks a free port)."""
    fill_moto_glue_gaps()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return f"http://{host}:{port}"


def moto_api(path: str, body: dict | None = None) -> None:
    data = json.dumps(body or {}).encode()
    req = urllib.request.Request(f"{endpoint()}/moto-api/{path}", data=data, method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def reset() -> None:
    moto_api("reset")
    moto_api("state-manager/unset-transition", {"model_name": "glue::job_run"})
    moto_api("state-manager/unset-transition", {"model_name": "glue::crawl"})


def job_runs_advance_every(polls: int) -> None:
    """Each GetJobRun call `polls` times moves a run one state on (STARTING->RUNNING->SUCCEEDED)."""
    moto_api(
        "state-manager/set-transition",
        {"model_name": "glue::job_run", "transition": {"progression": "manual", "times": polls}},
    )
