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
