"""The verdict without GX (validation/sql_suites.py) and GX's checkpoint judge alike.

`python -m validation.run` decides on the suites' expectations run as SQL; GX runs the same
suites on request (--data-docs) and in `lakehouse run`. Here both paths check:
- every planted violation of tests/test_validation_run.py, tests/test_strict_rules.py and
  tests/test_pipeline_checks.py: the same verdict and the same failing checks;
- every expectation of every suite, each with a violation planted for it: the check fails in
  both paths (a check that cannot fail would pass a privacy breach).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import test_pipeline_checks
import test_strict_rules
import test_validation_run

from localglue.catalog import Catalog, table_columns
from localglue.lake import Lake
from stedi.tables import PROFILES, TABLE_NAMES
from tests import minilake
from validation.engines.local import LocalEngine
from validation.sql_suites import KWARGS, check_suite
from validation.suites import expectations_dir, read_suite

# -- the two paths -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gx_session(tmp_path_factory):
    """gx_session(profile): a fresh GX context (no Data Docs); GX is imported once."""
    from validation.gx_runner import GxSession
    from validation.run import _import_gx

    _import_gx()
    return lambda profile: GxSession(tmp_path_factory.mktemp("gx"), profile, data_docs=False)


def both_paths(lake: Lake, profile: str, gx_session, tables=TABLE_NAMES) -> dict:
    """{path: (verdict, failing checks)}: the suites of `tables` in each path."""
    from validation.report import gx_outcome
    from validation.suites import load_suite

    found = {}
    with LocalEngine(lake) as engine:
        native = {t: check_suite(engine, read_suite(t, profile)) for t in tables}
        results = gx_session(profile).check(engine, [load_suite(t, profile) for t in tables])
        gx = {t: [gx_outcome(r) for r in results[t].results] for t in tables}
    for path, outcomes in (("sql", native), ("gx", gx)):
        failed = {(t, o.name, o.severity) for t in tables for o in outcomes[t] if not o.success}
        verdict = "failed" if any(s == "critical" for _, _, s in failed) else "passed"
        found[path] = (verdict, sorted(f"{t}:{name}" for t, name, _ in failed))
    return found


# -- the plants of the other modules -------------------------------------------------------------


def _rows_with_new_columns(lake: Lake, table: str, rows: list[dict]) -> None:
    """rewrite(), adding any key the catalog lacks as a column (a plant's extra column)."""
    columns = table_columns(Catalog(lake).get_table("stedi", table))
    known = {n.lower() for n, _ in columns}
    types = {str: "string", int: "bigint", float: "double"}
    extra = {k: types[type(v)] for r in rows for k, v in r.items() if k.lower() not in known}
    minilake.rewrite(lake, table, rows, [*columns, *extra.items()])


def _pipeline_plant(table, change):
    def plant(lake):
        _rows_with_new_columns(lake, table, change(minilake.read_rows(lake, table)))

    return plant


NAMED_PLANTS = [
    *(
        pytest.param(p.values[0], False, p.values[1], p.values[2], id=f"validation_run:{p.id}")
        for p in test_validation_run.PLANTS
    ),
    *(
        pytest.param("strict", True, plant, check, id=f"strict_rules:{plant.__name__}")
        for plant, check in test_strict_rules.PLANTS
    ),
    *(
        pytest.param(
            "strict", True, _pipeline_plant(*test_pipeline_checks.PLANTS[name]), None, id=name
        )
        for name in test_pipeline_checks.PLANTS
    ),
]


def _signature(lake: Lake) -> dict[str, tuple]:
    """Each table's catalog entry and data files: what a plant may change."""
    catalog = Catalog(lake)
    out = {}
    for table in TABLE_NAMES:
        files = sorted(minilake.folder(lake, table).rglob("*"))
        data = tuple((f.name, f.read_bytes()) for f in files if f.is_file())
        out[table] = (json.dumps(catalog.get_table("stedi", table), sort_keys=True), data)
    return out


def planted_tables(lake: Lake, profile: str, plant) -> list[str]:
    """Plant; return the tables whose checks it can change: the tables it rewrote and those
    whose suites query them (the others are as the jobs wrote them, where both paths pass:
    test_both_paths_pass_a_lake_the_jobs_wrote)."""
    from validation.suites import referenced_tables

    before = _signature(lake)
    plant(lake)
    after = _signature(lake)
    changed = {t for t in TABLE_NAMES if before[t] != after[t]}
    assert changed, "the plant changed nothing"
    return [t for t in TABLE_NAMES if t in changed or referenced_tables(t, profile) & changed]


@pytest.mark.parametrize(("profile", "traps", "plant", "check"), NAMED_PLANTS)
def test_both_paths_give_the_same_verdict_and_failing_checks_on_every_planted_violation(
    tmp_path, gx_session, profile, traps, plant, check
):
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, profile, traps=traps)
    tables = planted_tables(lake, profile, plant)
    found = both_paths(lake, profile, gx_session, tables)
    assert found["sql"] == found["gx"]
    verdict, failing = found["sql"]
    assert verdict == "failed", failing  # the plant is a critical violation
    if check:
        assert check in failing


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("traps", [False, True], ids=["clean", "traps"])
def test_both_paths_pass_a_lake_the_jobs_wrote(tmp_path, gx_session, profile, traps):
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, profile, traps=traps)
    found = both_paths(lake, profile, gx_session)
    assert found["sql"] == found["gx"]
    assert found["sql"][0] == "passed"


# -- every check fails on a violation planted for it ---------------------------------------------


def _every_expectation():
    for profile in PROFILES:
        for table in TABLE_NAMES:
            for exp in read_suite(table, profile).expectations:
                yield pytest.param(
                    profile, table, exp, id=f"{profile}:{table}:{exp['meta']['name']}"
                )


def _rows(lake: Lake, table: str) -> list[dict]:
    if table.endswith("_landing"):
        path = next(minilake.folder(lake, table).glob("*.json"))
        return [json.loads(line) for line in path.read_text().splitlines()]
    return minilake.read_rows(lake, table)


def _replace(lake: Lake, table: str, rows: list[dict], columns=None) -> None:
    if not table.endswith("_landing"):
        minilake.rewrite(lake, table, rows, columns)
        return
    path = next(minilake.folder(lake, table).glob("*.json"))
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    if columns is not None:
        minilake.register(lake, table, columns, "json")


def _spelled(rows: list[dict], column: str) -> str:
    """The row key of a catalog (lower-case) column name."""
    return next((k for k in rows[0] if k.lower() == column), column)


def stranger_row(row: dict) -> dict:
    """A copy of `row` that belongs to nobody: unknown identifiers, implausible instants (all
    different, all before any consent), values no other row has."""
    planted, number = {}, 5
    for key, value in row.items():
        if isinstance(value, str):
            planted[key] = "Planted.Stranger@test.com"
        elif isinstance(value, int) and not isinstance(value, bool):
            planted[key], number = number, number + 1
        elif isinstance(value, float):
            planted[key] = 0.0625 * number
        else:
            planted[key] = value
    return planted


STRICT_RULE_PLANTS = {check: plant for plant, check in test_strict_rules.PLANTS}
NAMED_BY_CHECK = {
    **STRICT_RULE_PLANTS,
    **{p.values[2]: p.values[1] for p in test_validation_run.PLANTS if p.values[0] == "rubric"},
}


def plant_for(lake: Lake, table: str, exp: dict) -> None:
    """A violation of this one expectation (any other check may fail too)."""
    kind, kw = exp["type"], exp["kwargs"]
    rows = _rows(lake, table)
    columns = table_columns(Catalog(lake).get_table("stedi", table))
    if kind == "expect_table_columns_to_match_set":
        _replace(
            lake, table, [{**r, "planted": "x"} for r in rows], [*columns, ("planted", "string")]
        )
    elif kind == "expect_column_to_exist":
        key = _spelled(rows, kw["column"])
        kept = [(n, t) for n, t in columns if n.lower() != kw["column"]]
        _replace(lake, table, [{k: v for k, v in r.items() if k != key} for r in rows], kept)
    elif kind == "expect_table_row_count_to_be_between":
        _replace(lake, table, [])
    elif kind == "expect_column_values_to_not_be_null":
        _replace(lake, table, [{**rows[0], _spelled(rows, kw["column"]): None}, *rows[1:]])
    elif kind == "expect_column_values_to_be_between":
        low, high = kw.get("min_value"), kw.get("max_value")
        value = low - 1 if low is not None else high + 1
        value = float(value) if isinstance(rows[0][_spelled(rows, kw["column"])], float) else value
        _replace(lake, table, [{**rows[0], _spelled(rows, kw["column"]): value}, *rows[1:]])
    elif kind in ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"):
        _replace(lake, table, [*rows, rows[0]])
    else:  # a SQL check: the plant another module names it by, else a stranger's row
        plant = NAMED_BY_CHECK.get(f"{table}:{exp['meta']['name']}")
        if plant is not None:
            plant(lake)
        else:
            _replace(lake, table, [*rows, stranger_row(rows[0])])


def failing_sql_checks(lake: Lake, profile: str, table: str) -> set[str]:
    from validation.suites import referenced_tables

    with LocalEngine(lake, tables=[table, *referenced_tables(table, profile)]) as engine:
        return {
            f"{table}:{o.name}"
            for o in check_suite(engine, read_suite(table, profile))
            if not o.success
        }


@pytest.fixture(scope="module")
def unplanted(tmp_path_factory):
    """unplanted(profile, traps, table): the checks that fail before any plant (none should)."""
    lakes = {}

    def failing(profile: str, traps: bool, table: str) -> set[str]:
        if (profile, traps) not in lakes:
            lake = Lake(tmp_path_factory.mktemp("unplanted") / "lake")
            minilake.build(lake, profile, traps=traps)
            lakes[profile, traps] = {t: failing_sql_checks(lake, profile, t) for t in TABLE_NAMES}
        return lakes[profile, traps][table]

    return failing


@pytest.mark.parametrize(("profile", "table", "exp"), list(_every_expectation()))
def test_every_sql_check_fails_on_a_violation_planted_for_it(
    tmp_path, unplanted, profile, table, exp
):
    check = f"{table}:{exp['meta']['name']}"
    traps = check in STRICT_RULE_PLANTS  # their plants need the traps
    assert check not in unplanted(profile, traps, table)
    lake = Lake(tmp_path / "lake")
    minilake.build(lake, profile, traps=traps)
    plant_for(lake, table, exp)
    assert check in failing_sql_checks(lake, profile, table)


def test_the_suites_use_only_expectation_types_the_sql_checks_know():
    """The eight types of expectations/ (GX has over fifty; a new one needs its SQL here)."""
    files = [p for p in Path(expectations_dir()).rglob("*.json") if p.name != "counts.json"]
    used = {e["type"] for f in files for e in json.loads(f.read_text())["expectations"]}
    assert used == set(KWARGS)


def test_a_check_gx_alone_fails_fails_the_run_and_the_disagreement_is_reported(
    tmp_path, monkeypatch, capsys
):
    """--data-docs runs both paths: a failure only GX sees still fails the run, named."""
    from validation import sql_suites
    from validation.report import failed_check_names
    from validation.run import main

    lake = test_validation_run.build(tmp_path, "rubric")
    test_validation_run.plant_duplicated_row(lake)
    checks = sql_suites.check_suite

    def blind(engine, spec, samples=False):  # SQL checks that pass everything
        outcomes = checks(engine, spec, samples)
        for outcome in outcomes:
            outcome.success = True
        return outcomes

    monkeypatch.setattr(sql_suites, "check_suite", blind)
    code = main(["--lake", str(lake.root), "--data-docs"])
    out = capsys.readouterr().out
    report = json.loads((tmp_path / "reports" / "rubric" / "report.json").read_text())
    assert code == 1
    assert "step_trainer_trusted:keys.reading_unique" in failed_check_names(report)
    assert report["gx"]["agrees"] is False
    assert "disagree: step_trainer_trusted:keys.reading_unique failed in GX" in out
