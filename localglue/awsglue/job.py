"""`awsglue.job.Job`: init/commit around a script, and the bookmark state it owns.

On Glue, `job.init(name, args)` opens a run with the job's bookmark state and
`job.commit()` persists what the sources read. Here the same calls drive
localglue.bookmarks: init makes this job the *current job* (sources ask it which
files they may read), commit writes `<lake>/_bookmarks/<job>.json`. Under the runner,
commit also commits the job's transaction (localglue/transaction.py): the purges, files
and catalog updates staged so far become visible together with the bookmark.
"""

from __future__ import annotations


class Job:
    @classmethod
    def continuation_options(cls):
        return [
            "--continuation-option",
            "continuation-enabled",
            "continuation-readonly",
            "continuation-ignore",
        ]

    @classmethod
    def job_bookmark_options(cls):
        return [
            "--job-bookmark-option",
            "job-bookmark-enable",
            "job-bookmark-pause",
            "job-bookmark-disable",
        ]

    @classmethod
    def job_bookmark_range_options(cls):
        return ["--job-bookmark-from", "--job-bookmark-to"]

    @classmethod
    def id_params(cls):
        return ["--JOB_NAME", "--JOB_ID", "--JOB_RUN_ID", "--SECURITY_CONFIGURATION"]

    @classmethod
    def encryption_type_options(cls):
        return ["--encryption-type", "sse-s3"]

    @classmethod
    def data_lineage_options(cls):
        return ["--enable-data-lineage"]

    def __init__(self, glue_context_or_spark_session=None):
        self._glue_context = glue_context_or_spark_session
        self._run = None

    def init(self, job_name, args=None):
        from localglue import bookmarks

        self._run = bookmarks.start_run(job_name, dict(args or {}))
        return self

    def isInitialized(self) -> bool:  # noqa: N802 (Glue's name)
        return self._run is not None

    def commit(self):
        from localglue.errors import LakehouseError

        if self._run is None:
            raise LakehouseError("job.commit() before job.init(JOB_NAME, args): call init first")
        from localglue import transaction

        self._run.commit()
        transaction.commit_current()

    @property
    def name(self) -> str | None:
        return self._run.job_name if self._run else None
