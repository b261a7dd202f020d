"""Shared fixtures: one Spark session for the whole suite, the shared STEDI data, lakes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data" / "stedi-udacity"

# Small, quiet, deterministic: set before the JVM starts.
os.environ.setdefault("STEDI_SHUFFLE_PARTITIONS", "2")
os.environ.setdefault("STEDI_DRIVER_MEMORY", "2g")


@pytest.fixture(scope="session")
def spark():
    from lakehouse.spark import get_spark

    session = get_spark("local[2]")
    yield session


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real STEDI starter data beside the repo (never copied into it)."""
    if not (SHARED_DATA / "customer" / "landing").is_dir():
        pytest.skip(f"the shared STEDI data is not at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def lake(tmp_path):
    from lakehouse.lake import Lake

    return Lake(tmp_path / "lake")
