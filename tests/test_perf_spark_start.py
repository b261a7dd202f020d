"""Spark start-up options: the class-data-sharing archive and the file-listing threshold.

These pin the decisions (which JVM options a session gets), not timings.
"""

from __future__ import annotations

import pytest

from localglue import spark as spark_mod


def test_cds_is_off_when_asked(monkeypatch):
    monkeypatch.setenv(spark_mod.CDS_ENV, "0")
    assert spark_mod.cds_archive() is None
    assert spark_mod._cds_options(None) == ([], None)


def test_the_archive_is_per_spark_jar_set(monkeypatch, tmp_path):
    monkeypatch.delenv(spark_mod.CDS_ENV, raising=False)
    jars = tmp_path / "jars"
    jars.mkdir()
    (jars / "a.jar").write_bytes(b"x")
    monkeypatch.setenv("SPARK_HOME", str(tmp_path))
    first = spark_mod.cds_archive()
    (jars / "b.jar").write_bytes(b"y")
    assert first is not None and spark_mod.cds_archive() != first


def test_no_archive_for_a_classpath_java_cannot_archive(monkeypatch, tmp_path):
    """Spark's conf dir leads the classpath; a non-empty directory there cannot be archived."""
    monkeypatch.delenv(spark_mod.CDS_ENV, raising=False)
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
    assert spark_mod.cds_archive() is not None
    (tmp_path / "spark-defaults.conf").write_text("spark.ui.enabled false\n")
    assert spark_mod.cds_archive() is None


@pytest.mark.parametrize("published", [True, False])
def test_a_session_maps_a_published_archive_or_records_one(tmp_path, published):
    archive = tmp_path / "spark-x.jsa"
    if published:
        archive.write_bytes(b"archive")
    options, recording = spark_mod._cds_options(archive)
    if published:
        assert f"-XX:SharedArchiveFile={archive}" in options and recording is None
    else:
        # recorded beside the archive, never AS it: a half-written archive crashes a JVM
        assert recording is not None and recording != archive
        assert f"-XX:ArchiveClassesAtExit={recording}" in options
    assert "-Xlog:cds*=off" in options


def test_files_are_listed_on_the_driver(spark):
    """A distributed listing job per read costs seconds on a 1,800-file landing."""
    threshold = spark.conf.get("spark.sql.sources.parallelPartitionDiscovery.threshold")
    assert int(threshold) >= 100_000


# -- the archive's home: per user, private, owner checked --------------------------------------


@pytest.fixture
def cache_home(monkeypatch, tmp_path):
    monkeypatch.delenv(spark_mod.CDS_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_archive_lives_in_a_per_user_cache_not_in_shared_tmp(cache_home):
    import tempfile

    archive = spark_mod.cds_archive()
    assert archive is not None and archive.parent == cache_home / "stedi-lakehouse" / "cds"
    assert not str(archive).startswith(tempfile.gettempdir() + "/stedi-cds")


def test_the_cache_folder_is_created_mode_0700(cache_home):
    archive = spark_mod.cds_archive()
    options, recording = spark_mod._cds_options(archive)
    assert recording is not None and options
    assert archive.parent.stat().st_mode & 0o777 == 0o700


def test_an_open_cache_folder_of_ours_is_closed_to_others(cache_home):
    archive = spark_mod.cds_archive()
    archive.parent.mkdir(parents=True, mode=0o777)
    archive.parent.chmod(0o777)
    spark_mod._cds_options(archive)
    assert archive.parent.stat().st_mode & 0o777 == 0o700


def test_a_folder_owned_by_someone_else_is_not_used(cache_home, monkeypatch):
    import os

    archive = spark_mod.cds_archive()
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"planted")
    monkeypatch.setattr(os, "getuid", lambda: os.stat(archive.parent).st_uid + 1)
    assert spark_mod._cds_options(archive) == ([], None)


def test_a_symlinked_cache_folder_is_not_used(cache_home, tmp_path):
    archive = spark_mod.cds_archive()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    archive.parent.parent.mkdir(parents=True)
    archive.parent.symlink_to(elsewhere)
    assert spark_mod._cds_options(archive) == ([], None)


@pytest.mark.parametrize("mode", [0o666, 0o646])
def test_an_archive_others_can_write_is_never_mapped(cache_home, mode):
    archive = spark_mod.cds_archive()
    archive.parent.mkdir(parents=True, mode=0o700)
    archive.write_bytes(b"archive")
    archive.chmod(mode)
    assert spark_mod._cds_options(archive) == ([], None)


def test_archives_of_old_keys_are_removed(cache_home):
    archive = spark_mod.cds_archive()
    archive.parent.mkdir(parents=True, mode=0o700)
    old = archive.parent / "spark-0123456789abcdef.jsa"
    old.write_bytes(b"old java")
    archive.write_bytes(b"current")
    options, _ = spark_mod._cds_options(archive)
    assert f"-XX:SharedArchiveFile={archive}" in options
    assert not old.exists() and archive.exists()
