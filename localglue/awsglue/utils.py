"""`awsglue.utils.getResolvedOptions`: job arguments exactly as Glue 5 resolves them.

Glue starts a script as `script.py --JOB_NAME x --job-bookmark-option ... --user-arg v ...`
with many arguments the script never asked for (`--job-language`, `--TempDir`,
`--extra-py-files`, `--enable-metrics` ...). The documented rules
(docs: "Accessing parameters using getResolvedOptions"; AWS's awsglue/utils.py):

- every requested name becomes a REQUIRED `--name`; anything else is ignored;
- `--name value` and `--name=value` both work; a hyphen in a name becomes an underscore
  in the result key (argparse dest), so ask for 'day-key', read args['day_key'];
- Glue's own arguments are always parsed (and asking for one is an error):
  `--job-bookmark-option` (job-bookmark-enable|pause|disable, default disable),
  the older `--continuation-option` (translated to the bookmark option),
  `--job-bookmark-from/--job-bookmark-to` (only with pause, and then both),
  `--JOB_ID`, `--JOB_RUN_ID`, `--SECURITY_CONFIGURATION`, `--encryption-type` (sse-s3),
  `--enable-data-lineage`;
- `--TempDir` and `--RedshiftTempDir` are optional even when asked for and mirror each other;
- errors raise GlueArgumentError (never sys.exit), as Glue's parser does;
- Glue 5.x uses argparse's default prefix matching (`--day` resolves `--day_key` when
  unambiguous); Glue 6 turned it off, so `allow_abbrev` is accepted too.
"""

from __future__ import annotations

import argparse

from localglue import args as args_store
from localglue.awsglue.job import Job

# The arguments of the last call, as awsglue keeps them (module-level).
_global_args = args_store.resolved  # what the running job resolved (localglue/args.py)


class GlueArgumentError(Exception):
    """A job argument is missing or has a value Glue does not accept."""


class GlueArgumentParser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting the job."""

    def error(self, message):
        raise GlueArgumentError(message)


def _reserved(name: str) -> RuntimeError:
    return RuntimeError(
        f"Using reserved arguments {name}: Glue sets it itself; read it from the result "
        "of getResolvedOptions instead of asking for it"
    )


def getResolvedOptions(args, options, allow_abbrev: bool = True) -> dict:  # noqa: N802 (Glue's name)
    """Resolve `options` (names without '--') from the argument list `args` (sys.argv)."""
    options = list(options)
    parser = GlueArgumentParser(allow_abbrev=allow_abbrev, add_help=False)

    bookmark_flag, *bookmark_choices = Job.job_bookmark_options()
    continuation_flag, *continuation_choices = Job.continuation_options()
    encryption_flag, *encryption_choices = Job.encryption_type_options()
    reserved_flags = [
        bookmark_flag,
        continuation_flag,
        *Job.job_bookmark_range_options(),
        *Job.id_params()[1:],  # JOB_NAME stays askable: every script asks for it
        encryption_flag,
        *Job.data_lineage_options(),
    ]
    for flag in reserved_flags:
        if flag[2:] in options:
            raise _reserved(flag)

    parser.add_argument(bookmark_flag, choices=bookmark_choices, required=False)
    parser.add_argument(continuation_flag, choices=continuation_choices, required=False)
    for flag in Job.job_bookmark_range_options():
        parser.add_argument(flag, required=False)
    for flag in Job.id_params()[1:]:
        parser.add_argument(flag, required=False)
    parser.add_argument(encryption_flag, choices=encryption_choices, required=False)
    for flag in Job.data_lineage_options():
        parser.add_argument(flag, required=False)
    parser.add_argument("--RedshiftTempDir", required=False)
    parser.add_argument("--TempDir", required=False)

    for option in options:
        if option in ("TempDir", "RedshiftTempDir"):
            continue
        parser.add_argument("--" + option, required=True)

    parsed, _unknown = parser.parse_known_args(list(args)[1:])
    resolved = vars(parsed)

    if resolved.get("TempDir") is not None:
        resolved["RedshiftTempDir"] = resolved["TempDir"]
    elif resolved.get("RedshiftTempDir") is not None:
        resolved["TempDir"] = resolved["RedshiftTempDir"]

    # --job-bookmark-option wins; else a --continuation-option is translated by position.
    continuation = resolved.pop("continuation_option", None)
    if resolved.get("job_bookmark_option") is None:
        if continuation is None:
            resolved["job_bookmark_option"] = "job-bookmark-disable"
        else:
            index = continuation_choices.index(continuation)
            resolved["job_bookmark_option"] = bookmark_choices[index]

    range_flags = Job.job_bookmark_range_options()
    absent = [f for f in range_flags if resolved.get(f[2:].replace("-", "_")) is None]
    if resolved["job_bookmark_option"] == "job-bookmark-pause":
        if len(absent) == 1:
            raise RuntimeError(f"Missing option or value for {absent[0]}")
    elif not absent:
        raise RuntimeError(
            "Invalid option(s) " + " ".join(range_flags) + ": they need job-bookmark-pause"
        )

    _global_args.update(resolved)
    return resolved
