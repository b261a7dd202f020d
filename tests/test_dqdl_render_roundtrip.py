"""Round trip: every ruleset `python -m validation.dqdl` produces is accepted by the local
runtime's EvaluateDataQuality (localglue.awsgluedq) and passes on a clean finished lake; a
planted privacy violation fails the rendered CustomSql rule there too.

CustomSql rules name other tables (customer_landing, customer_trusted, ...): in Glue they
resolve in the job's Spark session, so the test registers every table as a temp view.
"""

from __future__ import annotations

import pytest

from stedi.tables import PROFILES, TABLE_NAMES
from tests import minilake
from validation import dqdl


@pytest.fixture(scope="module")
def lakes(tmp_path_factory):
    from localglue.lake import Lake

    built = {}
    for profile in PROFILES:
        lake = Lake(tmp_path_factory.mktemp(f"dqdl-{profile}") / "lake")
        minilake.build(lake, profile)
        built[profile] = lake
    return built


def frames(spark, lake):
    """Every table read as a Glue job reads it (from_catalog), cached, registered as a temp view."""
    from localglue.awsglue.context import GlueContext
    from localglue.lake import using

    glue = GlueContext(spark.sparkContext)
    out = {}
    with using(lake):
        for table in TABLE_NAMES:
            frame = glue.create_dynamic_frame.from_catalog(database="stedi", table_name=table)
            frame.toDF().cache().createOrReplaceTempView(table)
            out[table] = frame
    return out


def outcomes(frame, ruleset):
    from localglue.awsgluedq.transforms import EvaluateDataQuality

    result = EvaluateDataQuality().process_rows(
        frame=frame,
        ruleset=ruleset,
        publishing_options={"dataQualityEvaluationContext": "roundtrip"},
        additional_options={"performanceTuning.caching": "CACHE_NOTHING"},
    )
    rows = result["ruleOutcomes"].toDF().collect()
    return {r["Rule"]: r["Outcome"] for r in rows}


# Each distinct ruleset once: tables whose suite is the same in every profile are
# evaluated on the rubric lake only.
RULESETS = sorted(
    {dqdl.golden_name(t, p): (t, p) for p in reversed(PROFILES) for t in TABLE_NAMES}.values()
)


@pytest.mark.parametrize(
    ("table", "profile"), RULESETS, ids=[dqdl.golden_name(t, p) for t, p in RULESETS]
)
def test_every_rendered_ruleset_parses_in_the_local_dqdl(table, profile):
    from localglue import dqdl as local_dqdl

    ruleset, _ = dqdl.render(table, profile)
    assert len(local_dqdl.parse(ruleset)) == ruleset.count("\n    ")


@pytest.mark.parametrize("profile", PROFILES)
def test_every_rendered_ruleset_is_accepted_and_passes_on_a_clean_lake(spark, lakes, profile):
    tables = frames(spark, lakes[profile])
    for table, p in RULESETS:
        if p != profile:
            continue
        ruleset, _ = dqdl.render(table, profile)
        result = outcomes(tables[table], ruleset)
        failed = {rule for rule, outcome in result.items() if outcome != "Passed"}
        assert result and not failed, f"{table}: {failed}"


def test_a_planted_non_consenting_customer_fails_the_rendered_privacy_rule(spark, tmp_path):
    from test_validation_run import plant_non_consenting_customer

    from localglue.lake import Lake

    lake = Lake(tmp_path / "lake")
    minilake.build(lake, "rubric")
    plant_non_consenting_customer(lake)
    tables = frames(spark, lake)
    ruleset, _ = dqdl.render("customer_trusted", "rubric")
    result = outcomes(tables["customer_trusted"], ruleset)
    failed = {rule for rule, outcome in result.items() if outcome != "Passed"}
    assert 'IsComplete "sharewithresearchasofdate"' in failed
    assert any(r.startswith("CustomSql") and "customer_landing" in r for r in failed)
