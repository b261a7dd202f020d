"""getResolvedOptions follows Glue's documented rules (docs: "Accessing parameters using
getResolvedOptions"; behaviour of AWS's awsglue/utils.py for Glue 5)."""

import pytest

from localglue.awsglue.utils import GlueArgumentError, getResolvedOptions

SCRIPT = "job.py"


@pytest.mark.parametrize(
    ("argv", "options", "key", "expected"),
    [
        # Every requested name is read from --name value.
        (["--JOB_NAME", "j"], ["JOB_NAME"], "JOB_NAME", "j"),
        # --name=value works like --name value.
        (["--JOB_NAME=j", "--day=2"], ["JOB_NAME", "day"], "day", "2"),
        # Unknown arguments (Glue passes many) are ignored.
        (
            ["--job-language", "python", "--JOB_NAME", "j", "--extra-py-files", "s3://b/x.py"],
            ["JOB_NAME"],
            "JOB_NAME",
            "j",
        ),
        (["--enable-metrics", "true", "--JOB_NAME", "j"], ["JOB_NAME"], "JOB_NAME", "j"),
        # A hyphen in a requested name becomes an underscore in the result.
        (["--JOB_NAME", "j", "--day-key", "d"], ["JOB_NAME", "day-key"], "day_key", "d"),
        # The bookmark option defaults to disable ...
        (["--JOB_NAME", "j"], ["JOB_NAME"], "job_bookmark_option", "job-bookmark-disable"),
        # ... is read when given ...
        (
            ["--JOB_NAME", "j", "--job-bookmark-option", "job-bookmark-enable"],
            ["JOB_NAME"],
            "job_bookmark_option",
            "job-bookmark-enable",
        ),
        # ... and the old --continuation-option is translated into it.
        (
            ["--JOB_NAME", "j", "--continuation-option", "continuation-readonly"],
            ["JOB_NAME"],
            "job_bookmark_option",
            "job-bookmark-pause",
        ),
        (
            ["--JOB_NAME", "j", "--continuation-option", "continuation-enabled"],
            ["JOB_NAME"],
            "job_bookmark_option",
            "job-bookmark-enable",
        ),
        # --job-bookmark-option wins over --continuation-option.
        (
            [
                "--continuation-option",
                "continuation-enabled",
                "--job-bookmark-option",
                "job-bookmark-disable",
            ],
            [],
            "job_bookmark_option",
            "job-bookmark-disable",
        ),
        # continuation_option itself is not in the result.
        (["--continuation-option", "continuation-ignore"], [], "continuation_option", KeyError),
        # TempDir and RedshiftTempDir mirror each other.
        (["--TempDir", "s3://b/tmp/"], [], "RedshiftTempDir", "s3://b/tmp/"),
        (["--RedshiftTempDir", "s3://b/rs/"], [], "TempDir", "s3://b/rs/"),
        # Asking for TempDir does not make it required.
        (["--JOB_NAME", "j"], ["JOB_NAME", "TempDir"], "TempDir", None),
        # Glue's own ids are always parsed (None when absent).
        (["--JOB_RUN_ID", "jr_1", "--JOB_NAME", "j"], ["JOB_NAME"], "JOB_RUN_ID", "jr_1"),
        (["--JOB_NAME", "j"], ["JOB_NAME"], "JOB_ID", None),
        (["--SECURITY_CONFIGURATION", "sc"], [], "SECURITY_CONFIGURATION", "sc"),
        (["--encryption-type", "sse-s3"], [], "encryption_type", "sse-s3"),
        (["--enable-data-lineage", "true"], [], "enable_data_lineage", "true"),
        # Glue 5 keeps argparse's prefix matching for unambiguous abbreviations.
        (["--JOB_NAME", "j", "--day_k", "d"], ["JOB_NAME", "day_key"], "day_key", "d"),
        # Pause with a full range is valid.
        (
            [
                "--job-bookmark-option",
                "job-bookmark-pause",
                "--job-bookmark-from",
                "a",
                "--job-bookmark-to",
                "b",
            ],
            [],
            "job_bookmark_to",
            "b",
        ),
    ],
)
def test_resolves_like_glue(argv, options, key, expected):
    resolved = getResolvedOptions([SCRIPT, *argv], options)
    if expected is KeyError:
        assert key not in resolved
    else:
        assert resolved[key] == expected


@pytest.mark.parametrize(
    "reserved",
    [
        "job-bookmark-option",
        "continuation-option",
        "job-bookmark-from",
        "job-bookmark-to",
        "JOB_ID",
        "JOB_RUN_ID",
        "SECURITY_CONFIGURATION",
        "encryption-type",
        "enable-data-lineage",
    ],
)
def test_asking_for_a_reserved_argument_is_an_error(reserved):
    with pytest.raises(RuntimeError, match="reserved"):
        getResolvedOptions([SCRIPT, "--JOB_NAME", "j"], ["JOB_NAME", reserved])


@pytest.mark.parametrize(
    ("argv", "options", "error", "match"),
    [
        # A requested argument that is missing: Glue raises, it does not sys.exit.
        ([], ["JOB_NAME"], GlueArgumentError, "JOB_NAME"),
        (["--JOB_NAME", "j"], ["JOB_NAME", "day"], GlueArgumentError, "day"),
        # Bookmark option outside its choices.
        (["--job-bookmark-option", "on"], [], GlueArgumentError, "job-bookmark-option"),
        (["--encryption-type", "kms"], [], GlueArgumentError, "encryption-type"),
        # A range needs pause, and pause needs both ends.
        (
            ["--job-bookmark-from", "a", "--job-bookmark-to", "b"],
            [],
            RuntimeError,
            "Invalid option",
        ),
        (
            ["--job-bookmark-option", "job-bookmark-pause", "--job-bookmark-from", "a"],
            [],
            RuntimeError,
            "job-bookmark-to",
        ),
    ],
)
def test_invalid_arguments_raise(argv, options, error, match):
    with pytest.raises(error, match=match):
        getResolvedOptions([SCRIPT, *argv], options)


def test_the_script_name_is_not_an_argument():
    """args[0] is the script path and is skipped, as in sys.argv."""
    resolved = getResolvedOptions(["--JOB_NAME", "--JOB_NAME", "real"], ["JOB_NAME"])
    assert resolved["JOB_NAME"] == "real"


def test_glue_6_abbreviation_opt_out():
    with pytest.raises(GlueArgumentError):
        getResolvedOptions([SCRIPT, "--day_k", "d"], ["day_key"], allow_abbrev=False)
