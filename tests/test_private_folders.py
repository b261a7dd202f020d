"""Nothing shared between users in /tmp: Spark's warehouse, Derby's home and the local-cluster
Spark home live in the user's cache folder ($XDG_CACHE_HOME/stedi-lakehouse/), each made mode
0700 and refused when another user owns it, when it is a symbolic link, or when its parent is
someone else's, as the class archive beside them (tests/test_perf_spark_start.py).

A second local user is real here when the tests run as root (the planted folders are chowned
to another uid); otherwise the owner check is shown the folder as another user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from localglue import spark as spark_mod
from localglue.errors import LakehouseError

OTHER_UID = 4242


def _warehouse() -> str:
    return spark_mod.spark_conf()["spark.sql.warehouse.dir"]


def _derby() -> str:
    options = spark_mod.spark_conf()["spark.driver.extraJavaOptions"].split()
    [home] = [o.split("=", 1)[1] for o in options if o.startswith("-Dderby.system.home=")]
    return home


FOLDERS = {
    "spark-warehouse": _warehouse,
    "derby": _derby,
    "spark-home": spark_mod.cluster_spark_home,
}


@pytest.fixture
def cache(monkeypatch, tmp_path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "stedi-lakehouse"


def _owned_by_someone_else(path: Path, monkeypatch) -> None:
    if os.geteuid() == 0:
        os.chown(path, OTHER_UID, OTHER_UID)
    else:
        me = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: me + 1)


@pytest.mark.parametrize("name", FOLDERS)
def test_each_folder_is_in_the_users_cache_mode_0700_never_in_tmp(cache, name):
    path = Path(FOLDERS[name]())
    assert path == cache / name
    assert path.stat().st_mode & 0o777 == 0o700 and path.stat().st_uid == os.getuid()
    assert not str(path).startswith(tempfile.gettempdir() + os.sep + "stedi-")


@pytest.mark.parametrize("name", FOLDERS)
def test_a_folder_planted_by_another_user_is_refused(cache, name, monkeypatch):
    planted = cache / name
    planted.mkdir(parents=True, mode=0o777)
    planted.chmod(0o777)
    _owned_by_someone_else(planted, monkeypatch)
    with pytest.raises(LakehouseError, match=f"{planted} is not a folder of yours alone"):
        FOLDERS[name]()
    assert not any(planted.iterdir()), "nothing was written into the planted folder"


@pytest.mark.parametrize("name", FOLDERS)
def test_a_parent_planted_by_another_user_is_refused(cache, name, monkeypatch):
    cache.mkdir(parents=True, mode=0o777)
    cache.chmod(0o777)
    _owned_by_someone_else(cache, monkeypatch)
    with pytest.raises(LakehouseError, match="is not a folder of yours alone"):
        FOLDERS[name]()


@pytest.mark.parametrize("name", FOLDERS)
def test_a_symbolic_link_in_place_of_a_folder_is_refused(cache, name, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache.mkdir(parents=True, mode=0o700)
    (cache / name).symlink_to(elsewhere)
    with pytest.raises(LakehouseError, match="is not a folder of yours alone"):
        FOLDERS[name]()


def test_the_cluster_spark_home_links_the_installed_jars_whatever_was_there(cache, tmp_path):
    import pyspark

    planted = tmp_path / "planted-jars"
    planted.mkdir()
    home = cache / "spark-home"
    home.mkdir(parents=True, mode=0o700)
    (home / "jars").symlink_to(planted, target_is_directory=True)
    spark_mod.cluster_spark_home()
    installed = Path(pyspark.__file__).resolve().parent / "jars"
    assert Path(os.readlink(home / "jars")) == installed
