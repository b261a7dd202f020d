"""localglue.catalog_case: which model a catalog read follows, and how a run chooses it."""

from __future__ import annotations

import pytest

from localglue import catalog_case
from localglue.errors import LakehouseError


def test_chosen_sets_the_model_for_its_block_and_restores_the_one_in_force(monkeypatch):
    monkeypatch.delenv(catalog_case.ENV, raising=False)
    assert catalog_case.current() == "data"
    with catalog_case.chosen("lower"):
        with catalog_case.chosen(None):  # a run without a flag keeps what is in force
            assert catalog_case.current() == "lower"
        with catalog_case.chosen("data"):
            assert catalog_case.current() == "data"
        assert catalog_case.current() == "lower"
    assert catalog_case.current() == "data"


def test_the_environment_chooses_when_no_run_does(monkeypatch):
    monkeypatch.setenv(catalog_case.ENV, "lower")
    assert catalog_case.current() == "lower"
    with catalog_case.chosen("data"):
        assert catalog_case.current() == "data"


@pytest.mark.parametrize("case", ["upper", "LOWER", "lowercase"])
def test_a_model_the_runtime_does_not_know_is_refused_naming_both(case):
    with pytest.raises(LakehouseError, match="is not one of data, lower"):
        catalog_case.chosen(case).__enter__()
