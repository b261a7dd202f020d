"""Errors a user can act on: each message names the thing and the fix."""


class LakehouseError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits 2."""

    exit_code = 2


class JobFailed(LakehouseError):
    """A Glue script raised; the CLI exits 1 with the script's error."""

    exit_code = 1


class TableNotFound(LakehouseError):
    pass


class ErrorThresholdExceeded(LakehouseError):
    """A transform's error records exceed its stageThreshold/totalThreshold."""

    exit_code = 1


class EntityNotFoundException(TableNotFound):
    """Glue's com.amazonaws.services.glue.model.EntityNotFoundException (GetTable/GetDatabase)."""
