"""The warm runtime's request handling and key, without a server: every byte string is a
request or a BadRequest (never an exception that would end the server), modules are kept by
whole path components, and the key covers every package of the installation."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lakehouse.cli import warm
from lakehouse.cli.warm_server import MAX_REQUEST, BadRequest, _kept, parse_request

REPO = Path(__file__).resolve().parents[1]
VALID = {"argv": ["job", "x.py"], "cwd": "/tmp", "env": {"A": "b"}, "key": "k"}

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
NEAR_VALID = st.builds(
    lambda changes, dropped: json.dumps(
        {k: v for k, v in {**VALID, **changes}.items() if k not in dropped}
    ).encode(),
    st.dictionaries(st.sampled_from([*VALID, "stop", "status"]), JSON_VALUES, max_size=3),
    st.sets(st.sampled_from(list(VALID)), max_size=2),
)


@settings(max_examples=1000, deadline=None)
@given(
    line=st.binary(max_size=200) | NEAR_VALID | JSON_VALUES.map(lambda v: json.dumps(v).encode())
)
def test_any_line_is_a_checked_request_or_a_bad_request(line):
    try:
        request = parse_request(line)
    except BadRequest as exc:
        assert str(exc)
        return
    if request.get("stop") is True or request.get("status") is True:
        return
    assert request["argv"][0] in warm.COMMANDS and all(isinstance(a, str) for a in request["argv"])
    assert isinstance(request["cwd"], str) and request["cwd"].startswith("/")
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in request["env"].items())


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (b"hello", "not one JSON line"),
        (b"[]", "not an object"),
        (b'{"argv": []}', "argv"),
        (b"\xff\xfe", "not UTF-8"),
        (json.dumps({**VALID, "argv": ["sql"]}).encode(), "`lakehouse job` and `run`"),
        (json.dumps({**VALID, "cwd": "relative"}).encode(), "absolute"),
        (json.dumps({**VALID, "env": {"A": 1}}).encode(), "env"),
        (json.dumps({**VALID, "key": None}).encode(), "key"),
        (b" " * (MAX_REQUEST + 1), "longer than"),
    ],
)
def test_each_malformed_request_says_what_is_wrong(line, says):
    with pytest.raises(BadRequest, match=says):
        parse_request(line)


def test_a_valid_request_is_returned_as_sent():
    assert parse_request(json.dumps(VALID).encode() + b"\n") == VALID


@pytest.mark.parametrize(
    ("file", "kept"),
    [
        (f"{sys.prefix}/lib/python3.11/site-packages/six.py", True),
        (f"{sys.prefix}-learner/helper.py", False),  # a prefix of the path, not a parent
        (f"{sys.base_prefix}/lib/python3.11/json/__init__.py", True),
        ("/home/learner/project/helper.py", False),
        (None, True),  # built-in modules
    ],
)
def test_modules_are_kept_by_whole_path_components(file, kept):
    assert _kept("helper_module", file) is kept


def test_the_projects_own_modules_are_kept_wherever_they_live():
    assert _kept("validation.report", "/somewhere/else/validation/report.py")


def test_the_key_covers_every_package_the_project_declares_and_its_data():
    """Derived from the installation's metadata; checked against pyproject's own list."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert warm.project_packages() == sorted(declared["root_packages"])
    files = [f.as_posix() for f in warm.project_files()]
    for name in [*declared["root_packages"], "expectations", "sql", "studio_jobs", "iam"]:
        assert any(f"/{name}/" in f for f in files), name
    assert any(f.endswith("/validation/report.py") for f in files)
