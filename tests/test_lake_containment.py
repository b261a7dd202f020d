"""Nothing outside the lake: every path a job names resolves inside the lake root, or is
refused with one line naming the path. Readers, sinks, purge, crawls, catalog locations and
bookmarks all map paths through Lake.local_path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localglue.catalog import Catalog, make_table_input
from localglue.errors import LakehouseError
from localglue.lake import BOOKKEEPING, Lake, OutsideLakeError
from localglue.runner import FAILED, run_script

HOSTILE = [
    ("s3:///etc/passwd", "empty bucket"),
    ("s3:///", "empty bucket"),
    ("s3://b/../../x", "'..'"),
    ("s3://b/a/../../../etc", "'..'"),
    ("s3://b/x/..", "'..'"),
    ("s3a://b//etc/passwd", "absolute key"),
    ("s3n://b//x", "absolute key"),
    ("s3://../x", "bucket"),
    ("s3://_catalog/stedi/", "bucket"),
    ("s3://.hidden/x", "bucket"),
    ("file:///etc/passwd", "outside the lake"),
    ("file://otherhost/x", "host"),
    ("/etc/passwd", "outside the lake"),
    ("../outside", "'..'"),
]


@pytest.mark.parametrize(("uri", "reason"), HOSTILE, ids=[u for u, _ in HOSTILE])
def test_a_path_outside_the_lake_is_refused_naming_it(tmp_path, uri, reason):
    lake = Lake(tmp_path / "lake")
    with pytest.raises(OutsideLakeError) as caught:
        lake.local_path(uri)
    message = str(caught.value)
    assert uri in message and reason in message and "\n" not in message


@pytest.mark.parametrize(
    "uri",
    ["s3://b/k/", "s3a://b/a/./b", "s3://b/a//b", "S3://b/x"],
)
def test_a_lake_path_maps_under_the_root(tmp_path, uri):
    lake = Lake(tmp_path / "lake")
    local = Path(lake.local_path(uri))
    assert lake.root in local.parents


def test_file_uris_and_plain_paths_inside_the_lake_are_allowed(tmp_path):
    lake = Lake(tmp_path / "lake")
    inside = lake.root / "b" / "x.json"
    assert lake.local_path(inside.as_uri()) == str(inside)
    assert lake.local_path(str(inside)) == str(inside)


def test_a_symbolic_link_out_of_the_lake_is_refused(tmp_path):
    lake = Lake(tmp_path / "lake")
    (lake.root / "b").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", lake.root / "b" / "escape")
    with pytest.raises(OutsideLakeError, match="outside the lake"):
        lake.local_path("s3://b/escape/secret.json")


# The lake's own folders and files, as the code names them (lake.py, ingest, grading).
OWN = [*BOOKKEEPING, "_dataset.json", "_grade_sample"]
SPELLINGS = {
    "file://": lambda path: path.as_uri(),
    "file://localhost": lambda path: "file://localhost" + str(path),
    "plain": str,
}


@pytest.mark.parametrize("spell", SPELLINGS.values(), ids=SPELLINGS)
@pytest.mark.parametrize("inside", ["", *OWN, *(f"{name}/stedi/x" for name in BOOKKEEPING)])
def test_file_uris_and_plain_paths_never_reach_the_root_or_its_own_folders(tmp_path, spell, inside):
    lake = Lake(tmp_path / "lake")
    (lake.root / "_catalog" / "stedi").mkdir(parents=True)
    path = lake.root / inside if inside else lake.root
    with pytest.raises(OutsideLakeError, match="lake root|the lake's own") as caught:
        lake.local_path(spell(path))
    assert "\n" not in str(caught.value)


def test_a_symbolic_link_from_a_bucket_into_the_catalog_is_refused(tmp_path):
    lake = Lake(tmp_path / "lake")
    (lake.root / "_catalog").mkdir(parents=True)
    (lake.root / "b").mkdir()
    os.symlink(lake.root / "_catalog", lake.root / "b" / "tables")
    os.symlink(lake.root / "_catalog", lake.root / "alias")
    for uri in ("s3://b/tables/", "s3://alias/stedi/"):
        with pytest.raises(OutsideLakeError, match="'_catalog'"):
            lake.local_path(uri)


def test_a_symbolic_link_to_a_file_outside_is_refused_when_a_job_lists_it(glue, lake, tmp_path):
    folder = lake.root / "b" / "in"
    folder.mkdir(parents=True)
    (folder / "part-0.json").write_text('{"a": 1}\n')
    secret = tmp_path / "secret.json"
    secret.write_text('{"password": "hunter2"}\n')
    os.symlink(secret, folder / "part-1.json")
    with pytest.raises(OutsideLakeError, match="secret.json"):
        glue.create_dynamic_frame.from_options(
            connection_type="s3", format="json", connection_options={"paths": ["s3://b/in/"]}
        )


def test_a_crawler_refuses_a_symbolic_link_out_of_its_folder(tmp_path):
    from localglue.crawler import crawl_json

    folder = tmp_path / "lake" / "b" / "in"
    folder.mkdir(parents=True)
    (folder / "part-0.json").write_text('{"a": 1}\n')
    (tmp_path / "secret.json").write_text('{"password": "hunter2"}\n')
    os.symlink(tmp_path / "secret.json", folder / "part-1.json")
    with pytest.raises(LakehouseError, match="symbolic link"):
        crawl_json(folder, "s3://b/in/", "t")


SEGMENT = st.one_of(
    st.sampled_from(["..", ".", "", "/", "~", "%2e%2e", "\\..", "_catalog", "a b"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scheme=st.sampled_from(["s3://", "s3a://", "s3n://", "file://", ""]),
    segments=st.lists(SEGMENT, max_size=6),
)
def test_any_uri_maps_inside_the_lake_or_is_refused(tmp_path, scheme, segments):
    lake = Lake(tmp_path / "lake")
    uri = scheme + "/".join(segments)
    try:
        local = Path(os.path.realpath(lake.local_path(uri)))
    except OutsideLakeError as exc:
        assert repr(uri) in str(exc) or uri in str(exc)
        return
    assert lake.root in local.parents
    assert local.relative_to(lake.root).parts[0] not in BOOKKEEPING


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(st.text(alphabet="abc.", min_size=1, max_size=3), max_size=3),
    after=st.lists(st.text(alphabet="abc", min_size=1, max_size=3), max_size=3),
)
def test_a_dot_dot_segment_in_an_s3_key_is_always_refused(tmp_path, before, after):
    uri = "s3://b/" + "/".join([*before, "..", *after])
    with pytest.raises(OutsideLakeError, match=r"'\.\.'"):
        Lake(tmp_path / "lake").local_path(uri)


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".", "..", "/abs", "x y", "a\\b"])
@pytest.mark.parametrize("kind", ["database", "table"])
def test_catalog_database_and_table_names_are_validated(tmp_path, kind, name):
    catalog = Catalog(Lake(tmp_path / "lake"))
    database, table = (name, "t") if kind == "database" else ("stedi", name)
    with pytest.raises(LakehouseError, match=f"{kind} name"):
        catalog.upsert_table(
            database, make_table_input(table, "s3://b/t/", [("a", "string")], "json")
        )
    assert not list(tmp_path.rglob("*.json"))


def test_a_catalog_location_outside_the_lake_is_refused(tmp_path):
    catalog = Catalog(Lake(tmp_path / "lake"))
    with pytest.raises(OutsideLakeError, match="s3:///etc/"):
        catalog.upsert_table(
            "stedi", make_table_input("t", "s3:///etc/", [("a", "string")], "json")
        )


@pytest.mark.parametrize("job_name", ["../../x", "a/b", ".hidden"])
def test_a_bookmark_job_name_cannot_name_a_path(tmp_path, job_name):
    from localglue import bookmarks

    with pytest.raises(LakehouseError, match="job name"):
        bookmarks.state_path(Lake(tmp_path / "lake"), job_name)


PURGING_JOB = """\
import sys
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job

args = getResolvedOptions(sys.argv, ["JOB_NAME", "inside", "target"])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args["JOB_NAME"], args)
glueContext.purge_s3_path(args["inside"], {"retentionPeriod": 0})
glueContext.purge_s3_path(args["target"], {"retentionPeriod": 0})
job.commit()
"""


@pytest.mark.parametrize(
    "target",
    [
        lambda outside: f"s3://{outside}/",
        lambda outside: "s3://b/../../outside/",
        lambda outside: (outside.parent / "lake").as_uri() + "/",
        lambda outside: str(outside.parent / "lake" / "_catalog"),
    ],
    ids=["s3:///abs", "s3://b/../../", "file:///lake/", "lake/_catalog"],
)
def test_a_job_purging_outside_the_lake_fails_and_deletes_nothing(spark, tmp_path, target):
    lake = Lake(tmp_path / "lake")
    inside = lake.root / "b" / "in" / "part-0.json"
    outside = tmp_path / "outside" / "keep.json"
    catalog = lake.root / "_catalog" / "stedi" / "t.json"
    for path in (inside, outside, catalog):
        path.parent.mkdir(parents=True)
        path.write_text('{"a": 1}\n')
    os.utime(catalog, (0, 0))  # old enough for any retention period
    script = tmp_path / "purge_job.py"
    script.write_text(PURGING_JOB)
    argv = ["--JOB_NAME", "purger", "--inside", "s3://b/in/", "--target", target(outside.parent)]
    result = run_script(script, argv, lake)
    assert result.status == FAILED
    assert any(why in result.error for why in ("outside", "'..'", "bucket", "lake root", "own"))
    assert outside.read_text() == '{"a": 1}\n' and catalog.is_file()
    assert inside.is_file()  # the job failed before its commit: its staged purge never ran


def test_a_placeholder_bucket_maps_to_its_stand_in_in_every_lake_of_the_root(tmp_path):
    lake = Lake(tmp_path / "lake")
    placeholder = "${{ secrets.BUCKET }}"
    with pytest.raises(OutsideLakeError, match="not a valid bucket name"):
        lake.local_path(f"s3://{placeholder}/customer/landing/")
    lake.set_stand_ins({placeholder: "stand-in-bucket"})
    want = str(lake.root / "stand-in-bucket" / "customer" / "landing")
    assert lake.local_path(f"s3://{placeholder}/customer/landing/") == want
    assert Lake(tmp_path / "lake").local_path(f"s3://{placeholder}/customer/landing/") == want


@pytest.mark.parametrize("stand_in", ["_catalog", "..", "a/b", ""])
def test_a_stand_in_that_is_not_a_bucket_name_is_refused(tmp_path, stand_in):
    lake = Lake(tmp_path / "lake")
    with pytest.raises(LakehouseError, match="not a valid bucket name"):
        lake.set_stand_ins({"<your-bucket>": stand_in})
    lake.root.mkdir(parents=True)
    (lake.root / "_buckets.json").write_text(json.dumps({"<your-bucket>": stand_in}))
    with pytest.raises(LakehouseError, match="not a valid bucket name"):
        Lake(tmp_path / "lake")
